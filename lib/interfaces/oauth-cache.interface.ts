/**
 * A key-value store for temporary login data (state, PKCE verifier, nonce,
 * OAuth 1 request tokens), shared by every instance of the app. Methods may be
 * sync or async. `expiresSeconds` is in **seconds**: wrap stores that take
 * milliseconds (cache-manager 5+, Keyv) accordingly.
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
}
