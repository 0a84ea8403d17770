import type { OAuthCache } from '../interfaces/oauth-cache.interface.js';
import type { OAuthCacheManager } from '../interfaces/oauth-shared-store.interface.js';

/**
 * The `CACHE_MANAGER` of `@nestjs/cache-manager` as an {@link OAuthCache}:
 * the module's lifetimes (seconds) become cache-manager's milliseconds. It
 * has no atomic take: the state store reads then deletes (see
 * docs/several-instances.md for what that means across instances).
 *
 * @param manager - the injected `CACHE_MANAGER`
 * @returns the cache the state store uses
 * @internal
 */
export function cacheManagerCache(manager: OAuthCacheManager): OAuthCache {
  return {
    get: (key) => manager.get(key),
    set: (key, value, expiresSeconds) =>
      manager.set(
        key,
        value,
        expiresSeconds === undefined ? undefined : Math.ceil(expiresSeconds * 1000),
      ),
    delete: (key) => manager.del(key),
  };
}

/**
 * Whether `value` is a cache-manager `Cache` (it has `del` and `wrap`, and
 * not the {@link OAuthCache} `delete`).
 * @internal
 */
export function isCacheManager(value: object): value is OAuthCacheManager {
  const v = value as Record<string, unknown>;
  return (
    typeof v.delete !== 'function' &&
    ['get', 'set', 'del', 'wrap'].every((m) => typeof v[m] === 'function')
  );
}
