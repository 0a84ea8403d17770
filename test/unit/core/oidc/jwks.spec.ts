import { exportJWK, generateKeyPair, jwtVerify, type CryptoKey, type JWK } from 'jose';
import {
  InvalidResponseError,
  InvalidTokenError,
  OAuthTimeoutError,
} from '../../../../lib/core/errors.js';
import { JwksCache, validateIdToken } from '../../../../lib/core/oidc/index.js';
import { expectInvalid, jsonRoute, sign, startServer, type TestServer } from './support.js';

const ISSUER = 'https://op.example.com';
const CLIENT_ID = 'client-1';

type Pair = { privateKey: CryptoKey; publicKey: CryptoKey };
let server: TestServer;
let k1: Pair;
let k2: Pair;
let jwk1: JWK;
let jwk2: JWK;
/** What /jwks serves; tests change it to simulate a rotation. */
let served: JWK[];

beforeAll(async () => {
  [k1, k2] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('ES256')]);
  jwk1 = { ...(await exportJWK(k1.publicKey)), kid: 'k1' };
  jwk2 = { ...(await exportJWK(k2.publicKey)), kid: 'k2' };
  server = await startServer({
    '/jwks': jsonRoute(() => ({ keys: served }), { delay: 20 }),
    '/html': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>'),
    '/not-a-set': jsonRoute(() => ({ keys: 'nope' })),
    '/private': jsonRoute(() => ({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] })),
    '/hang': () => undefined,
  });
});

afterAll(() => server.close());

beforeEach(() => {
  served = [jwk1];
  server.routes.set(
    '/jwks',
    jsonRoute(() => ({ keys: served }), { delay: 20 }),
  );
});

const claims = () => {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: CLIENT_ID, sub: 'u1', iat: now, exp: now + 600 };
};
const token1 = () => sign(claims(), k1.privateKey, { alg: 'RS256', kid: 'k1' });
const token2 = () => sign(claims(), k2.privateKey, { alg: 'ES256', kid: 'k2' });
const validate = (token: string, keys: JwksCache) =>
  validateIdToken(token, {
    issuer: ISSUER,
    clientId: CLIENT_ID,
    keys,
    algorithms: ['RS256', 'ES256'],
  });

function freshCache(extra: ConstructorParameters<typeof JwksCache>[1] = {}) {
  const path = `/jwks-${Math.random().toString(36).slice(2)}`;
  server.routes.set(path, (req, res) => server.routes.get('/jwks')!(req, res));
  return { cache: new JwksCache(`${server.url}${path}`, extra), hits: () => server.hits(path) };
}

