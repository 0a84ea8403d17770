import { OAuthConfigError } from '../errors/oauth-config.error.js';
import type {
  OAuthRedisClient,
  OAuthSharedStore,
} from '../interfaces/oauth-shared-store.interface.js';
import { OAUTH_REDIS_URL_ENV } from '../redis/redis-errors.js';

/**
 * Loads `nestjs-oauth/redis` (and with it ioredis, an optional peer
 * dependency) only when the app asks for Redis, and makes a
 * `RedisOAuthStore` on `OAUTH_REDIS_URL` or on the app's ioredis client,
 * connected before it is returned.
 *
 * @param source - the URL read from `OAUTH_REDIS_URL`, or the app's client
 * @returns the connected store
 * @throws {OAuthConfigError} when ioredis is not installed, or the URL is malformed
 * @throws {RedisConnectError} when Redis cannot be reached (naming `OAUTH_REDIS_URL`)
 * @internal
 */
export async function loadRedisStore(
  source: { url: string } | { client: OAuthRedisClient },
): Promise<OAuthSharedStore> {
  const setting = 'url' in source ? OAUTH_REDIS_URL_ENV : 'cache';
  let redis: typeof import('../redis/index.js');
  try {
    redis = await import('../redis/index.js');
  } catch (err) {
    if (!isMissingIoredis(err)) throw err;
    throw new OAuthConfigError(
      `OAuth module: ${setting} asks for Redis, which needs the ioredis package: npm install ioredis`,
      setting,
    );
  }
  let store: InstanceType<typeof redis.RedisOAuthStore>;
  try {
    store =
      'url' in source
        ? new redis.RedisOAuthStore({ url: source.url, urlSetting: OAUTH_REDIS_URL_ENV })
        : new redis.RedisOAuthStore({
            client: source.client as ConstructorParameters<
              typeof redis.RedisOAuthStore
            >[0]['client'],
            urlSetting: "the ioredis client given as the OAuth module's cache",
          });
  } catch (err) {
    // A malformed URL: the message names the setting and never echoes the value.
    if (err instanceof TypeError)
      throw new OAuthConfigError(`OAuth module: ${err.message}`, setting);
    throw err;
  }
  await store.connect();
  return store;
}

function isMissingIoredis(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    typeof e.message === 'string' &&
    e.message.includes("'ioredis'")
  );
}
