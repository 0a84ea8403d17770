import type { Awaitable } from './oauth2-server-storage.js';

/**
 * A shared key-value cache for short-lived server data: authorization codes
 * when they are cache-held (the seed's `bind_cache_grant`) and the `jti` of
 * client assertions already seen. The shape of the clients' `OAuthCache`
 * (`expiresSeconds` in **seconds**), plus two optional atomic operations a
 * store like Redis offers (`GETDEL`, `SET NX`); without them a read and a
 * write race across instances.
 */
export interface OAuth2ServerCache {
  /** The stored value, or `undefined`/`null` when absent or expired. */
  get(key: string): Awaitable<unknown>;
  /** Stores `value`; it may be dropped after `expiresSeconds`. */
  set(key: string, value: unknown, expiresSeconds?: number): Awaitable<unknown>;
  /** Removes the value. */
  delete(key: string): Awaitable<unknown>;
  /** Atomically returns and removes the value (Redis `GETDEL`). */
  take?(key: string): Awaitable<unknown>;
  /** Atomically stores `value` unless the key exists; `true` when stored (Redis `SET NX`). */
  add?(key: string, value: unknown, expiresSeconds?: number): Awaitable<boolean>;
}

/** Options of {@link MemoryServerCache}. */
export interface MemoryServerCacheOptions {
  /** Most entries kept; the oldest are dropped first (default 100 000). */
  maxEntries?: number;
  /** Clock in milliseconds (for tests). */
  now?: () => number;
}

/**
 * An in-process {@link OAuth2ServerCache} with expiry and a size bound: the
 * default for assertion ids, enough for one instance. Several instances need
 * a shared cache (Redis) instead.
 */
export class MemoryServerCache implements OAuth2ServerCache {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  /** @param options - size bound and clock */
  constructor(options: MemoryServerCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** {@inheritDoc OAuth2ServerCache.get} */
  get(key: string): unknown {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** {@inheritDoc OAuth2ServerCache.set} */
  set(key: string, value: unknown, expiresSeconds?: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const ttl = expiresSeconds === undefined ? Infinity : expiresSeconds * 1000;
    this.entries.set(key, { value, expiresAt: this.now() + ttl });
  }

  /** {@inheritDoc OAuth2ServerCache.delete} */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** {@inheritDoc OAuth2ServerCache.take} */
  take(key: string): unknown {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }

  /** {@inheritDoc OAuth2ServerCache.add} */
  add(key: string, value: unknown, expiresSeconds?: number): boolean {
    if (this.get(key) !== undefined) return false;
    this.set(key, value, expiresSeconds);
    return true;
  }
}

/**
 * Records `key` as used until `expiresSeconds` from now.
 * @returns `true` the first time, `false` when the key was already recorded
 */
export async function useOnce(
  cache: OAuth2ServerCache,
  key: string,
  expiresSeconds: number,
): Promise<boolean> {
  if (cache.add) return (await cache.add(key, 1, expiresSeconds)) === true;
  const seen = await cache.get(key);
  if (seen !== undefined && seen !== null) return false;
  await cache.set(key, 1, expiresSeconds);
  return true;
}

/** Returns and removes a cached value, atomically when the cache offers `take`. */
export async function takeFromCache(cache: OAuth2ServerCache, key: string): Promise<unknown> {
  if (cache.take) return cache.take(key);
  const value = await cache.get(key);
  if (value !== undefined && value !== null) await cache.delete(key);
  return value;
}
