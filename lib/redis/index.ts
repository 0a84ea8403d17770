// The Redis integration: `nestjs-oauth/redis` (ioredis is an optional peer dependency).
export {
  OAUTH_REDIS_URL_ENV,
  RedisConnectError,
  RedisLockTimeoutError,
  RedisStoreError,
  RedisUnavailableError,
} from './redis-errors.js';
export type { RedisLockOptions } from './redis-lock.js';
export { RedisOAuthStore, type RedisOAuthStoreOptions } from './redis-oauth-store.js';
export { refreshLockKey } from './refresh-lock-key.js';
export {
  redisNonceStore,
  withRedisNonces,
  type OAuth1NonceStorage,
  type RedisNonceStoreOptions,
} from './redis-nonce-store.js';
