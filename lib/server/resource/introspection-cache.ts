import { createHash } from 'node:crypto';

/** Options of {@link IntrospectionCache}. */
export interface IntrospectionCacheOptions {
  /** Most entries kept; the least recently used goes first (default 10 000). */
  maxEntries?: number;
  /**
   * How long (ms) an active token's answer is reused (default 60 s); never past
   * the token's own `exp`. A token revoked at the authorization server keeps
   * working here until its entry ends: this is the trade-off to tune.
   */
  ttl?: number;
  /** How long (ms) an inactive answer is reused (default 5 s). */
  negativeTtl?: number;
  /** Clock in milliseconds (for tests). */
  now?: () => number;
}

/** What the cache remembers about one token: the introspection response, or that it was inactive. */
export type IntrospectionEntry =
  | {
      /** The token was active. */
      active: true;
      /** The introspection response. */
      response: Record<string, unknown>;
    }
  | {
      /** The token was not active. */
      active: false;
    };

interface Slot {
  entry: IntrospectionEntry;
  until: number;
}

/** Defaults of {@link IntrospectionCacheOptions}. */
export const INTROSPECTION_CACHE_DEFAULTS = {
  /** Most entries kept. */
  maxEntries: 10_000,
  /** Lifetime of an active answer, ms. */
  ttl: 60_000,
  /** Lifetime of an inactive answer, ms. */
  negativeTtl: 5_000,
} as const;

/**
 * A bounded cache of introspection answers (RFC 7662 §4 allows caching them)
 * keyed by the SHA-256 of the token, so the tokens themselves are never kept
 * in memory longer than a request. Least recently used entries go first once
 * `maxEntries` is reached; an active answer lives `ttl` at most and never
 * past the token's `exp`; an inactive one `negativeTtl`.
 *
 * @example
 * ```ts
 * const cache = new IntrospectionCache({ maxEntries: 1000, ttl: 30_000 });
 * const key = IntrospectionCache.key(token);
 * cache.get(key) ?? cache.set(key, { active: false });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662.html#section-4
 */
export class IntrospectionCache {
  private readonly slots = new Map<string, Slot>();
  private readonly maxEntries: number;
  private readonly ttl: number;
  private readonly negativeTtl: number;
  private readonly now: () => number;

  /** @param options - size, lifetimes, clock */
  constructor(options: IntrospectionCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? INTROSPECTION_CACHE_DEFAULTS.maxEntries);
    this.ttl = options.ttl ?? INTROSPECTION_CACHE_DEFAULTS.ttl;
    this.negativeTtl = options.negativeTtl ?? INTROSPECTION_CACHE_DEFAULTS.negativeTtl;
    this.now = options.now ?? (() => Date.now());
  }

  /**
   * The cache key of a token: its SHA-256, base64url.
   * @param token - the access token
   */
  static key(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  /** How many entries are cached (expired ones included until they are next looked at or pushed out). */
  get size(): number {
    return this.slots.size;
  }

  /**
   * The live entry for a key, marked as recently used; `undefined` when absent or ended.
   * @param key - from {@link IntrospectionCache.key}
   */
  get(key: string): IntrospectionEntry | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    if (slot.until <= this.now()) return undefined;
    this.slots.set(key, slot);
    return slot.entry;
  }

  /**
   * Remembers an answer. An active answer whose `exp` has passed, or a
   * lifetime of zero, is not stored.
   * @param key - from {@link IntrospectionCache.key}
   * @param entry - the answer
   * @param exp - the token's expiry in epoch seconds, when known
   */
  set(key: string, entry: IntrospectionEntry, exp?: number): void {
    const now = this.now();
    let until = now + (entry.active ? this.ttl : this.negativeTtl);
    if (entry.active && exp !== undefined) until = Math.min(until, exp * 1000);
    this.slots.delete(key);
    if (!(until > now)) return;
    this.slots.set(key, { entry, until });
    while (this.slots.size > this.maxEntries) {
      // Maps iterate in insertion order, and a hit re-inserts: the first key is the least recently used.
      this.slots.delete(this.slots.keys().next().value as string);
    }
  }

  /** Forgets every entry. */
  clear(): void {
    this.slots.clear();
  }
}
