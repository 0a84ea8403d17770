import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { constants, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import {
  clientSecretBasic,
  createJwtAuth,
  formEncode,
} from '../../../../lib/core/oauth2/client-auth.js';
import { importSigningKey } from '../../../../lib/core/util/signing-key.js';

describe('client_secret_basic', () => {
  it('form-encodes id and secret before base64 (RFC 6749 §2.3.1)', async () => {
    const headers = new Headers();
    await clientSecretBasic(
      { clientId: 'id:with space', clientSecret: 's3cr3t+/=:%~' },
      'POST',
      'https://as/token',
      headers,
      new URLSearchParams(),
    );
    const decoded = Buffer.from(headers.get('authorization')!.slice(6), 'base64').toString();
    expect(decoded).toBe('id%3Awith+space:s3cr3t%2B%2F%3D%3A%25%7E');
  });

  it('leaves the unreserved characters alone', () => {
    expect(formEncode('Az09-._')).toBe('Az09-._');
  });
});

describe('JWT client assertions', () => {
  it('client_secret_jwt signs HS256 with the secret, iss=sub=client id, aud=endpoint', async () => {
    const body = new URLSearchParams();
    const secret = 'a-client-secret-of-at-least-32-bytes!!';
    await createJwtAuth('client_secret_jwt', {})(
      { clientId: 'c1', clientSecret: secret },
      'POST',
      'https://as/token',
      new Headers(),
      body,
    );
    expect(body.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    const { payload, protectedHeader } = await jwtVerify(
      body.get('client_assertion')!,
      new TextEncoder().encode(secret),
      {
        issuer: 'c1',
        subject: 'c1',
        audience: 'https://as/token',
      },
    );
    expect(protectedHeader.alg).toBe('HS256');
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it('private_key_jwt infers the algorithm from the key and carries the kid', async () => {
    for (const [type, options, alg] of [
      ['rsa', { modulusLength: 2048 }, 'RS256'],
      ['rsa-pss', { modulusLength: 2048 }, 'PS256'],
      ['ec', { namedCurve: 'P-256' }, 'ES256'],
      ['ec', { namedCurve: 'P-384' }, 'ES384'],
      ['ed25519', {}, 'EdDSA'],
    ] as const) {
      const { privateKey, publicKey } = generateKeyPairSync(
        type as 'rsa',
        options as never,
      ) as unknown as {
        privateKey: KeyObject;
        publicKey: KeyObject;
      };
      expect((await importSigningKey(privateKey)).alg).toBe(alg);
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const body = new URLSearchParams();
      await createJwtAuth('private_key_jwt', { clientKey: pem, clientKeyId: 'k1' })(
        { clientId: 'c2' },
        'POST',
        'https://as/token',
        new Headers(),
        body,
      );
      const assertion = body.get('client_assertion')!;
      expect(decodeProtectedHeader(assertion)).toEqual({ alg, kid: 'k1' });
      // Verified with node:crypto, independently of jose.
      const [h, p, sig] = assertion.split('.');
      const hash = alg === 'EdDSA' ? null : `sha${alg.slice(2)}`;
      const ok = verify(
        hash,
        Buffer.from(`${h}.${p}`),
        {
          key: publicKey,
          dsaEncoding: 'ieee-p1363',
          ...(alg === 'PS256' ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {}),
        },
        Buffer.from(sig, 'base64url'),
      );
      expect(ok).toBe(true);
      expect(decodeJwt(assertion)).toMatchObject({ iss: 'c2', sub: 'c2', aud: 'https://as/token' });
    }
  });

  it('accepts a JWK and takes its kid', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'jwk-kid' };
    const imported = await importSigningKey(jwk);
    expect(imported.alg).toBe('ES256');
    expect(imported.kid).toBe('jwk-kid');
    const body = new URLSearchParams();
    await createJwtAuth('private_key_jwt', { clientKey: jwk })(
      { clientId: 'c3' },
      'POST',
      'https://as/token',
      new Headers(),
      body,
    );
    expect(decodeJwt(body.get('client_assertion')!).iss).toBe('c3');
  });

  it('refuses private_key_jwt without a key', async () => {
    const auth = createJwtAuth('private_key_jwt', {});
    await expect(
      auth({ clientId: 'c' }, 'POST', 'https://as/token', new Headers(), new URLSearchParams()),
    ).rejects.toMatchObject({ code: 'ERR_OAUTH_CLIENT_KEY' });
  });
});
