/**
 * The OAuth 1 provider's nonces in Redis (issue 16: one Redis for every
 * instance-shared thing), against a real redis-server: `redisNonceStore`
 * saves a nonce once (atomic SET NX), for as long as its timestamp can pass
 * the window, under a hashed key; and two instances (`withRedisNonces`) of an OAuth1ServerModule
 * app (one on Express, one on Fastify) sharing the Redis refuse a request
 * replayed from one to the other, and let exactly one of six racing copies in.
 * Plus docs/oauth1-provider.md's Redis example, run as written.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Module } from '@nestjs/common';
import { Redis } from 'ioredis';
import { OAuth1Client } from '../../../lib/core/oauth1/oauth1-client.js';
import { InMemoryOAuth1ServerStorage } from '../../../lib/server/oauth1/index.js';
import { RedisOAuthStore, redisNonceStore } from '../../../lib/redis/index.js';
import {
  appClient,
  decide,
  loginAt,
  proxyFetch,
  type TestUser,
} from '../../fixtures/oauth1-provider-app.js';
import { markedBlock } from '../../fixtures/docs-blocks.js';
import { startApp } from '../../fixtures/nest-apps/start-app.js';
import {
  OAuth1ApiController,
  OAuth1EndpointsController,
  nestProviderClient,
  startNestOAuth1Provider,
  type NestProviderApp,
} from '../../fixtures/nest-apps/oauth1-provider.app.js';
import { startRedisServer, type RedisTestServer } from '../../fixtures/redis-server.js';

@Module({})
class RedisDocsAppModule {}

let redis: RedisTestServer;
let raw: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  raw = new Redis(redis.url);
});
afterAll(async () => {
  raw?.disconnect();
  await redis?.stop();
});

describe('redisNonceStore', () => {
  let store: RedisOAuthStore;
  beforeAll(async () => {
    store = await RedisOAuthStore.connect({ url: redis.url, keyPrefix: 'n1:' });
  });
  afterAll(() => store?.close());

  it('saves a nonce once, under a hashed key, until its timestamp leaves the window', async () => {
    const now = 1_700_000_000;
    const nonces = redisNonceStore(store, { now: () => now });
    const key = {
      clientKey: 'printer-client-key',
      timestamp: now,
      nonce: 'the-nonce-value-0001',
      accessToken: 'token-lookup-key',
    };
    expect(await nonces.getNonce(key)).toBe(false);
    expect(await nonces.saveNonce({ ...key, expiresAt: now + 301 })).toBe(true);
    expect(await nonces.saveNonce({ ...key, expiresAt: now + 301 })).toBe(false);
    expect(await nonces.getNonce(key)).toBe(true);
    // Another token, timestamp or client: another nonce.
    expect(await nonces.getNonce({ ...key, accessToken: 'other' })).toBe(false);
    expect(await nonces.getNonce({ ...key, timestamp: now + 1 })).toBe(false);
    expect(
      await nonces.getNonce({ ...key, requestToken: 'token-lookup-key', accessToken: undefined }),
    ).toBe(false);

    const keys = await raw.keys('n1:*');
    expect(keys).toEqual([expect.stringMatching(/^n1:cache:oauth1-nonce:[\w-]{43}$/)]);
    expect(keys.join()).not.toContain('the-nonce-value');
    const ttl = await raw.ttl(keys[0]!);
    expect(ttl).toBeGreaterThan(295);
    expect(ttl).toBeLessThanOrEqual(301);
  });

  it('of 50 concurrent saves of one nonce, exactly one succeeds', async () => {
    const nonces = redisNonceStore(store);
    const nonce = {
      clientKey: 'c',
      timestamp: Math.floor(Date.now() / 1000),
      nonce: 'racing-nonce',
      expiresAt: Math.floor(Date.now() / 1000) + 300,
    };
    const results = await Promise.all(Array.from({ length: 50 }, () => nonces.saveNonce(nonce)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('two instances of an OAuth1ServerModule app sharing one Redis for nonces', () => {
  let stores: RedisOAuthStore[];
  let apps: NestProviderApp[];

  beforeAll(async () => {
    // One database (the in-memory storage stands in for it), one Redis, two instances.
    const client = nestProviderClient();
    const storage = new InMemoryOAuth1ServerStorage<TestUser>({
      clients: [
        {
          clientKey: client.key,
          clientSecret: client.secret,
          redirectUris: [client.callback],
          defaultRealms: ['photos'],
          realms: ['photos'],
        },
      ],
    });
    stores = await Promise.all(
      [1, 2].map(() => RedisOAuthStore.connect({ url: redis.url, keyPrefix: 'shared:' })),
    );
    // Behind one load balancer: one public origin.
    const origin = 'https://photos.example.net';
    apps = [
      await startNestOAuth1Provider('express', {
        origin,
        storage,
        redis: stores[0]!,
      }),
      await startNestOAuth1Provider('fastify', {
        origin,
        storage,
        redis: stores[1]!,
      }),
    ];
  });
  afterAll(async () => {
    await Promise.all((apps ?? []).map((app) => app.close()));
    await Promise.all((stores ?? []).map((store) => store.close()));
  });

  it('a request replayed to the other instance is refused 401 nonce_used; of six racing copies one passes', async () => {
    const [a, b] = apps as [NestProviderApp, NestProviderApp];
    // Login on instance A.
    const client = appClient(a);
    const token = await loginAt(a, client);

    // Sent to A, then replayed to B.
    const signed = client.sign('GET', a.endpoints.me, { token });
    expect((await a.fetch(signed.url, { headers: signed.headers })).status).toBe(200);
    const replay = await b.fetch(signed.url, { headers: signed.headers });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toMatch(/^oauth_problem=nonce_used&/);

    // Racing copies: one request signed once, sent to both instances at the same moment.
    const racing = client.sign('GET', a.endpoints.photos, { token });
    const copies = await Promise.all(
      [a, b, a, b, a, b].map((app) => app.fetch(racing.url, { headers: racing.headers })),
    );
    expect(copies.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
    for (const refused of copies.filter((r) => r.status === 401)) {
      expect(await refused.text()).toMatch(/^oauth_problem=nonce_used&/);
    }
    expect(a.serverErrors).toEqual([]);
    expect(b.serverErrors).toEqual([]);
  });
});

describe("docs/oauth1-provider.md's Redis nonces, run as written", () => {
  const DIR = 'test/.artifacts/oauth1-redis-docs';
  const SECRET = 'docs-printer-secret-0123456789';
  afterAll(() => {
    rmSync(DIR, { recursive: true, force: true });
    delete process.env.OAUTH_REDIS_URL;
    delete process.env.PRINTER_CLIENT_SECRET;
  });

  it('a login, then a replayed request refused 401 nonce_used, its nonce in Redis', async () => {
    const block = markedBlock('docs/oauth1-provider.md', 'oauth1 redis nonces');
    const source = block
      .replace("from 'nestjs-oauth';", "from '../../../lib/index.js';")
      .replace("from 'nestjs-oauth/redis';", "from '../../../lib/redis/index.js';");
    expect(source).not.toContain("'nestjs-oauth");
    mkdirSync(DIR, { recursive: true });
    writeFileSync(`${DIR}/oauth1.module.ts`, source);
    process.env.OAUTH_REDIS_URL = redis.url;
    process.env.PRINTER_CLIENT_SECRET = SECRET;
    const { OAuth1Provider } = await import(
      pathToFileURL(`${process.cwd()}/${DIR}/oauth1.module.ts`).href
    );
    // The app: the documented module, the test's endpoint controllers, behind a trusted proxy.
    const started = await startApp(
      {
        module: RedisDocsAppModule,
        imports: [OAuth1Provider],
        controllers: [OAuth1EndpointsController, OAuth1ApiController],
      },
      'fastify',
      (b) => b,
      { trustProxy: true },
    );
    try {
      const origin = 'https://photos.example.net';
      const viaProxy = proxyFetch(origin, started.url, {
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'photos.example.net',
      });
      const client = new OAuth1Client({
        clientId: 'printer',
        clientSecret: SECRET,
        redirectUri: 'https://printer.example.com/ready',
        fetch: viaProxy,
      });
      await client.fetchRequestToken(`${origin}/oauth/request_token`);
      const decision = await decide(
        { fetch: viaProxy, endpoints: { authorize: `${origin}/oauth/authorize` } } as never,
        client.token!.oauth_token,
        true,
      );
      client.parseAuthorizationResponse(decision.location!);
      await client.fetchAccessToken(`${origin}/oauth/access_token`);
      const before = await raw.keys('nestjs-oauth:cache:oauth1-nonce:*');
      const signed = client.sign('GET', `${origin}/api/me`);
      expect((await viaProxy(signed.url, { headers: signed.headers })).status).toBe(200);
      const replay = await viaProxy(signed.url, { headers: signed.headers });
      expect(replay.status).toBe(401);
      expect(await replay.text()).toMatch(/^oauth_problem=nonce_used&/);
      const after = await raw.keys('nestjs-oauth:cache:oauth1-nonce:*');
      expect(after.length).toBe(before.length + 1);
    } finally {
      await started.close(); // RedisModule closes the store
    }
  });
});
