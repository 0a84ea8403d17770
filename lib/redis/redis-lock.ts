import { randomBytes } from 'node:crypto';
import type { RedisConnection } from './redis-connection.js';
import { invalidArgument, RedisLockTimeoutError } from './redis-errors.js';

/** Deletes the lock only when it still holds the caller's holder token. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Renews the lock's TTL only when it still holds the caller's holder token. */
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** First pause between two attempts of a waiter; it grows 1.5 times per attempt up to `MAX_POLL_MS`. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 100;

/** Options of {@link RedisOAuthStore.withLock}. */
export interface RedisLockOptions {
  /**
   * Lifetime of the lock in milliseconds: a holder that dies frees it after
   * this long. While `fn` runs the lock is renewed every `ttlMs / 3`.
   * Default: the store's `lockTtlMs`.
   */
  ttlMs?: number;
  /**
   * How long to wait for a lock held by someone else, in milliseconds, before
   * failing with {@link RedisLockTimeoutError} (`0`: try once). Default: the
   * store's `lockWaitMs`.
   */
  waitMs?: number;
}

/** Checks a duration argument: a positive integer of milliseconds (or `0` when `zero`). */
export function checkMs(name: string, value: number, zero = false): number {
  if (!Number.isSafeInteger(value) || value < (zero ? 0 : 1)) {
    throw invalidArgument(`${name} must be a ${zero ? 'non-negative' : 'positive'} integer (ms)`);
  }
  return value;
}

/**
 * A mutual-exclusion lock over one Redis (the single-instance algorithm of
 * the Redis docs): `SET key holder NX PX ttl` to take it, a compare-and-delete
 * script to free it, so only the holder can. Not Redlock: a Redis that loses
 * its data (restart without persistence, failover) loses the locks with it.
 *
 * @internal
 */
export class RedisLock {
  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
    private readonly defaults: { ttlMs: number; waitMs: number },
  ) {}

  private redisKey(key: string): string {
    if (typeof key !== 'string' || key === '') {
      throw invalidArgument('the lock key must be a non-empty string');
    }
    return `${this.prefix}${key}`;
  }

  async acquire(key: string, ttlMs = this.defaults.ttlMs): Promise<string | undefined> {
    const redisKey = this.redisKey(key);
    checkMs('ttlMs', ttlMs);
    const holder = randomBytes(18).toString('base64url');
    try {
      const ok = await this.connection.run('acquire', (c) =>
        c.set(redisKey, holder, 'PX', ttlMs, 'NX'),
      );
      return ok === 'OK' ? holder : undefined;
    } catch (err) {
      // The SET may still run (a frozen Redis answers late): free it if it does.
      this.connection.run('release', (c) => c.eval(RELEASE, 1, redisKey, holder)).catch(noop);
      throw err;
    }
  }

  async release(key: string, holder: string): Promise<boolean> {
    const redisKey = this.redisKey(key);
    const deleted = await this.connection.run('release', (c) =>
      c.eval(RELEASE, 1, redisKey, String(holder)),
    );
    return deleted === 1;
  }

  async extend(key: string, holder: string, ttlMs = this.defaults.ttlMs): Promise<boolean> {
    const redisKey = this.redisKey(key);
    checkMs('ttlMs', ttlMs);
    const renewed = await this.connection.run('extend', (c) =>
      c.eval(EXTEND, 1, redisKey, String(holder), ttlMs),
    );
    return renewed === 1;
  }

  async withLock<T>(
    key: string,
    fn: () => T | Promise<T>,
    options: RedisLockOptions = {},
  ): Promise<T> {
    const ttlMs = checkMs('ttlMs', options.ttlMs ?? this.defaults.ttlMs);
    const waitMs = checkMs('waitMs', options.waitMs ?? this.defaults.waitMs, true);
    const deadline = Date.now() + waitMs;
    let pause = FIRST_POLL_MS;
    let holder = await this.acquire(key, ttlMs);
    while (holder === undefined) {
      const left = deadline - Date.now();
      if (left <= 0) throw new RedisLockTimeoutError(waitMs);
      const jittered = pause * (0.5 + Math.random());
      await sleep(Math.min(jittered, left));
      pause = Math.min(pause * 1.5, MAX_POLL_MS);
      holder = await this.acquire(key, ttlMs);
    }

    const heartbeat = setInterval(
      () => {
        this.extend(key, holder, ttlMs).then((held) => {
          if (!held) clearInterval(heartbeat);
        }, noop);
      },
      Math.max(Math.floor(ttlMs / 3), 1),
    );
    heartbeat.unref();
    try {
      return await fn();
    } finally {
      clearInterval(heartbeat);
      // A release that fails leaves the lock to expire after ttlMs: never turn fn's result into an error.
      await this.release(key, holder).catch(noop);
    }
  }
}

function noop(): void {}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
