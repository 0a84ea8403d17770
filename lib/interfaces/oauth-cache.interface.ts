/**
 * A key-value store for temporary login data (state, PKCE verifier, nonce,
 * OAuth 1 request tokens), shared by every instance of the app. Methods may be
 * sync or async. `expiresSeconds` is in **seconds**: wrap stores that take
 * milliseconds (Keyv) accordingly; the module's `cache` option recognizes the
 * `CACHE_MANAGER` of `@nestjs/cache-manager` and converts by itself.
 *
 * @example
 * ```ts
 * const map = new Map<string, unknown>();
 * const cache: OAuthCache = {
 *   get: (key) => map.get(key),
 *   set: (key, value) => void map.set(key, value),
 *   delete: (key) => void map.delete(key),
 * };
 * ```
 */
export interface OAuthCache {
  /** Returns the stored value, or `undefined`/`null` when absent or expired. */
  get(key: string): unknown | Promise<unknown>;
  /** Stores `value`; it may be dropped after `expiresSeconds`. */
  set(key: string, value: unknown, expiresSeconds?: number): unknown | Promise<unknown>;
  /** Removes the value (single use). */
  delete(key: string): unknown | Promise<unknown>;
  /**
   * Returns the value and removes it in one atomic step (Redis `GETDEL`), or
   * `undefined`/`null` when absent. When the cache has it (or a `getdel`
   * method), a login state can be used once across every instance of the
   * app; without it the state store reads then deletes, and two instances
   * receiving the same callback at the same moment could both accept it.
   */
  take?(key: string): unknown | Promise<unknown>;
  /** Redis' name for {@link OAuthCache.take} (an `ioredis` client has it); used when `take` is absent. */
  getdel?(key: string): unknown | Promise<unknown>;
}
