/**
 * Issue 11.8: with a shared cache that can take a value atomically (Redis
 * GETDEL, a real redis-server here), the same callback sent to two instances
 * at the same moment is accepted by exactly one: one code exchange, one login.
 * Express and Fastify.
 */
import { Redis } from 'ioredis';
import type { OAuthCache } from '../../lib/index.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import { startOidcProvider, type OidcProviderFixture } from '../fixtures/oidc-provider.js';
import { addCodeClient, LoginAppModule, opClientOptions } from '../fixtures/nest-apps/login.app.js';
import { startRedisServer, type RedisTestServer } from '../fixtures/redis-server.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const CLIENT_SECRET = 'cache-take-client-secret-0123456789abcdef';

/**
 * An `OAuthCache` on Redis. `get` is slowed down, as a cache across a network
 * is: a store that read then deleted would let both instances read the state.
 */
function redisCache(redis: Redis): OAuthCache {
  return {
    get: async (key) => {
      const value = await redis.get(key);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return value === null ? undefined : JSON.parse(value);
    },
    set: (key, value, seconds) => redis.set(key, JSON.stringify(value), 'EX', seconds ?? 600),
    delete: (key) => redis.del(key),
    take: async (key) => {
      const value = await redis.getdel(key);
      return value === null ? undefined : JSON.parse(value);
    },
  };
}

describe.each(PLATFORMS)(
  'one state, two instances, a cache with an atomic take, on %s',
  (platform) => {
    let op: OidcProviderFixture;
    let redis: RedisTestServer;
    const clients: Redis[] = [];
    let a: StartedApp;
    let b: StartedApp;

    beforeAll(async () => {
      [op, redis] = await Promise.all([startOidcProvider(), startRedisServer()]);
      const start = async () => {
        const client = new Redis(redis.url);
        clients.push(client);
        return startApp(
          LoginAppModule.with({
            oauth: {
              cache: redisCache(client),
              clients: {
                // Both instances are one app behind a balancer: one public redirect URI.
                op: opClientOptions(op, `take-${platform}`, CLIENT_SECRET, {
                  redirectUri: 'http://app.example/auth/callback/op',
                }),
              },
            },
          }),
          platform,
        );
      };
      [a, b] = await Promise.all([start(), start()]);
      await addCodeClient(op, `take-${platform}`, CLIENT_SECRET, [
        'http://app.example/auth/callback/op',
      ]);
    });

    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()]);
      for (const client of clients) client.disconnect();
      await Promise.all([op?.close(), redis?.stop()]);
    });

    it('lets exactly one instance use the state: one code exchange, one 200', async () => {
      for (let round = 0; round < 5; round++) {
        const browser = new BrowserClient();
        const start = await browser.request(`${a.url}/auth/login/op`);
        const { callbackUrl } = await browser.loginAtProvider(start.location!);
        const query = new URL(callbackUrl).search;
        op.requests.length = 0;
        // The same browser's callback reaches both instances at once (a retry, a replay).
        const cookie = browser.jar.headerFor(`${a.url}/auth/callback/op`)!;
        const [onA, onB] = await Promise.all(
          [a, b].map((app) =>
            fetch(`${app.url}/auth/callback/op${query}`, { headers: { cookie } }).then(
              async (r) => ({
                status: r.status,
                body: await r.json(),
              }),
            ),
          ),
        );
        expect([onA.status, onB.status].sort()).toEqual([200, 400]);
        const refused = onA.status === 400 ? onA : onB;
        expect(refused.body.error).toBe('mismatching_state');
        expect(op.requests.filter((r) => r.path === '/token')).toHaveLength(1);
      }
    });
  },
);
