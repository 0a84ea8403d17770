/**
 * What the module makes of its `cache` option (and of `OAUTH_REDIS_URL`):
 * which store keeps login state, which gives the refresh lock, what is closed
 * on shutdown, and the start-up errors. Real Redis: test/e2e/redis/nest-redis-*.
 */
import { OAuthConfigError } from '../../../lib/errors/oauth-config.error.js';
import type { OAuthModuleOptions } from '../../../lib/interfaces/oauth-module-options.interface.js';
import { cacheManagerCache } from '../../../lib/store/cache-manager.cache.js';
import { resolveModuleStore } from '../../../lib/store/module-store.js';

const env =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];
const none = env({});

/** A stand-in for RedisOAuthStore: what the module calls on it. */
function sharedStore() {
  const calls: string[] = [];
  const lock = async () => ({ access_token: 'x' });
  return {
    calls,
    lock,
    get: async () => undefined,
    set: async () => undefined,
    delete: async () => undefined,
    take: async () => undefined,
    refreshLock: (name: string) => (calls.push(`refreshLock ${name}`), lock),
    connect: async () => void calls.push('connect'),
    close: async () => void calls.push('close'),
  };
}

describe('resolveModuleStore', () => {
  it('no cache, no OAUTH_REDIS_URL: the cookie; nothing to lock or close', async () => {
    for (const read of [none, env({ OAUTH_REDIS_URL: '' })]) {
      const store = await resolveModuleStore({}, read);
      expect(store.kind).toBe('cookie');
      expect(store.cache).toBeUndefined();
      expect(store.refreshLock).toBeUndefined();
      await store.close();
    }
  });

  it('a RedisOAuthStore-like store: connected at start-up, state and lock, closed on shutdown', async () => {
    const given = sharedStore();
    const store = await resolveModuleStore({ cache: given }, env({ OAUTH_REDIS_URL: 'x' }));
    expect(store.kind).toBe('redis');
    expect(store.cache).toBe(given);
    expect(given.calls).toEqual(['connect']);
    expect(store.refreshLock!('github')).toBe(given.lock);
    expect(given.calls).toEqual(['connect', 'refreshLock github']);
    await store.close();
    expect(given.calls).toContain('close');
  });

  it('a plain OAuthCache (even with take): state only, no lock', async () => {
    const cache = { get: () => 1, set: () => 1, delete: () => 1, take: () => 1 };
    const store = await resolveModuleStore({ cache }, none);
    expect(store).toMatchObject({ kind: 'cache', cache });
    expect(store.refreshLock).toBeUndefined();
  });

  it('the CACHE_MANAGER: state only, lifetimes in milliseconds', async () => {
    const calls: unknown[][] = [];
    const manager = {
      get: async (key: string) => (calls.push(['get', key]), 'v'),
      set: async (...args: unknown[]) => void calls.push(['set', ...args]),
      del: async (key: string) => (calls.push(['del', key]), true),
      wrap: async () => undefined,
    };
    const store = await resolveModuleStore({ cache: manager }, none);
    expect(store.kind).toBe('cache-manager');
    expect(store.refreshLock).toBeUndefined();
    await store.cache!.set('k', { a: 1 }, 660);
    await store.cache!.set('k', 1, 0.5);
    await store.cache!.set('k', 1);
    expect(await store.cache!.get('k')).toBe('v');
    await store.cache!.delete('k');
    expect(calls).toEqual([
      ['set', 'k', { a: 1 }, 660_000],
      ['set', 'k', 1, 500],
      ['set', 'k', 1, undefined],
      ['get', 'k'],
      ['del', 'k'],
    ]);
    expect(cacheManagerCache(manager).take).toBeUndefined();
  });

  it.each([
    ['a string', 'redis://x'],
    ['an object without delete', { get: () => 1, set: () => 1 }],
    ['a number', 42],
  ])('refuses a cache that is %s, naming what it may be', async (_what, cache) => {
    const failed = resolveModuleStore({ cache } as unknown as OAuthModuleOptions, none);
    await expect(failed).rejects.toThrow(OAuthConfigError);
    await expect(failed).rejects.toThrow(
      'OAuth module: cache must be an object with get, set and delete (seconds), a RedisOAuthStore, ' +
        'an ioredis client, or the CACHE_MANAGER of @nestjs/cache-manager',
    );
  });

  it('refuses an OAUTH_REDIS_URL that is not a redis:// URL, without echoing it', async () => {
    for (const url of ['http://u:secret-pw@h', { url: 'x' }]) {
      const failed = resolveModuleStore({}, env({ OAUTH_REDIS_URL: url })).catch((e) => e);
      const err = await failed;
      expect(err).toBeInstanceOf(OAuthConfigError);
      expect(err).toMatchObject({ key: 'OAUTH_REDIS_URL' });
      expect(err.message).toMatch(
        /^OAuth module: OAUTH_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/,
      );
      expect(err.message).not.toContain('secret-pw');
    }
  });
});
