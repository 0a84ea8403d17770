/**
 * RedisOAuthStore across separate Node processes sharing one real Redis (the
 * several-instances case of issue 16): atomic single-use take, lock
 * exclusion, a lock holder that dies.
 */
import { Redis } from 'ioredis';
import { RedisOAuthStore } from '../../../lib/redis/index.js';
import { forkWorker, type ProcessWorker } from '../../fixtures/process-worker.js';
import { startRedisServer, type RedisTestServer } from '../../fixtures/redis-server.js';

const WORKER = new URL('../../fixtures/redis-store-worker.ts', import.meta.url);
const PREFIX = 'proc-test:';

describe('RedisOAuthStore across processes (real redis-server)', () => {
  let redis: RedisTestServer;
  let store: RedisOAuthStore;
  let raw: Redis;
  let workers: ProcessWorker[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    store = await RedisOAuthStore.connect({ url: redis.url, keyPrefix: PREFIX });
    raw = new Redis(redis.url);
    workers = await Promise.all([1, 2, 3, 4].map(() => forkWorker(WORKER)));
    const pids = await Promise.all(
      workers.map((w) => w.call<number>('init', { url: redis.url, keyPrefix: PREFIX })),
    );
    expect(new Set([process.pid, ...pids]).size).toBe(5);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    raw?.disconnect();
    await store?.close();
    await redis?.stop();
  });

  it('take: of 4 processes racing for one key, exactly one gets it (200 rounds)', async () => {
    const winnersPerRound: number[] = [];
    for (let round = 0; round < 200; round++) {
      const key = `race:${round}`;
      await store.set(key, { round }, 60);
      const results = await Promise.all(workers.map((w) => w.call('take', { key })));
      const winners = results.filter((r) => r !== null);
      expect(winners.every((r) => (r as { round: number }).round === round)).toBe(true);
      winnersPerRound.push(winners.length);
    }
    expect(winnersPerRound.filter((n) => n !== 1)).toEqual([]);
    expect(await raw.keys(`${PREFIX}cache:race:*`)).toEqual([]);
  }, 60_000);

  it('withLock: 4 processes x 25 concurrent acquirers, never two holders', async () => {
    const args = {
      key: 'storm',
      n: 25,
      ttlMs: 5_000,
      waitMs: 30_000,
      workMs: 4,
      guardKey: 'guard:inside',
      runsKey: 'guard:runs',
    };
    await raw.del(args.guardKey, args.runsKey);
    const overlaps = await Promise.all(workers.map((w) => w.call<number>('lockStorm', args)));
    expect(overlaps).toEqual([0, 0, 0, 0]);
    expect(await raw.get(args.runsKey)).toBe('100');
    expect(await raw.get(args.guardKey)).toBe('0');
    expect(await raw.exists(`${PREFIX}lock:storm`)).toBe(0);
  }, 60_000);

  it('a holder that dies (SIGKILL) leaves a lock that expires; the next acquirer gets it', async () => {
    const ttlMs = 600;
    const doomed = await forkWorker(WORKER);
    try {
      await doomed.call('init', { url: redis.url, keyPrefix: PREFIX });
      await doomed.call('hold', { key: 'doomed', ttlMs });
      // While the holder lives it renews the lock past its TTL.
      await new Promise((resolve) => setTimeout(resolve, 2 * ttlMs));
      expect(await store.acquire('doomed', 1000)).toBeUndefined();

      await doomed.kill('SIGKILL');
      const killedAt = Date.now();
      const waited = await workers[0].call<number>('lockOnce', {
        key: 'doomed',
        ttlMs: 1000,
        waitMs: 5_000,
      });
      const sinceKill = Date.now() - killedAt;
      expect(waited).toBeLessThanOrEqual(sinceKill);
      expect(sinceKill).toBeLessThan(ttlMs + 2_000);
    } finally {
      await doomed.kill('SIGKILL');
    }
  }, 30_000);

  it('a waiter in another process times out with RedisLockTimeoutError, not a hang', async () => {
    const holder = await store.acquire('busy', 10_000);
    expect(holder).toBeDefined();
    const started = Date.now();
    await expect(
      workers[1].call('lockOnce', { key: 'busy', ttlMs: 1000, waitMs: 300 }),
    ).rejects.toMatchObject({
      name: 'RedisLockTimeoutError',
      code: 'lock_timeout',
      message: 'timed out after 300 ms waiting for a lock held by another process',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await store.release('busy', holder!)).toBe(true);
  });
});
