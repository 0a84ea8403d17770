/**
 * The ways to give the Nest module its Redis, in one process against a real
 * redis-server and oidc-provider: an ioredis client, a `RedisOAuthStore` not
 * yet connected, `OAUTH_REDIS_URL` through `ConfigService` (not the
 * environment); a `cache` in code wins over `OAUTH_REDIS_URL`; OAuth 1
 * request tokens go to the same store, used once. Across processes:
 * nest-redis-processes.e2e-spec.ts and nest-redis-faults.e2e-spec.ts.
 */
import { ConfigModule } from '@nestjs/config';
import { Redis } from 'ioredis';
import { OAuthModule, type OAuthModuleOptions } from '../../../lib/index.js';
import { RedisOAuthStore, RedisUnavailableError } from '../../../lib/redis/index.js';
import { BrowserClient } from '../../fixtures/browser-client.js';
import {
  LoginAppModule,
  registerOpClient,
  SessionStore,
} from '../../fixtures/nest-apps/login.app.js';
import { startApp, type StartedApp } from '../../fixtures/nest-apps/start-app.js';
import { startOAuth1Server, type OAuth1TestServer } from '../../fixtures/oauth1-server.js';
import { startOidcProvider, type OidcProviderFixture } from '../../fixtures/oidc-provider.js';
import { startRedisServer, type RedisTestServer } from '../../fixtures/redis-server.js';
import { startTokenGate, type TokenGate } from '../../fixtures/token-gate.js';

const CLIENT_ID = 'redis-config';
const CLIENT_SECRET = 'redis-config-secret-3c9d2e7f1a0b4c5d';

let op: OidcProviderFixture;
let redis: RedisTestServer;
let gate: TokenGate;
let raw: Redis;
let app: StartedApp | undefined;

beforeAll(async () => {
  [op, redis] = await Promise.all([startOidcProvider(), startRedisServer()]);
  gate = await startTokenGate(op.issuer);
  raw = new Redis(redis.url);
}, 60_000);

afterAll(async () => {
  raw?.disconnect();
  await Promise.all([op?.close(), gate?.close(), redis?.stop()]);
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  gate.open();
  await raw.flushall();
});

const opClient = () => ({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  serverMetadataUrl: op.discoveryUrl,
  refreshTokenUrl: `${gate.url}/token`,
  apiBaseUrl: op.issuer,
  redirectUri: '/auth/callback/op',
  clientKwargs: { scope: 'openid offline_access' },
});

/** Starts the scenario app with these module options; its callback is registered at the provider. */
async function start(oauth: Omit<OAuthModuleOptions, 'clients'>, sessions = new SessionStore()) {
  // A relative redirect URI: the app's own address, registered once the app listens.
  app = await startApp(
    LoginAppModule.with({ sessions, oauth: { ...oauth, clients: { op: opClient() } } }),
    'express',
  );
  await registerOpClient(op, app.url, CLIENT_ID, CLIENT_SECRET, 'openid offline_access');
  return { app, sessions };
}

/** A login through the app; returns the browser (with the `sid` cookie). */
async function login(started: StartedApp): Promise<BrowserClient> {
  const browser = new BrowserClient();
  const hop = await browser.request(`${started.url}/auth/login/op`);
  expect(hop.status).toBe(302);
  expect(await raw.keys('nestjs-oauth:cache:oauth:state:op:*')).toHaveLength(1);
  const { callbackUrl } = await browser.loginAtProvider(hop.location!);
  expect((await browser.request(callbackUrl)).status).toBe(200);
  expect(await raw.keys('nestjs-oauth:cache:*')).toEqual([]);
  return browser;
}

/** Expires the session's token, holds the refresh at the gate: the lock is in Redis meanwhile. */
async function refreshUnderLock(
  started: StartedApp,
  sessions: SessionStore,
  browser: BrowserClient,
) {
  const [entry] = sessions.tokens.values();
  entry.token = { ...entry.token, expires_at: Math.floor(Date.now() / 1000) - 10 };
  gate.shut();
  const call = browser.request(`${started.url}/api/op/get?path=me`);
  await gate.arrived(1);
  expect(await raw.keys('nestjs-oauth:lock:refresh:op:*')).toHaveLength(1);
  gate.open();
  const answer = await call;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ status: 200 });
  expect(await raw.keys('nestjs-oauth:lock:*')).toEqual([]);
}