describe('JwksCache', () => {
  it('fetches the set once and caches it, also for concurrent first uses', async () => {
    const { cache, hits } = freshCache();
    const tokens = await Promise.all(Array.from({ length: 5 }, token1));
    await Promise.all(tokens.map((t) => validate(t, cache)));
    await validate(await token1(), cache);
    expect(hits()).toBe(1);
    expect(cache.fetches).toBe(1);
  });

  it('is a jose key resolver', async () => {
    const { cache } = freshCache();
    const { payload } = await jwtVerify(await token1(), cache.getKey, { issuer: ISSUER });
    expect(payload.sub).toBe('u1');
  });

  it('re-fetches exactly once on an unknown kid (key rotation)', async () => {
    const { cache, hits } = freshCache();
    await validate(await token1(), cache);
    served = [jwk1, jwk2]; // the provider rotates in k2
    await expect(validate(await token2(), cache)).resolves.toMatchObject({ sub: 'u1' });
    expect(hits()).toBe(2);
    await validate(await token2(), cache);
    await validate(await token1(), cache);
    expect(hits()).toBe(2);
  });

  it('a burst of 50 tokens with a rotated kid shares one re-fetch and all verify', async () => {
    const { cache, hits } = freshCache();
    await validate(await token1(), cache);
    served = [jwk2];
    const tokens = await Promise.all(Array.from({ length: 50 }, token2));
    const results = await Promise.all(tokens.map((t) => validate(t, cache)));
    expect(results).toHaveLength(50);
    expect(hits()).toBe(2);
  });

  it('a burst of 50 unknown-kid tokens causes one fetch, and all are refused', async () => {
    const { cache, hits } = freshCache();
    const forger = await generateKeyPair('RS256');
    const forged = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sign(claims(), forger.privateKey, { alg: 'RS256', kid: `evil-${i % 3}` }),
      ),
    );
    await validate(await token1(), cache);
    const errors = await Promise.all(
      forged.map((t) => validate(t, cache).catch((e: unknown) => e)),
    );
    for (const err of errors) {
      expect(err).toBeInstanceOf(InvalidTokenError);
      expect(err).toMatchObject({ claim: 'signature' });
    }
    expect(hits()).toBe(2);
  });

  it('after a re-fetch, the cooldown stops unknown kids from fetching until it elapses', async () => {
    let now = 1_000_000;
    const { cache, hits } = freshCache({ cooldown: 30_000, now: () => now });
    const forger = await generateKeyPair('RS256');
    const forged = () => sign(claims(), forger.privateKey, { alg: 'RS256', kid: 'evil' });
    await validate(await token1(), cache);
    await expectInvalid(validate(await forged(), cache), 'signature'); // one re-fetch
    expect(hits()).toBe(2);
    now += 10_000;
    await expectInvalid(validate(await forged(), cache), 'signature');
    await expectInvalid(validate(await forged(), cache), 'signature');
    expect(hits()).toBe(2);
    // a real rotation during the cooldown waits for it to elapse
    served = [jwk1, jwk2];
    await expectInvalid(validate(await token2(), cache), 'signature');
    expect(hits()).toBe(2);
    now += 20_001;
    await expect(validate(await token2(), cache)).resolves.toBeDefined();
    expect(hits()).toBe(3);
  });

  it('re-fetches when the ttl has elapsed', async () => {
    let now = 5_000_000;
    const { cache, hits } = freshCache({ ttl: 60_000, now: () => now });
    await validate(await token1(), cache);
    now += 59_000;
    await validate(await token1(), cache);
    expect(hits()).toBe(1);
    now += 2_000;
    await validate(await token1(), cache);
    expect(hits()).toBe(2);
  });

  it('does not cache a failed fetch', async () => {
    const { cache, hits } = freshCache();
    server.routes.set(
      '/jwks',
      jsonRoute(() => ({ error: 'server_error' }), { status: 503 }),
    );
    const err = await validate(await token1(), cache).catch((e: unknown) => e);
    expect(err).toMatchObject({ error: 'server_error', status: 503 });
    server.routes.set(
      '/jwks',
      jsonRoute(() => ({ keys: served })),
    );
    await expect(validate(await token1(), cache)).resolves.toBeDefined();
    expect(hits()).toBe(2);
  });

  it('refuses garbage key sets with InvalidResponseError naming the endpoint', async () => {
    for (const path of ['/html', '/not-a-set', '/missing']) {
      const cache = new JwksCache(`${server.url}${path}?secret=1`);
      const err = await cache.getKey({ alg: 'RS256', kid: 'k1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect((err as Error).message).toContain(`${server.url}${path}`);
      expect((err as Error).message).not.toContain('secret=1');
    }
  });

  it('never verifies an HMAC token with a member of the key set', async () => {
    const cache = new JwksCache(`${server.url}/private`);
    const token = await sign(claims(), new TextEncoder().encode('secret'), { alg: 'HS256' });
    // HS256 is not even tried with the provider keys
    await expectInvalid(
      validateIdToken(token, {
        issuer: ISSUER,
        clientId: CLIENT_ID,
        keys: cache,
        algorithms: ['HS256'],
      }),
      'alg',
      token,
    );
    expect(cache.fetches).toBe(0);
  });

  it('times out with OAuthTimeoutError naming the endpoint', async () => {
    const cache = new JwksCache(`${server.url}/hang`, { timeout: 100 });
    const err = await validate(await token1(), cache).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthTimeoutError);
    expect((err as Error).message).toBe(`request to ${server.url}/hang timed out after 100 ms`);
  });
});
