/**
 * The throwaway redis-server fixture itself: no persistence, kill/start on
 * the same port, pause/resume, cleanup, and no server outliving its owner.
 */
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { isAlive, waitGone } from '../../fixtures/process-alive.js';
import { forkWorker } from '../../fixtures/process-worker.js';
import { startRedisServer, type RedisTestServer } from '../../fixtures/redis-server.js';

describe('test/fixtures/redis-server', () => {
  let redis: RedisTestServer;

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterAll(() => redis?.stop());

  const client = () =>
    new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });

  it('runs on 127.0.0.1 without persistence', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    const c = client();
    try {
      expect(await c.config('GET', 'save')).toEqual(['save', '']);
      expect(await c.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      expect(await c.config('GET', 'dir')).toEqual(['dir', redis.dir]);
    } finally {
      c.disconnect();
    }
  });

  it('kill() then start() comes back on the same port, empty', async () => {
    const c = client();
    await c.set('k', 'v');
    c.disconnect();
    const { port, pid } = redis;
    await redis.kill('SIGKILL');
    expect(isAlive(pid)).toBe(false);
    await expect(client().ping()).rejects.toThrow();
    await redis.start();
    expect(redis.port).toBe(port);
    expect(redis.pid).not.toBe(pid);
    const again = client();
    try {
      expect(await again.get('k')).toBeNull();
    } finally {
      again.disconnect();
    }
    await redis.restart();
    expect(redis.running).toBe(true);
  });

  it('pause() freezes it, resume() thaws it', async () => {
    const c = client();
    try {
      await c.ping();
      redis.pause();
      const answer = c.ping();
      const raced = await Promise.race([answer, new Promise((r) => setTimeout(r, 300, 'none'))]);
      expect(raced).toBe('none');
      redis.resume();
      expect(await answer).toBe('PONG');
    } finally {
      c.disconnect();
    }
  });

  it('stop() kills it and removes its dir', async () => {
    const other = await startRedisServer();
    await other.stop();
    expect(await waitGone(other.pid)).toBe(true);
    expect(existsSync(other.dir)).toBe(false);
    await other.stop();
  });

  it('dies with the process that started it, even one killed with SIGKILL', async () => {
    const owner = await forkWorker(
      new URL('../../fixtures/server-owner-worker.ts', import.meta.url),
    );
    const server = await owner.call<{ pid: number; dir: string }>('redis');
    expect(isAlive(server.pid)).toBe(true);
    await owner.kill('SIGKILL');
    expect(await waitGone(server.pid)).toBe(true);
    // The dead owner's temp dir is swept by the next server started.
    expect(existsSync(server.dir)).toBe(true);
    const next = await startRedisServer();
    await next.stop();
    expect(existsSync(server.dir)).toBe(false);
  }, 30_000);
});
