// Sign in with Apple: the client secret is an ES256 JWT the preset signs itself.
import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { apple, appleClientSecret } from '../../../lib/presets/apple.preset.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

async function authenticate(
  fn: ReturnType<typeof appleClientSecret>,
  clientId = 'com.example.web',
): Promise<URLSearchParams> {
  const result = await fn(
    { clientId },
    'POST',
    'https://appleid.apple.com/auth/token',
    new Headers(),
    new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }),
  );
  return result.body;
}

describe('apple preset', () => {
  it('uses Apple endpoints, form_post and the signing auth method', () => {
    const options = apple({ teamId: 'TEAM123456', keyId: 'KEY1234567', privateKey: pem });
    expect(options).toMatchObject({
      serverMetadataUrl: 'https://appleid.apple.com/.well-known/openid-configuration',
      authorizeUrl: 'https://appleid.apple.com/auth/authorize',
      accessTokenUrl: 'https://appleid.apple.com/auth/token',
      authorizeParams: { response_mode: 'form_post' },
      clientKwargs: { scope: 'openid name email' },
    });
    expect(
      typeof (options.clientKwargs as { tokenEndpointAuthMethod: unknown }).tokenEndpointAuthMethod,
    ).toBe('function');
    expect(options.clientSecret).toBeUndefined();
  });

  it('posts client_id and an ES256 client secret Apple accepts', async () => {
    const before = Math.floor(Date.now() / 1000);
    const body = await authenticate(
      appleClientSecret({ teamId: 'TEAM123456', keyId: 'KEY1234567', privateKey: pem }),
    );
    expect(body.get('client_id')).toBe('com.example.web');
    expect(body.get('code')).toBe('c');
    const secret = body.get('client_secret')!;
    expect(decodeProtectedHeader(secret)).toEqual({ alg: 'ES256', kid: 'KEY1234567' });
    const { payload } = await jwtVerify(secret, publicKey, {
      issuer: 'TEAM123456',
      audience: 'https://appleid.apple.com',
      subject: 'com.example.web',
      algorithms: ['ES256'],
    });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('reuses a secret until it nears expiry, and signs a new one for another client id', async () => {
    const fn = appleClientSecret({ teamId: 'T', keyId: 'K', privateKey, secretLifetime: 10 ** 9 });
    const first = (await authenticate(fn)).get('client_secret');
    const second = (await authenticate(fn)).get('client_secret');
    expect(second).toBe(first);
    const other = (await authenticate(fn, 'com.example.other')).get('client_secret')!;
    expect(other).not.toBe(first);
    const { payload } = await jwtVerify(other, publicKey);
    expect(payload.sub).toBe('com.example.other');
    // Capped at Apple's six-month maximum.
    expect(payload.exp! - payload.iat!).toBe(15_777_000);
  });

  it('refuses a missing or non-EC key with a named TypeError that shows no key material', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const cases: unknown[] = [
      () => apple({ teamId: 'T', keyId: 'K', privateKey: '' }),
      () => apple({ teamId: '', keyId: 'K', privateKey: pem }),
      () =>
        apple({
          teamId: 'T',
          keyId: 'K',
          privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
        }),
      () => apple({ teamId: 'T', keyId: 'K', privateKey: rsa }),
      () => apple({ teamId: 'T', keyId: 'K', privateKey: publicKey }),
    ];
    for (const run of cases as (() => unknown)[]) {
      let caught: unknown;
      try {
        run();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(TypeError);
      expect((caught as { code?: string }).code).toBe('ERR_OAUTH_PRESET');
      expect((caught as Error).message).not.toContain('AAAA');
    }
  });
});
