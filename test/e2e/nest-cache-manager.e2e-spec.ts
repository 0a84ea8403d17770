/**
 * The `CACHE_MANAGER` of @nestjs/cache-manager (cache-manager 7) as the
 * module's `cache`, as docs/several-instances.md documents it: the page's
 * block (test/fixtures/several-instances/cache-manager.module.ts) through a
 * whole login and a refresh against oidc-provider, and the documented
 * limits: lifetimes converted to milliseconds, single use by read-then-delete
 * (no atomic take), no cross-instance refresh lock, and per process unless
 * the cache's store is shared.
 */
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createCache, type Cache } from 'cache-manager';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { BrowserClient } from '../fixtures/browser-client.js';
import { LoginAppModule } from '../fixtures/nest-apps/login.app.js';
import { startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';
import { TEST_USER } from '../fixtures/oidc-provider.js';
import { startCluster, type Cluster } from '../fixtures/several-instances/cluster.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

let cluster: Cluster;
const apps: INestApplication[] = [];
let closeTokens: () => void = () => undefined;

/** Starts the docs' CACHE_MANAGER app in this process (Express). */
async function startDocsApp(): Promise<{ app: INestApplication; url: string; port: number }> {
  const { AppModule } = await import('../fixtures/several-instances/cache-manager.module.js');
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  apps.push(app);
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, port, url: `http://127.0.0.1:${port}` };
}

beforeAll(async () => {
  cluster = await startCluster('cache-manager');
  // The docs' app reads its settings from the environment, as ConfigModule does.
  for (const [key, value] of Object.entries(cluster.env())) process.env[key] = value;
  // With a cache, OAUTH_REDIS_URL is not used.
  process.env.OAUTH_REDIS_URL = 'redis://127.0.0.1:1';
  const { tokens } = await import('../fixtures/several-instances/app.module.js');
  closeTokens = () => tokens.disconnect();
}, 120_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  closeTokens();
  for (const key of Object.keys(cluster?.env() ?? {})) delete process.env[key];
  await cluster?.close();
});

describe('the docs’ CACHE_MANAGER app', () => {
  it('completes a login: the state lives in the cache for stateTtl + 60 s, in milliseconds', async () => {
    const { app, port, url } = await startDocsApp();
    const cache = app.get<Cache>(CACHE_MANAGER, { strict: false });
    const browser = new BrowserClient();
    cluster.proxy.target = port;
    const start = await browser.request(`${cluster.proxy.url}/login`);
    expect(start.status).toBe(302);
    const state = new URL(start.location!).searchParams.get('state')!;
    const [binding] = browser.jar.all(cluster.proxy.url).filter((c) => c.name.startsWith('oauth_'));
    const key = `oauth:state:op:${sha256(state)}:${sha256(binding.value).slice(0, 22)}`;
    const expires = await cache.ttl(key);
    expect(expires! - Date.now()).toBeGreaterThan(655_000);
    expect(expires! - Date.now()).toBeLessThanOrEqual(660_000);

    const { callbackUrl } = await browser.loginAtProvider(start.location!);
    const back = await browser.request(callbackUrl);
    expect(back.status).toBe(200);
    expect(await cache.get(key)).toBeUndefined();
    const sid = browser.jar.get(cluster.proxy.url, 'sid')!;
    expect(await cluster.profile({ url, port }, sid)).toMatchObject({
      status: 200,
      body: { sub: TEST_USER.sub },
    });

    // Single use: the same callback again is refused.
    const replay = await browser.request(callbackUrl);
    expect(replay.status).toBe(400);
    expect(JSON.parse(replay.body).error).toBe('mismatching_state');
  }, 60_000);

  it('refreshes an expired token once per process (no cross-instance lock, no Redis involved)', async () => {
    const { port, url } = await startDocsApp();
    const instance = { url, port };
    const sid = await cluster.login(instance);
    await cluster.expire(sid);
    cluster.gate.delayMs = 200;
    const mark = cluster.op.requests.length;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => cluster.profile(instance, sid)),
    );
    cluster.gate.delayMs = 0;
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(cluster.refreshGrants(mark)).toEqual([200]);
    expect(await cluster.withLockRedis((redis) => redis.dbsize())).toBe(0);
  }, 60_000);

  it('with its default in-memory store, the cache is per process: a login does not cross instances', async () => {
    const a = await startDocsApp();
    const b = await startDocsApp();
    const browser = new BrowserClient();
    cluster.proxy.target = a.port;
    const start = await browser.request(`${cluster.proxy.url}/login`);
    const { callbackUrl } = await browser.loginAtProvider(start.location!);
    cluster.proxy.target = b.port;
    const back = await browser.request(callbackUrl);
    expect(back.status).toBe(400);
    expect(JSON.parse(back.body).error).toBe('mismatching_state');
  }, 60_000);
});

describe('a CACHE_MANAGER whose store two instances share', () => {
  const started: StartedApp[] = [];
  afterAll(() => Promise.all(started.map((s) => s.close())));

  it('a login crosses instances and its state is refused once used; the same callback at the same moment on both: one login, never a 500', async () => {
    // One cache object for both apps: as a cache-manager on a shared store (Keyv Redis, ...).
    const shared = createCache();
    const instance = async (clientId: string) => {
      const app = await startApp(
        LoginAppModule.with({
          oauth: {
            cache: shared,
            clients: {
              op: {
                clientId,
                clientSecret: cluster.env().OP_CLIENT_SECRET,
                serverMetadataUrl: cluster.op.discoveryUrl,
                redirectUri: `${cluster.proxy.url}/auth/callback/op`,
                clientKwargs: { scope: 'openid offline_access' },
              },
            },
          },
        }),
        'express',
      );
      started.push(app);
      return app;
    };
    const clientId = cluster.env().OP_CLIENT_ID;
    const [a, b] = await Promise.all([instance(clientId), instance(clientId)]);

    const login = async () => {
      const browser = new BrowserClient();
      cluster.proxy.target = a.port;
      const start = await browser.request(`${cluster.proxy.url}/auth/login/op`);
      const { callbackUrl } = await browser.loginAtProvider(start.location!);
      return { browser, callbackUrl, cookie: browser.jar.headerFor(callbackUrl)! };
    };

    // Sequential: completes on b, then refused on a (the entry is gone from the shared store).
    const first = await login();
    cluster.proxy.target = b.port;
    expect((await first.browser.request(first.callbackUrl)).status).toBe(200);
    const replayOnA = await fetch(first.callbackUrl.replace(cluster.proxy.url, a.url), {
      headers: { cookie: first.cookie },
    });
    expect(replayOnA.status).toBe(400);

    // At the same moment on both: read-then-delete may let both through the state check; the
    // provider's single-use code then refuses the second exchange. One 200, one 400.
    const second = await login();
    const mark = cluster.op.requests.length;
    const statuses = await Promise.all(
      [a, b].map((app) =>
        fetch(second.callbackUrl.replace(cluster.proxy.url, app.url), {
          headers: { cookie: second.cookie },
        }).then((r) => r.status),
      ),
    );
    expect(statuses.sort()).toEqual([200, 400]);
    const exchanges = cluster.op.requests.slice(mark).filter((r) => r.path === '/token');
    expect(exchanges.length).toBeGreaterThanOrEqual(1);
    expect(exchanges.length).toBeLessThanOrEqual(2);
  }, 60_000);
});
