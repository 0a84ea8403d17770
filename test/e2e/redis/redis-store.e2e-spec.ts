/**
 * RedisOAuthStore against a real redis-server: the module cache (JSON values,
 * TTL in seconds, prefixed keys), the atomic single-use take (with GETDEL and
 * with the script for Redis < 6.2), and the lock's safety rules.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { refreshTokenHash } from '../../../lib/core/oauth2/refresh-lock.js';
import type { OAuthCache } from '../../../lib/interfaces/oauth-cache.interface.js';
import {
  RedisLockTimeoutError,
  RedisOAuthStore,
  refreshLockKey,
} from '../../../lib/redis/index.js';
import { startRedisServer, type RedisTestServer } from '../../fixtures/redis-server.js';

describe('RedisOAuthStore (real redis-server)', () => {
  let redis: RedisTestServer;
  let store: RedisOAuthStore;
  let raw: Redis;

  beforeAll(async () => {
    redis = await startRedisServer();
    store = await RedisOAuthStore.connect({ url: redis.url, keyPrefix: 'app1:' });
    raw = new Redis(redis.url);
  });

  afterAll(async () => {
    raw?.disconnect();
    await store?.close();
    await redis?.stop();
  });

  describe('cache', () => {
    it('is an OAuthCache: JSON values under <prefix>cache:<key>', async () => {
      const cache: OAuthCache = store;
      const value = { state: 's', nested: { n: 1, list: [true, null] } };
      await cache.set('oauth:state:github:abc', value, 60);
      expect(await cache.get('oauth:state:github:abc')).toEqual(value);
      expect(await raw.get('app1:cache:oauth:state:github:abc')).toBe(JSON.stringify(value));
      await cache.delete('oauth:state:github:abc');
      expect(await cache.get('oauth:state:github:abc')).toBeUndefined();
      expect(await raw.exists('app1:cache:oauth:state:github:abc')).toBe(0);
    });

    it('expires values after expiresSeconds (fractions allowed); no TTL when omitted', async () => {
      await store.set('short', 'x', 0.2);
      const pttl = await raw.pttl('app1:cache:short');
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(200);
      await store.set('long', 'y', 600);
      expect(await raw.ttl('app1:cache:long')).toBeGreaterThan(590);
      await store.set('forever', 'z');
      expect(await raw.ttl('app1:cache:forever')).toBe(-1);
      await sleep(300);
      expect(await store.get('short')).toBeUndefined();
      expect(await store.get('long')).toBe('y');
    });

    it('keeps stores with different prefixes apart', async () => {
      const other = await RedisOAuthStore.connect({ url: redis.url, keyPrefix: 'app2:' });
      try {
        await store.set('shared-name', 1);
        await other.set('shared-name', 2);
        expect(await store.get('shared-name')).toBe(1);
        expect(await other.take('shared-name')).toBe(2);
        expect(await store.get('shared-name')).toBe(1);
      } finally {
        await other.close();
      }
    });

    it('treats a value it did not write (not JSON) as absent', async () => {
      await raw.set('app1:cache:foreign', '{not json');
      expect(await store.get('foreign')).toBeUndefined();
      expect(await store.take('foreign')).toBeUndefined();
    });

    it('refuses values and lifetimes it cannot store, and empty keys', async () => {
      await expect(store.set('k', undefined)).rejects.toThrow(TypeError);
      await expect(store.set('k', 1n)).rejects.toThrow(TypeError);
      await expect(store.set('k', 1, -1)).rejects.toThrow(/expiresSeconds/);
      await expect(store.set('k', 1, Number.NaN)).rejects.toThrow(/expiresSeconds/);
      await expect(store.get('')).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
      expect(await raw.exists('app1:cache:k')).toBe(0);
    });
  });

  describe('take', () => {
    it('returns the value once, then undefined', async () => {
      await store.set('once', { code: 'c' }, 60);
      expect(await store.take('once')).toEqual({ code: 'c' });
      expect(await store.take('once')).toBeUndefined();
      expect(await store.get('once')).toBeUndefined();
    });

    it('gives one value to exactly one of many concurrent callers', async () => {
      await store.set('contended', 42, 60);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.take('contended')));
      expect(results.filter((r) => r === 42)).toHaveLength(1);
    });

    it('works on a Redis without GETDEL (Redis < 6.2), with a script', async () => {
      const old = await startRedisServer({ args: ['--rename-command', 'GETDEL', ''] });
      const oldStore = await RedisOAuthStore.connect({ url: old.url });
      const oldRaw = new Redis(old.url);
      try {
        await expect(oldRaw.getdel('x')).rejects.toThrow(/unknown command/i);
        await oldStore.set('once', 'v', 60);
        expect(await oldStore.take('once')).toBe('v');
        expect(await oldStore.take('once')).toBeUndefined();
        await oldStore.set('contended', 'w', 60);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => oldStore.take('contended')),
        );
        expect(results.filter((r) => r === 'w')).toHaveLength(1);
      } finally {
        oldRaw.disconnect();
        await oldStore.close();
        await old.stop();
      }
    });
  });

  describe('lock', () => {
    it('acquire gives a random holder token to one caller; others get undefined', async () => {
      const a = await store.acquire('l1', 5_000);
      const b = await store.acquire('l1', 5_000);
      expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(b).toBeUndefined();
      expect(await raw.get('app1:lock:l1')).toBe(a);
      const pttl = await raw.pttl('app1:lock:l1');
      expect(pttl).toBeGreaterThan(4_000);
      expect(await store.release('l1', a!)).toBe(true);
      const c = await store.acquire('l1', 5_000);
      expect(c).toBeDefined();
      expect(c).not.toBe(a);
      await store.release('l1', c!);
    });

    it('release by a non-holder does nothing', async () => {
      const holder = await store.acquire('l2', 5_000);
      expect(await store.release('l2', 'not-the-holder')).toBe(false);
      expect(await raw.get('app1:lock:l2')).toBe(holder);
      expect(await store.acquire('l2', 5_000)).toBeUndefined();
      expect(await store.release('l2', holder!)).toBe(true);
    });

    it('a holder whose lock expired and was taken over cannot release the new holder', async () => {
      const first = await store.acquire('l3', 100);
      await sleep(200);
      const second = await store.acquire('l3', 5_000);
      expect(second).toBeDefined();
      expect(await store.release('l3', first!)).toBe(false);
      expect(await store.extend('l3', first!, 5_000)).toBe(false);
      expect(await raw.get('app1:lock:l3')).toBe(second);
      expect(await store.release('l3', second!)).toBe(true);
    });

    it('extend renews only the holder’s lock', async () => {
      const holder = await store.acquire('l4', 200);
      expect(await store.extend('l4', holder!, 5_000)).toBe(true);
      await sleep(300);
      expect(await store.acquire('l4', 200)).toBeUndefined();
      expect(await raw.pttl('app1:lock:l4')).toBeGreaterThan(4_000);
      expect(await store.release('l4', holder!)).toBe(true);
      expect(await store.extend('l4', holder!, 5_000)).toBe(false);
    });

    it('withLock runs fn alone, returns its result, frees the lock, also when fn throws', async () => {
      let inside = 0;
      let overlaps = 0;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.withLock(
            'l5',
            async () => {
              if (++inside !== 1) overlaps++;
              await sleep(2);
              inside--;
              return i;
            },
            { waitMs: 5_000 },
          ),
        ),
      );
      expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(overlaps).toBe(0);
      await expect(
        store.withLock('l5', () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await raw.exists('app1:lock:l5')).toBe(0);
    });

    it('withLock renews the lock while fn runs longer than its TTL', async () => {
      let release!: () => void;
      const running = store.withLock('l6', () => new Promise<void>((r) => (release = r)), {
        ttlMs: 150,
      });
      await sleep(500);
      expect(await store.acquire('l6', 1_000)).toBeUndefined();
      release();
      await running;
      expect(await raw.exists('app1:lock:l6')).toBe(0);
    });

    it('a waiter times out with RedisLockTimeoutError, and fn never runs', async () => {
      const holder = await store.acquire('l7', 10_000);
      const fn = jest.fn(() => 'ran');
      const started = Date.now();
      const err = await store.withLock('l7', fn, { waitMs: 250 }).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(err).toBeInstanceOf(RedisLockTimeoutError);
      expect(err).toMatchObject({
        code: 'lock_timeout',
        waitMs: 250,
        name: 'RedisLockTimeoutError',
      });
      expect(elapsed).toBeGreaterThanOrEqual(240);
      expect(elapsed).toBeLessThan(2_000);
      await expect(store.withLock('l7', fn, { waitMs: 0 })).rejects.toBeInstanceOf(
        RedisLockTimeoutError,
      );
      expect(fn).not.toHaveBeenCalled();
      await store.release('l7', holder!);
    });

    it('a waiter gets the lock when the holder frees it', async () => {
      const holder = await store.acquire('l8', 10_000);
      setTimeout(() => void store.release('l8', holder!), 150);
      const started = Date.now();
      expect(await store.withLock('l8', () => 'mine', { waitMs: 5_000 })).toBe('mine');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('refuses bad durations and empty keys', async () => {
      await expect(store.acquire('l9', 0)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
      await expect(store.acquire('', 100)).rejects.toThrow(TypeError);
      await expect(store.withLock('l9', () => 1, { waitMs: -1 })).rejects.toThrow(/waitMs/);
      await expect(store.withLock('l9', () => 1, { ttlMs: 1.5 })).rejects.toThrow(/ttlMs/);
    });
  });

  describe('refreshLockKey', () => {
    const token = 'rt-8f1c0a9e-secret-refresh-token';

    it('names the client and hashes the refresh token (SHA-256, base64url)', () => {
      const key = refreshLockKey('github', token);
      expect(key).toBe('refresh:github:ThoGCHQeucXwAlrhTmLX_5LHaPiDrzXw4ltF1WpFHHA');
    });

    it('never puts the token in Redis', async () => {
      await store.withLock(refreshLockKey('github', token), async () => {
        const keys = await raw.keys('*');
        expect(keys.some((k) => k.includes('refresh:github:'))).toBe(true);
        expect(keys.filter((k) => k.includes(token) || k.includes('secret'))).toEqual([]);
      });
    });

    it('is the key store.refreshLock() locks for OAuth2Client, held while the refresh runs', async () => {
      const refreshLock = store.refreshLock('github', { ttlMs: 5_000, waitMs: 1_000 });
      const key = `app1:lock:${refreshLockKey('github', token)}`;
      const token2 = { access_token: 'a' };
      const held = await refreshLock(refreshTokenHash(token), async () => {
        expect(await raw.exists(key)).toBe(1);
        expect(await raw.pttl(key)).toBeGreaterThan(4_000);
        return token2;
      });
      expect(held).toBe(token2);
      expect(await raw.exists(key)).toBe(0);
    });

    it('store.refreshLock() refuses a key that is not a token hash, without echoing it', async () => {
      const refreshLock = store.refreshLock('github');
      const refresh = jest.fn(async () => ({ access_token: 'a' }));
      const failure = await refreshLock(token, refresh).catch((e: Error) => e);
      expect(failure).toBeInstanceOf(TypeError);
      expect(String((failure as Error).message)).not.toContain(token);
      expect(refresh).not.toHaveBeenCalled();
      expect(() => store.refreshLock('')).toThrow(TypeError);
      expect(() => store.refreshLock('github', { waitMs: -1 })).toThrow(/waitMs/);
      expect(() => store.refreshLock('github', { ttlMs: 0 })).toThrow(/ttlMs/);
    });

    it('is the same for the same client and token, different otherwise', () => {
      expect(refreshLockKey('github', token)).toBe(refreshLockKey('github', token));
      expect(refreshLockKey('github', token)).not.toBe(refreshLockKey('gitlab', token));
      expect(refreshLockKey('github', token)).not.toBe(refreshLockKey('github', `${token}x`));
      expect(refreshLockKey('a:b c', token)).toMatch(/^refresh:a%3Ab%20c:[A-Za-z0-9_-]{43}$/);
      expect(() => refreshLockKey('', token)).toThrow(TypeError);
      expect(() => refreshLockKey('github', '')).toThrow(TypeError);
    });
  });
});
