import type { RefreshLockFunction } from '../core/oauth2/refresh-lock.js';
import type { OAuthCache } from './oauth-cache.interface.js';

/**
 * A cache that every instance of the app shares and that can also lock a
 * refresh across them: `RedisOAuthStore` of `nestjs-oauth/redis`, or your own
 * store with the same methods. Given as the module's `cache`, login state is
 * single use across instances (`take`) and injected OAuth 2 clients refresh a
 * token once across instances (`refreshLock`).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ cache: await RedisOAuthStore.connect({ url }), clients: { … } });
 * ```
 */
export interface OAuthSharedStore extends OAuthCache {
  /** Returns the value and removes it in one atomic step, or `undefined` when absent. */
  take(key: string): Promise<unknown>;
  /**
   * The refresh lock of the client `clientName` (see `OAuth2ClientOptions.refreshLock`):
   * runs a refresh while holding a lock that every instance sees.
   */
  refreshLock(clientName: string): RefreshLockFunction;
  /** Resolves once the store can serve (called at start-up; a failure stops the app). */
  connect?(): Promise<void>;
  /** Called when the app shuts down. */
  close?(): Promise<void>;
}

/**
 * The `CACHE_MANAGER` of `@nestjs/cache-manager` (a cache-manager 5+ `Cache`),
 * as the module's `cache`: lifetimes in **milliseconds** (the module converts),
 * no atomic take and no lock, so it holds login state only.
 */
export interface OAuthCacheManager {
  /** Reads a value (`undefined` when absent). */
  get(key: string): Promise<unknown>;
  /** Stores a value for `ttl` milliseconds. */
  set(key: string, value: unknown, ttl?: number): Promise<unknown>;
  /** Removes a value. */
  del(key: string): Promise<unknown>;
  /** cache-manager's memoizer: only its presence is used, to recognize the cache. */
  wrap(...args: never[]): unknown;
}

/**
 * An ioredis client (`new Redis(url)`), as the module's `cache`: the module
 * wraps it in a `RedisOAuthStore` (it then serves as an
 * {@link OAuthSharedStore}) and leaves it open on shutdown. Only the shape the
 * module recognizes it by is declared here, so the package's types do not need
 * ioredis.
 */
export interface OAuthRedisClient {
  /** ioredis' connection status (`wait`, `connecting`, `ready`, `end`, ...). */
  readonly status: string;
  /** Redis `GETDEL`. */
  getdel(key: string): Promise<string | null>;
  /** ioredis' `duplicate()`: only its presence is used, to recognize the client. */
  duplicate(...args: never[]): unknown;
}