describe('the module’s Redis', () => {
  it('an ioredis client: state and refresh lock in Redis; the client stays open after shutdown', async () => {
    const client = new Redis(redis.url);
    try {
      const { app: started, sessions } = await start({ cache: client });
      await refreshUnderLock(started, sessions, await login(started));
      await started.close();
      app = undefined;
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  }, 60_000);

  it('a RedisOAuthStore not yet connected: connected at start-up, closed on shutdown', async () => {
    const store = new RedisOAuthStore({ url: redis.url });
    const { app: started, sessions } = await start({ cache: store });
    await refreshUnderLock(started, sessions, await login(started));
    await started.close();
    app = undefined;
    await expect(store.get('x')).rejects.toBeInstanceOf(RedisUnavailableError);
  }, 60_000);

  it('OAUTH_REDIS_URL through ConfigService (a loaded config, not the environment)', async () => {
    expect(process.env.OAUTH_REDIS_URL).toBeUndefined();
    const sessions = new SessionStore();
    app = await startApp(
      LoginAppModule.around(
        OAuthModule.forRootAsync({
          clients: ['op'],
          useFactory: () => ({
            clients: { op: opClient() },
            fetchToken: sessions.fetchToken,
            updateToken: sessions.updateToken,
          }),
        }),
        {
          sessions,
          hasOp: true,
          imports: [
            ConfigModule.forRoot({
              isGlobal: true,
              ignoreEnvFile: true,
              load: [() => ({ OAUTH_REDIS_URL: redis.url })],
            }),
          ],
        },
      ),
      'express',
    );
    await registerOpClient(op, app.url, CLIENT_ID, CLIENT_SECRET, 'openid offline_access');
    await refreshUnderLock(app, sessions, await login(app));
  }, 60_000);

  it('a cache given in code wins over OAUTH_REDIS_URL (never connected to)', async () => {
    process.env.OAUTH_REDIS_URL = 'redis://127.0.0.1:1';
    try {
      const map = new Map<string, unknown>();
      const { app: started } = await start({
        cache: {
          get: (key) => map.get(key),
          set: (key, value) => void map.set(key, value),
          delete: (key) => void map.delete(key),
        },
      });
      const hop = await new BrowserClient().request(`${started.url}/auth/login/op`);
      expect(hop.status).toBe(302);
      expect([...map.keys()]).toEqual([expect.stringMatching(/^oauth:state:op:/)]);
      expect(await raw.dbsize()).toBe(0);
    } finally {
      delete process.env.OAUTH_REDIS_URL;
    }
  }, 60_000);
});

describe('a start-up that fails after Redis was connected', () => {
  it('closes the connection (a process left holding it would not exit)', async () => {
    const connections = async () =>
      ((await raw.client('LIST')) as string).split('\n').filter((l) => l.includes('addr=')).length;
    const before = await connections();
    const failed = await startApp(
      LoginAppModule.with({
        oauth: {
          cache: new RedisOAuthStore({ url: redis.url }),
          clients: { op: { ...opClient(), clientKwargs: { refreshLock: 'yes' } } },
        },
      }),
      'express',
    ).catch((e) => e);
    expect(failed).toMatchObject({
      name: 'OAuthConfigError',
      key: 'clients.op.clientKwargs.refreshLock',
    });
    expect(await connections()).toBe(before);
  }, 60_000);
});

describe('OAuth 1 request tokens in the Redis store', () => {
  let server: OAuth1TestServer;
  beforeAll(async () => {
    server = await startOAuth1Server();
  });
  afterAll(() => server?.close());

  it('are kept in Redis (not the cookie) and taken once', async () => {
    const store = await RedisOAuthStore.connect({ url: redis.url });
    app = await startApp(
      LoginAppModule.with({
        oauth: {
          cache: store,
          clients: {
            twitter: {
              clientId: server.consumer.key,
              clientSecret: server.consumer.secret,
              requestTokenUrl: server.endpoints.requestToken,
              accessTokenUrl: server.endpoints.accessToken,
              authorizeUrl: server.endpoints.authorize,
              apiBaseUrl: server.apiBaseUrl,
              userinfoEndpoint: 'me',
              redirectUri: '/auth/callback/twitter',
            },
          },
        },
      }),
      'express',
    );
    const browser = new BrowserClient();
    const hop = await browser.request(`${app.url}/auth/login/twitter`);
    expect(hop.status).toBe(302);
    const [key] = await raw.keys('nestjs-oauth:cache:oauth:state:twitter:*');
    const entry = JSON.parse((await raw.get(key))!);
    const requestToken = new URL(hop.location!).searchParams.get('oauth_token');
    expect(entry.d.requestToken).toEqual({
      oauth_token: requestToken,
      oauth_token_secret: expect.any(String),
    });
    const [cookie] = hop.headers.getSetCookie();
    expect(cookie).not.toContain(entry.d.requestToken.oauth_token_secret);

    const back = await browser.follow(hop);
    expect(back.last.status).toBe(200);
    expect(await raw.exists(key)).toBe(0);
    const again = await browser.request(back.last.url);
    expect(again.status).toBe(400);
    expect(JSON.parse(again.body).error).toBe('mismatching_state');
  }, 60_000);
});
