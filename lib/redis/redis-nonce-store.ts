import { createHash } from 'node:crypto';
import type {
  OAuth1Nonce,
  OAuth1NonceKey,
  OAuth1ServerStorage,
} from '../server/oauth1/oauth1-server-storage.interface.js';
import type { RedisOAuthStore } from './redis-oauth-store.js';

/** Options of {@link redisNonceStore}. */
export interface RedisNonceStoreOptions {
  /** Prefix of the nonce keys, inside the store's cache prefix. Default `oauth1-nonce:`. */
  keyPrefix?: string;
  /** The clock in epoch seconds (default: the real one); the provider's, if it has its own. */
  now?: () => number;
}

/** The nonce methods of an OAuth 1 provider's storage. */
export type OAuth1NonceStorage = Pick<OAuth1ServerStorage, 'saveNonce' | 'getNonce'>;

/**
 * The OAuth 1 provider's nonces in Redis, so that every instance of the app
 * refuses a request replayed to another one: `saveNonce` is an atomic
 * `SET NX` that lives until the nonce's timestamp leaves the window
 * (`expiresAt`), so two copies of one request racing to two instances give
 * one success and one `401 nonce_used`.
 *
 * The key is a SHA-256 of the client key, timestamp, nonce and token lookup
 * key: no client value reaches Redis's key space as it was sent.
 *
 * @param store - the Redis store the app already has (`RedisOAuthStore.connect(...)`)
 * @param options - the key prefix and the clock
 * @returns `saveNonce` and `getNonce`, for the app's `OAuth1ServerStorage`
 * @example
 * ```ts
 * @Injectable()
 * export class AppOAuth1Storage implements OAuth1ServerStorage<User> {
 *   private readonly nonces = redisNonceStore(this.redis);
 *   constructor(private readonly redis: RedisOAuthStore, private readonly db: Db) {}
 *   saveNonce(nonce: OAuth1Nonce) { return this.nonces.saveNonce(nonce); }
 *   getNonce(key: OAuth1NonceKey) { return this.nonces.getNonce(key); }
 *   // getClient, saveRequestToken, ... from your database
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.3
 */
export function redisNonceStore(
  store: RedisOAuthStore,
  options: RedisNonceStoreOptions = {},
): OAuth1NonceStorage {
  const prefix = options.keyPrefix ?? 'oauth1-nonce:';
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const keyOf = (key: OAuth1NonceKey): string =>
    prefix +
    createHash('sha256')
      .update(
        JSON.stringify([
          key.clientKey,
          key.timestamp,
          key.nonce,
          key.requestToken ?? null,
          key.accessToken ?? null,
        ]),
      )
      .digest('base64url');
  return {
    saveNonce(nonce: OAuth1Nonce): Promise<boolean> {
      return store.add(keyOf(nonce), 1, Math.max(1, nonce.expiresAt - now()));
    },
    async getNonce(key: OAuth1NonceKey): Promise<boolean> {
      return (await store.get(keyOf(key))) !== undefined;
    },
  };
}

/**
 * The app's OAuth 1 storage with its nonces in Redis: every method is the
 * storage's own, except `saveNonce` and `getNonce`, which are
 * {@link redisNonceStore}'s. The storage itself is not changed.
 *
 * @typeParam S - the storage's type
 * @param storage - the app's storage (clients and tokens in its database)
 * @param store - the Redis store the app already has
 * @param options - the nonce key prefix and the clock
 * @returns the storage to give `OAuth1ServerModule`
 * @example
 * ```ts
 * OAuth1ServerModule.forRootAsync({
 *   imports: [RedisModule, DbModule],
 *   inject: [RedisOAuthStore, DbOAuth1Storage],
 *   useFactory: (redis: RedisOAuthStore, db: DbOAuth1Storage) => ({
 *     storage: withRedisNonces(db, redis),
 *   }),
 * });
 * ```
 */
export function withRedisNonces<S extends OAuth1ServerStorage<any>>(
  storage: S,
  store: RedisOAuthStore,
  options: RedisNonceStoreOptions = {},
): S {
  const nonces = redisNonceStore(store, options);
  return new Proxy(storage, {
    get(target, name) {
      if (name === 'saveNonce' || name === 'getNonce') return nonces[name];
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
