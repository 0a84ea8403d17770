import type { RefreshLockFunction } from '../core/oauth2/refresh-lock.js';
import type { ConfigReader } from '../config/config-reader.js';
import { OAuthConfigError } from '../errors/oauth-config.error.js';
import type { OAuthCache } from '../interfaces/oauth-cache.interface.js';
import type { OAuthModuleOptions } from '../interfaces/oauth-module-options.interface.js';
import type {
  OAuthRedisClient,
  OAuthSharedStore,
} from '../interfaces/oauth-shared-store.interface.js';
import { OAUTH_REDIS_URL_ENV } from '../redis/redis-errors.js';
import { cacheManagerCache, isCacheManager } from './cache-manager.cache.js';
import { loadRedisStore } from './redis-store.loader.js';

/**
 * What the module shares with the other instances of the app, resolved at
 * start-up from the `cache` option (or `OAUTH_REDIS_URL`).
 *
 * @internal
 */
export interface ModuleStore {
  /** Where login state goes (`undefined`: the encrypted cookie). */
  readonly cache?: OAuthCache;
  /** The refresh lock of a client, when the store has one (Redis). */
  readonly refreshLock?: (clientName: string) => RefreshLockFunction;
  /** What the store is, for messages: `cookie`, `cache`, `redis`, `cache-manager`. */
  readonly kind: 'cookie' | 'cache' | 'redis' | 'cache-manager';
  /** Closes the Redis store (made from `OAUTH_REDIS_URL`, given, or made around a client, which stays open). */
  close(): Promise<void>;
}

const nothingToClose = async () => undefined;

/**
 * Resolves the module's shared store:
 *
 * | `cache` given                               | login state | refresh lock | closed by the module |
 * | ------------------------------------------- | ----------- | ------------ | -------------------- |
 * | a `RedisOAuthStore` (an {@link OAuthSharedStore}) | yes, `take` | yes    | yes (`close()`, if it has one) |
 * | an ioredis client                           | yes, `take` | yes          | the store; the client stays open |
 * | the `CACHE_MANAGER` of @nestjs/cache-manager | yes, get then del | no     | no                   |
 * | an {@link OAuthCache}                       | yes         | no           | no                   |
 * | none, `OAUTH_REDIS_URL` set                 | yes, `take` | yes          | yes                  |
 * | none                                        | cookie      | no           | -                    |
 *
 * A Redis store is connected before the app starts: an unreachable Redis
 * stops the start-up with a `RedisConnectError` naming the setting.
 *
 * @param options - the module options
 * @param read - reads `OAUTH_REDIS_URL` (usually `ConfigService.get`)
 * @throws {OAuthConfigError} for a `cache` of no known kind, or a malformed `OAUTH_REDIS_URL`
 * @internal
 */
export async function resolveModuleStore(
  options: OAuthModuleOptions,
  read: ConfigReader,
): Promise<ModuleStore> {
  const given: unknown = options.cache;
  if (given === undefined || given === null) {
    const url = read(OAUTH_REDIS_URL_ENV);
    if (url === undefined || url === null || url === '') {
      return { kind: 'cookie', close: nothingToClose };
    }
    if (typeof url !== 'string') {
      throw new OAuthConfigError(
        `OAuth module: ${OAUTH_REDIS_URL_ENV} must be a redis:// or rediss:// URL`,
        OAUTH_REDIS_URL_ENV,
      );
    }
    return redisStore(await loadRedisStore({ url }));
  }
  if (typeof given !== 'object' && typeof given !== 'function') {
    throw invalidCache();
  }
  if (isSharedStore(given)) {
    await given.connect?.();
    // Its lifetime is the app's (often made inline in forRoot): closed on shutdown too.
    return redisStore(given);
  }
  if (isRedisClient(given)) return redisStore(await loadRedisStore({ client: given }));
  if (isCacheManager(given)) {
    return { kind: 'cache-manager', cache: cacheManagerCache(given), close: nothingToClose };
  }
  const cache = given as Partial<OAuthCache>;
  if (['get', 'set', 'delete'].every((m) => typeof cache[m as keyof OAuthCache] === 'function')) {
    return { kind: 'cache', cache: given as OAuthCache, close: nothingToClose };
  }
  throw invalidCache();
}

function redisStore(store: OAuthSharedStore): ModuleStore {
  return {
    kind: 'redis',
    cache: store,
    refreshLock: (name) => store.refreshLock(name),
    close: async () => store.close?.(),
  };
}

function isSharedStore(value: object): value is OAuthSharedStore {
  const v = value as Record<string, unknown>;
  return ['get', 'set', 'delete', 'take', 'refreshLock'].every((m) => typeof v[m] === 'function');
}

function isRedisClient(value: object): value is OAuthRedisClient {
  const v = value as Record<string, unknown>;
  return (
    typeof v.status === 'string' &&
    typeof v.getdel === 'function' &&
    typeof v.duplicate === 'function'
  );
}

function invalidCache(): OAuthConfigError {
  return new OAuthConfigError(
    'OAuth module: cache must be an object with get, set and delete (seconds), a RedisOAuthStore, ' +
      'an ioredis client, or the CACHE_MANAGER of @nestjs/cache-manager',
    'cache',
  );
}
