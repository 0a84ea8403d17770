import type { Redis } from 'ioredis';
import type { RefreshLockFunction } from '../core/oauth2/refresh-lock.js';
import type { OAuthCache } from '../interfaces/oauth-cache.interface.js';
import { RedisConnection } from './redis-connection.js';
import { invalidArgument, OAUTH_REDIS_URL_ENV, RedisStoreError } from './redis-errors.js';
import { checkMs, RedisLock, type RedisLockOptions } from './redis-lock.js';
import { checkClientName, refreshLockName } from './refresh-lock-key.js';

/** Atomic get-and-delete for Redis < 6.2 (no GETDEL). */
const TAKE = `local v = redis.call('GET', KEYS[1])
if v then redis.call('DEL', KEYS[1]) end
return v`;

/** Options of {@link RedisOAuthStore}: a client or a URL, plus optional tuning. */
export interface RedisOAuthStoreOptions {
  /**
   * An ioredis client to use. Its settings and lifetime stay yours:
   * `close()` leaves it open. Give it a `commandTimeout`; the store bounds
   * every call by `commandTimeoutMs` anyway.
   */
  client?: Redis;
  /**
   * A `redis://` or `rediss://` URL (user, password and database number
   * allowed), used when no `client` is given. The store makes its own client,
   * which fails fast while disconnected and reconnects by itself.
   */
  url?: string;
  /** The setting that held `url`, named in start-up errors. Default `OAUTH_REDIS_URL`. */
  urlSetting?: string;
  /** Prefix of every key the store writes. Default `nestjs-oauth:`. */
  keyPrefix?: string;
  /** Longest wait for one Redis command, in ms, before a `RedisUnavailableError`. Default 2000. */
  commandTimeoutMs?: number;
  /** Longest wait for the connection in `connect()`, in ms, before a `RedisConnectError`. Default 10000. */
  connectTimeoutMs?: number;
  /** Default lock lifetime, in ms (see {@link RedisLockOptions.ttlMs}). Default 15000. */
  lockTtlMs?: number;
  /**
   * Default longest wait for a lock, in ms (see {@link RedisLockOptions.waitMs}). Default 30000,
   * the clients' default request timeout, so that a waiter outlasts a slow but living refresh.
   */
  lockWaitMs?: number;
}

/**
 * What several instances of an app share in Redis: the module's `cache`
 * (login state, OAuth 1 request tokens) with an atomic single-use
 * {@link RedisOAuthStore.take}, and a lock so that one refresh of a token
 * happens across all instances.
 *
 * Values are JSON-encoded; keys are `<keyPrefix>cache:<key>` and
 * `<keyPrefix>lock:<key>`. Every call is bounded: an unreachable or frozen
 * Redis gives a `RedisUnavailableError` (answer 503) within
 * `commandTimeoutMs`, never a hang, and the store reconnects by itself.
 *
 * @example
 * ```ts
 * const store = await RedisOAuthStore.connect({ url: process.env.OAUTH_REDIS_URL });
 * await store.set('state:abc', { verifier }, 600);
 * const data = await store.take('state:abc'); // once; then undefined everywhere
 * const token = await store.withLock(refreshLockKey('github', refreshToken), refresh, {
 *   waitMs: 5000,
 * });
 * await store.close();
 * ```
 */
export class RedisOAuthStore implements OAuthCache {
  private readonly connection: RedisConnection;
  private readonly lock: RedisLock;
  private readonly cachePrefix: string;
  /** Set once GETDEL turned out to be missing (Redis < 6.2, or renamed away). */
  private takeWithScript = false;

  /**
   * Makes the store without connecting (see {@link RedisOAuthStore.connect}).
   * @param options - a `client` or a `url`, plus tuning
   * @throws {TypeError} when neither is given, or the URL is not `redis://` / `rediss://`
   */
  constructor(options: RedisOAuthStoreOptions) {
    const setting = options.urlSetting ?? OAUTH_REDIS_URL_ENV;
    if (!options.client && !options.url) {
      throw invalidArgument(`no Redis configured: set ${setting} (or pass an ioredis client)`);
    }
    const prefix = options.keyPrefix ?? 'nestjs-oauth:';
    if (typeof prefix !== 'string') throw invalidArgument('keyPrefix must be a string');
    this.connection = new RedisConnection({
      client: options.client,
      url: options.url,
      setting,
      commandTimeoutMs: checkMs('commandTimeoutMs', options.commandTimeoutMs ?? 2000),
      connectTimeoutMs: checkMs('connectTimeoutMs', options.connectTimeoutMs ?? 10_000),
    });
    this.cachePrefix = `${prefix}cache:`;
    this.lock = new RedisLock(this.connection, `${prefix}lock:`, {
      ttlMs: checkMs('lockTtlMs', options.lockTtlMs ?? 15_000),
      waitMs: checkMs('lockWaitMs', options.lockWaitMs ?? 30_000, true),
    });
  }

