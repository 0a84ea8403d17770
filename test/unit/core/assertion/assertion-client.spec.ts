import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import { AssertionClient, type AssertionKey } from '../../../../lib/core/assertion/index.js';

const TOKEN_ENDPOINT = 'https://as.example.com/token';

function client(
  key: AssertionKey,
  extra: Partial<ConstructorParameters<typeof AssertionClient>[0]> = {},
) {
  return new AssertionClient({
    tokenEndpoint: TOKEN_ENDPOINT,
    issuer: 'svc@example.com',
    audience: TOKEN_ENDPOINT,
    key,
    ...extra,
  });
}

describe('AssertionClient.createAssertion', () => {
  it('signs iss, sub (defaulting to iss), aud, iat, exp, a random jti, extra claims and header', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const c = client(privateKey, {
      expiresIn: 600,
      claims: { scope: 'a b', tenant: 't1' },
      header: { kid: 'key-1' },
    });
    const before = Math.floor(Date.now() / 1000);
    const jwt = await c.createAssertion();
    const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, {
      issuer: 'svc@example.com',
      audience: TOKEN_ENDPOINT,
    });
    expect(protectedHeader).toEqual({ alg: 'RS256', kid: 'key-1' });
    expect(payload.sub).toBe('svc@example.com');
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload).toMatchObject({ scope: 'a b', tenant: 't1' });
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    const jtis = new Set(
      await Promise.all(
        Array.from(
          { length: 20 },
          async () => (await jwtVerify(await c.createAssertion(), publicKey)).payload.jti,
        ),
      ),
    );
    expect(jtis.size).toBe(20);
  });

  it('uses an explicit subject and audience list, and defaults expiresIn to 3600', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwt = await client(privateKey, {
      subject: 'user-7',
      audience: ['a', 'b'],
    }).createAssertion();
    const { payload } = await jwtVerify(jwt, publicKey);
    expect(payload).toMatchObject({ iss: 'svc@example.com', sub: 'user-7', aud: ['a', 'b'] });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it.each([
    ['RSA PKCS#8 PEM', 'rsa', 'pkcs8', 'RS256'],
    ['RSA PKCS#1 PEM', 'rsa', 'pkcs1', 'RS256'],
    ['EC P-256 SEC1 PEM', 'ec-256', 'sec1', 'ES256'],
    ['EC P-384 PKCS#8 PEM', 'ec-384', 'pkcs8', 'ES384'],
    ['EC P-521 PKCS#8 PEM', 'ec-521', 'pkcs8', 'ES512'],
    ['Ed25519 PKCS#8 PEM', 'ed25519', 'pkcs8', 'EdDSA'],
  ] as const)('infers the algorithm of a %s', async (_name, type, format, alg) => {
    const pair =
      type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : type === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('ec', {
              namedCurve: { 'ec-256': 'P-256', 'ec-384': 'P-384', 'ec-521': 'P-521' }[type],
            });
    const pem = pair.privateKey.export({ format: 'pem', type: format }) as string;
    const jwt = await client(pem).createAssertion();
    expect(decodeProtectedHeader(jwt).alg).toBe(alg);
    await expect(jwtVerify(jwt, pair.publicKey)).resolves.toBeDefined();
  });

  it('accepts private JWKs, KeyObjects and CryptoKeys, and an explicit alg (PS256 with an RSA key)', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = await generateKeyPair('ES384', { extractable: true });
    const ed = await generateKeyPair('EdDSA', { extractable: true });
    const jwkEc = await exportJWK(ec.privateKey);
    const jwkEd = await exportJWK(ed.privateKey);
    const cases: Array<[AssertionKey, string, Parameters<typeof jwtVerify>[1], string?]> = [
      [rsa.privateKey, 'RS256', rsa.publicKey],
      [rsa.privateKey, 'PS256', rsa.publicKey, 'PS256'],
      [rsa.privateKey.export({ format: 'jwk' }) as never, 'RS384', rsa.publicKey, 'RS384'],
      [jwkEc, 'ES384', ec.publicKey],
      [jwkEd, 'EdDSA', ed.publicKey],
      [ec.privateKey, 'ES384', ec.publicKey],
    ];
    for (const [key, alg, verifyKey, explicit] of cases) {
      const jwt = await client(key, explicit ? { alg: explicit } : {}).createAssertion();
      expect(decodeProtectedHeader(jwt).alg).toBe(alg);
      await expect(jwtVerify(jwt, verifyKey)).resolves.toBeDefined();
    }
    // alg given in the header option
    const jwt = await client(rsa.privateKey, {
      header: { alg: 'RS512', kid: 'k' },
    }).createAssertion();
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS512', kid: 'k' });
  });

  it('signs with HMAC secrets: string (UTF-8), Uint8Array, oct JWK, secret KeyObject', async () => {
    const secret = 'a-long-enough-shared-secret-for-hs256!';
    const bytes = new TextEncoder().encode(secret);
    const oct = { kty: 'oct', k: Buffer.from(bytes).toString('base64url') };
    for (const key of [secret, bytes, oct, createSecretKey(bytes)] as AssertionKey[]) {
      const jwt = await client(key).createAssertion();
      expect(decodeProtectedHeader(jwt).alg).toBe('HS256');
      await expect(jwtVerify(jwt, bytes)).resolves.toBeDefined();
    }
    const hs512 = await client(secret, { alg: 'HS512' }).createAssertion();
    expect(decodeProtectedHeader(hs512).alg).toBe('HS512');
    await expect(jwtVerify(hs512, bytes)).resolves.toBeDefined();
  });

  it('imports the key once and reuses it', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const subtle = crypto.subtle;
    const original = subtle.importKey;
    let imports = 0;
    subtle.importKey = function (this: SubtleCrypto, ...args: unknown[]) {
      imports++;
      return (original as (...a: unknown[]) => Promise<CryptoKey>).apply(this, args);
    } as typeof subtle.importKey;
    try {
      const c = client(pem);
      await Promise.all(Array.from({ length: 10 }, () => c.createAssertion()));
      await c.createAssertion();
      expect(imports).toBe(1);
    } finally {
      subtle.importKey = original;
    }
  });

  it('refuses public keys, certificates-like PEM and mismatched algorithms with a TypeError that holds no key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const publicJwk = rsa.publicKey.export({ format: 'jwk' });
    const { publicKey: publicCrypto } = await generateKeyPair('ES256');
    const privatePem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const bad: Array<[AssertionKey, Record<string, unknown>]> = [
      [publicPem, {}],
      [publicJwk as never, {}],
      [rsa.publicKey, {}],
      [publicCrypto, {}],
      ['shared-secret', { alg: 'RS256' }],
      [privatePem, { alg: 'ES256' }],
      ['-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----', {}],
      [12 as never, {}],
    ];
    for (const [key, extra] of bad) {
      const err = await client(key, extra)
        .createAssertion()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError);
      expect(err).toMatchObject({ code: 'ERR_OAUTH_INVALID_KEY' });
      expect((err as Error).message).toMatch(/^signing key: /);
      expect((err as Error).message).not.toContain('BEGIN');
      expect((err as Error).message).not.toContain('shared-secret');
    }
  });

  it('refuses missing required options with a TypeError naming the option', () => {
    expect(
      () =>
        new AssertionClient({ tokenEndpoint: TOKEN_ENDPOINT, issuer: 'x', audience: 'y' } as never),
    ).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        code: 'ERR_OAUTH_INVALID_OPTION',
        message: 'AssertionClient needs the "key" option',
      }),
    );
  });

  it('a saved token is used until it expires', async () => {
    const key = await importJWK({ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' }, 'HS256');
    const token = {
      access_token: 'saved',
      token_type: 'Bearer',
      expires_at: Math.floor(Date.now() / 1000) + 3600,
    };
    let seen = '';
    const c = client(key as Uint8Array, {
      token,
      // one branch only: prove the saved token is attached without any token request
      fetch: async (_url, init) => {
        seen = new Headers(init?.headers).get('authorization') ?? '';
        return new Response('{}', { status: 200 });
      },
    });
    expect(c.token).toBe(token);
    await c.get('https://api.example.com/x');
    expect(seen).toBe('Bearer saved');
  });
});
