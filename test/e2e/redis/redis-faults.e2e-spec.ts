/**
 * RedisOAuthStore when Redis is not there: unreachable at start (a start-up
 * error naming the URL setting), lost or frozen mid-flight (a typed 503-class
 * error within a bounded time, never a hang), back again (the same store
 * works without help).
 */
import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import {
  RedisConnectError,
  RedisOAuthStore,
  RedisStoreError,
  RedisUnavailableError,
} from '../../../lib/redis/index.js';
import { freePort } from '../../fixtures/child-server.js';
import { startRedisServer, type RedisTestServer } from '../../fixtures/redis-server.js';

/** Resolves with how long `promise` took to settle, and its rejection. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { ms: Date.now() - started, error };
}

/** Polls until `fn` stops throwing (the store reconnecting by itself). */
async function eventually<T>(fn: () => Promise<T>, ms = 8_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(50);
    }
  }
}

describe('RedisOAuthStore faults (real redis-server)', () => {
  describe('unreachable at start', () => {
    it('fails with RedisConnectError naming OAUTH_REDIS_URL and the URL without credentials', async () => {
      const port = await freePort();
      const { ms, error } = await timed(
        RedisOAuthStore.connect({
          url: `redis://admin:hunter2-secret@127.0.0.1:${port}/3`,
          connectTimeoutMs: 500,
        }),
      );
      expect(error).toBeInstanceOf(RedisConnectError);
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect(error).toMatchObject({
        name: 'RedisConnectError',
        code: 'redis_connect_failed',
        setting: 'OAUTH_REDIS_URL',
        url: `redis://127.0.0.1:${port}/3`,
        message: `cannot connect to Redis at redis://127.0.0.1:${port}/3 within 500 ms (ECONNREFUSED): check OAUTH_REDIS_URL`,
      });
      expect(String((error as Error).stack)).not.toContain('hunter2');
      expect(ms).toBeGreaterThanOrEqual(450);
      expect(ms).toBeLessThan(3_000);
    });

    it('stops trying once it has failed (no reconnect loop left behind)', async () => {
      const port = await freePort();
      await expect(
        RedisOAuthStore.connect({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 300 }),
      ).rejects.toBeInstanceOf(RedisConnectError);
      let connections = 0;
      const listener: Server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
      await sleep(2_500);
      await new Promise((resolve) => listener.close(resolve));
      expect(connections).toBe(0);
    });

    it('names the setting the URL came from', async () => {
      const port = await freePort();
      await expect(
        RedisOAuthStore.connect({
          url: `redis://127.0.0.1:${port}`,
          urlSetting: 'redis.url',
          connectTimeoutMs: 200,
        }),
      ).rejects.toThrow(/\): check redis\.url$/);
    });

    it('refuses a missing or non-Redis URL without echoing it', () => {
      expect(() => new RedisOAuthStore({})).toThrow(
        'no Redis configured: set OAUTH_REDIS_URL (or pass an ioredis client)',
      );
      const bad = () => new RedisOAuthStore({ url: 'http://user:hunter2@example.com' });
      expect(bad).toThrow(TypeError);
      expect(bad).toThrow('OAUTH_REDIS_URL must be a redis:// or rediss:// URL');
      expect(() => new RedisOAuthStore({ url: 'not a url hunter2' })).toThrow(
        /^OAUTH_REDIS_URL must be/,
      );
    });
  });

  describe('lost and back', () => {
    let redis: RedisTestServer;
    let store: RedisOAuthStore;

    beforeAll(async () => {
      redis = await startRedisServer();
      store = await RedisOAuthStore.connect({ url: redis.url, commandTimeoutMs: 1_500 });
    });

    afterEach(async () => {
      redis.resume();
      await redis.start();
      await store.connect();
    });

    afterAll(async () => {
      await store?.close();
      await redis?.stop();
    });

    it('Redis stopped: every operation fails fast with RedisUnavailableError; the lock fails closed', async () => {
      await store.set('k', 1, 60);
      await redis.kill('SIGKILL');
      const fn = jest.fn(() => 'ran');
      for (const op of [
        () => store.get('k'),
        () => store.set('k', 2, 60),
        () => store.take('k'),
        () => store.delete('k'),
        () => store.acquire('lock'),
        () => store.release('lock', 'holder'),
        () => store.withLock('lock', fn),
      ]) {
        const { ms, error } = await timed(op());
        expect(error).toBeInstanceOf(RedisUnavailableError);
        expect((error as Error).message).toMatch(
          /^Redis is unavailable \((get|set|take|delete|acquire|release): (not connected|connection lost|connection closed|ECONNREFUSED)\)$/,
        );
        // Well under commandTimeoutMs: a disconnected store fails at once.
        expect(ms).toBeLessThan(1_000);
      }
      expect(fn).not.toHaveBeenCalled();
    });

    it('Redis back: the same store works again by itself', async () => {
      await redis.kill('SIGKILL');
      await expect(store.get('k')).rejects.toBeInstanceOf(RedisUnavailableError);
      await redis.start();
      await eventually(() => store.set('back', 'yes', 60));
      expect(await store.take('back')).toBe('yes');
      expect(await store.withLock('lock', () => 'locked')).toBe('locked');
    });

    it('Redis frozen (SIGSTOP): a command fails after commandTimeoutMs, then works after it thaws', async () => {
      redis.pause();
      const { ms, error } = await timed(store.get('k'));
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as Error).message).toBe('Redis is unavailable (get: no answer within 1500 ms)');
      expect(ms).toBeGreaterThanOrEqual(1_450);
      expect(ms).toBeLessThan(3_000);
      redis.resume();
      await eventually(() => store.set('thawed', 1, 60));
      expect(await store.get('thawed')).toBe(1);
    });

    it('connection lost while a command is in flight: fails at once, not at the timeout', async () => {
      const patient = await RedisOAuthStore.connect({ url: redis.url, commandTimeoutMs: 10_000 });
      try {
        redis.pause();
        const pending = timed(patient.take('k'));
        await sleep(100);
        await redis.kill('SIGKILL');
        const { ms, error } = await pending;
        expect(error).toBeInstanceOf(RedisUnavailableError);
        expect((error as Error).message).toMatch(/^Redis is unavailable \(take: /);
        expect(ms).toBeLessThan(2_000);
      } finally {
        await patient.close();
      }
    });

    it('a lock whose Redis dies while fn runs still returns fn’s result', async () => {
      const result = await store.withLock(
        'dying',
        async () => {
          await redis.kill('SIGKILL');
          return 'done';
        },
        { ttlMs: 300 },
      );
      expect(result).toBe('done');
    });

    it('bounds a caller’s own ioredis client too (default settings queue commands)', async () => {
      const client = new Redis(redis.url, { disconnectTimeout: 200 });
      const own = await RedisOAuthStore.connect({ client, commandTimeoutMs: 400 });
      try {
        await own.set('mine', 1, 60);
        await redis.kill('SIGKILL');
        const { ms, error } = await timed(own.get('mine'));
        expect(error).toBeInstanceOf(RedisUnavailableError);
        expect(ms).toBeGreaterThanOrEqual(350);
        expect(ms).toBeLessThan(2_000);
        await redis.start();
        await own.close();
        expect(['ready', 'connect', 'connecting', 'reconnecting']).toContain(client.status);
      } finally {
        client.disconnect();
      }
    });

    it('a Redis error reply is a RedisStoreError naming only its code', async () => {
      const raw = new Redis(redis.url);
      try {
        await raw.hset('nestjs-oauth:cache:hash', 'f', 'v');
        const error = await store.get('hash').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RedisStoreError);
        expect(error).not.toBeInstanceOf(RedisUnavailableError);
        expect(error).toMatchObject({ code: 'redis_error', operation: 'get' });
        expect((error as Error).message).toBe('Redis refused get: WRONGTYPE');
      } finally {
        raw.disconnect();
      }
    });
  });
});