  /**
   * Makes a store and waits until Redis answers: use it at start-up so that a
   * wrong URL stops the app with a clear message.
   * @param options - a `client` or a `url`, plus tuning
   * @returns the connected store
   * @throws {RedisConnectError} when Redis cannot be reached within `connectTimeoutMs`
   *   (the message names the URL without credentials and the setting to fix)
   */
  static async connect(options: RedisOAuthStoreOptions): Promise<RedisOAuthStore> {
    const store = new RedisOAuthStore(options);
    await store.connect();
    return store;
  }

  /**
   * Waits until the connection is ready (connecting if needed).
   * @throws {RedisConnectError} when Redis cannot be reached within `connectTimeoutMs`
   */
  connect(): Promise<void> {
    return this.connection.ready();
  }

  /** Closes the store's own client (a client passed in `options.client` is left open). */
  close(): Promise<void> {
    return this.connection.close();
  }

  /**
   * Reads a value.
   * @param key - the cache key
   * @returns the decoded value, or `undefined` when absent, expired or not JSON
   * @throws {RedisUnavailableError} when Redis does not answer
   */
  async get(key: string): Promise<unknown> {
    const k = this.cacheKey(key);
    return decode(await this.connection.run('get', (c) => c.get(k)));
  }

  /**
   * Stores a value (JSON-encoded), replacing any previous one.
   * @param key - the cache key
   * @param value - any JSON-serializable value
   * @param expiresSeconds - lifetime in seconds (fractions allowed); `undefined` or `0`: no expiry
   * @throws {TypeError} when the value cannot be JSON-encoded or the lifetime is negative
   * @throws {RedisUnavailableError} when Redis does not answer
   */
  async set(key: string, value: unknown, expiresSeconds?: number): Promise<void> {
    const k = this.cacheKey(key);
    const json = JSON.stringify(value);
    if (json === undefined) throw invalidArgument('the value cannot be JSON-encoded');
    const ttl = expiresSeconds ?? 0;
    if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) {
      throw invalidArgument('expiresSeconds must be a non-negative number of seconds');
    }
    const ms = Math.ceil(ttl * 1000);
    await this.connection.run('set', (c) => (ms > 0 ? c.set(k, json, 'PX', ms) : c.set(k, json)));
  }

  /**
   * Stores a value only when the key holds none (`SET NX`, atomic): of any
   * number of concurrent callers, in any number of processes, exactly one
   * gets `true`. For things seen once: OAuth 1 nonces.
   * @param key - the cache key
   * @param value - any JSON-serializable value
   * @param expiresSeconds - lifetime in seconds (fractions allowed); must be more than 0
   * @returns `true` when this call stored it, `false` when the key was taken
   * @throws {TypeError} when the value cannot be JSON-encoded or the lifetime is not positive
   * @throws {RedisUnavailableError} when Redis does not answer
   */
  async add(key: string, value: unknown, expiresSeconds: number): Promise<boolean> {
    const k = this.cacheKey(key);
    const json = JSON.stringify(value);
    if (json === undefined) throw invalidArgument('the value cannot be JSON-encoded');
    if (
      typeof expiresSeconds !== 'number' ||
      !Number.isFinite(expiresSeconds) ||
      expiresSeconds <= 0
    ) {
      throw invalidArgument('expiresSeconds must be a positive number of seconds');
    }
    const ms = Math.ceil(expiresSeconds * 1000);
    return (await this.connection.run('add', (c) => c.set(k, json, 'PX', ms, 'NX'))) === 'OK';
  }

  /**
   * Removes a value.
   * @param key - the cache key
   * @throws {RedisUnavailableError} when Redis does not answer
   */
  async delete(key: string): Promise<void> {
    const k = this.cacheKey(key);
    await this.connection.run('delete', (c) => c.del(k));
  }

  /**
   * Reads and removes a value in one atomic step (`GETDEL`, or a script on
   * Redis < 6.2): of any number of concurrent callers, in any number of
   * processes, exactly one gets the value. For single-use data: login state,
   * OAuth 1 request tokens, authorization codes.
   * @param key - the cache key
   * @returns the decoded value, or `undefined` when absent (or already taken)
   * @throws {RedisUnavailableError} when Redis does not answer
   */
  async take(key: string): Promise<unknown> {
    const k = this.cacheKey(key);
    if (!this.takeWithScript) {
      try {
        return decode(await this.connection.run('take', (c) => c.getdel(k)));
      } catch (err) {
        if (!isUnknownCommand(err)) throw err;
        this.takeWithScript = true;
      }
    }
    return decode(await this.connection.run('take', (c) => c.eval(TAKE, 1, k)));
  }

  /**
   * Tries once to take the lock `key`.
   * @param key - the lock key; never put a token in it (see {@link refreshLockKey})
   * @param ttlMs - how long the lock lasts unless released or extended
   * @returns a random holder token, or `undefined` when someone else holds the lock
   * @throws {RedisUnavailableError} when Redis does not answer
   */
  acquire(key: string, ttlMs?: number): Promise<string | undefined> {
    return this.lock.acquire(key, ttlMs);
  }

  /**
   * Frees the lock, if `holder` still holds it (compare-and-delete): a
   * holder whose lock expired and was taken by someone else frees nothing.
   * @param key - the lock key
   * @param holder - the token {@link RedisOAuthStore.acquire} returned
   * @returns whether the lock was freed
   * @throws {RedisUnavailableError} when Redis does not answer
   */
  release(key: string, holder: string): Promise<boolean> {
    return this.lock.release(key, holder);
  }

  /**
   * Renews the lock's lifetime, if `holder` still holds it.
   * @param key - the lock key
   * @param holder - the token {@link RedisOAuthStore.acquire} returned
   * @param ttlMs - the new lifetime from now
   * @returns whether the lock is still held (and renewed)
   * @throws {RedisUnavailableError} when Redis does not answer
   */
  extend(key: string, holder: string, ttlMs?: number): Promise<boolean> {
    return this.lock.extend(key, holder, ttlMs);
  }

  /**
   * Runs `fn` while holding the lock `key`, across every process sharing
   * this Redis: waits (polling, bounded by `waitMs`) while someone else
   * holds it, renews it while `fn` runs, and frees it afterwards. A holder
   * that dies frees it after `ttlMs`.
   *
   * A caller that waited runs `fn` too, after the holder: for a refresh, `fn`
   * should first re-read the token and return it when someone else already
   * refreshed it.
   *
   * @param key - the lock key; never put a token in it (see {@link refreshLockKey})
   * @param fn - the work to do alone
   * @param options - `ttlMs` and `waitMs`
   * @returns what `fn` returns
   * @throws {RedisLockTimeoutError} when the lock stayed held by someone else for `waitMs`
   * @throws {RedisUnavailableError} when Redis does not answer (fails closed: `fn` does not run)
   */
  withLock<T>(key: string, fn: () => T | Promise<T>, options?: RedisLockOptions): Promise<T> {
    return this.lock.withLock(key, fn, options);
  }

  /**
   * The `refreshLock` option of an `OAuth2Client` for the client `clientName`:
   * one refresh of a token across every process sharing this Redis. It locks
   * `refresh:<clientName>:<SHA-256 of the refresh token>` (the key
   * {@link refreshLockKey} computes) around the client's refresh, which first
   * re-reads the token with the client's `reloadToken`.
   *
   * Fails closed: when Redis cannot be reached the refresh does not happen
   * (`RedisUnavailableError`, never a refresh without the lock); a waiter
   * that gives up gets `RedisLockTimeoutError`. Both are temporary (503).
   *
   * @param clientName - the OAuth client's name (`github`, ...)
   * @param options - `ttlMs` and `waitMs` (default: the store's `lockTtlMs`, `lockWaitMs`)
   * @returns the function to pass as `refreshLock`
   * @throws {TypeError} when the name is empty or a duration is not a whole number of ms
   *
   * @example
   * ```ts
   * const client = new OAuth2Client({
   *   ...settings,
   *   refreshLock: store.refreshLock('github', { waitMs: 10_000 }),
   *   reloadToken: () => db.tokenOf(userId),
   *   updateToken: (token) => db.saveToken(userId, token),
   * });
   * ```
   */
  refreshLock(clientName: string, options: RedisLockOptions = {}): RefreshLockFunction {
    checkClientName(clientName);
    const lockOptions = { ...options };
    if (lockOptions.ttlMs !== undefined) checkMs('ttlMs', lockOptions.ttlMs);
    if (lockOptions.waitMs !== undefined) checkMs('waitMs', lockOptions.waitMs, true);
    return async (key, refresh) =>
      this.lock.withLock(refreshLockName(clientName, key), refresh, lockOptions);
  }

  private cacheKey(key: string): string {
    if (typeof key !== 'string' || key === '') {
      throw invalidArgument('the cache key must be a non-empty string');
    }
    return this.cachePrefix + key;
  }
}

function decode(raw: unknown): unknown {
  if (typeof raw !== 'string') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    // Not written by this store: treat it as absent rather than trust it.
    return undefined;
  }
}

function isUnknownCommand(err: unknown): boolean {
  const cause = err instanceof RedisStoreError ? (err.cause as { message?: unknown }) : undefined;
  return typeof cause?.message === 'string' && /unknown command/i.test(cause.message);
}
