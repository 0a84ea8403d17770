import type { OAuth2AuthorizationGrant, OAuth2ServerStorage } from './oauth2-server-storage.js';
import { takeFromCache, type OAuth2ServerCache } from './server-cache.js';

/** Where authorization codes live: the storage, or a cache (the seed's `bind_cache_grant`). */
export interface CodeStore {
  /** Keeps a grant until it expires. */
  save(grant: OAuth2AuthorizationGrant, now: number): Promise<void>;
  /** Returns the grant and removes it, once: a second call for the same code gets `undefined`. */
  take(codeHash: string): Promise<OAuth2AuthorizationGrant | undefined>;
}

const CODE_KEY = 'oauth2:code:';

/**
 * The code store of a server: its `grantCache` when given, else the
 * storage's grant methods.
 *
 * @throws {TypeError} (`ERR_OAUTH_SERVER_CONFIG`) when neither is available
 */
export function createCodeStore(
  storage: OAuth2ServerStorage,
  cache?: OAuth2ServerCache,
): CodeStore {
  if (cache) {
    return {
      async save(grant, now) {
        await cache.set(CODE_KEY + grant.codeHash, grant, Math.max(1, grant.expiresAt - now));
      },
      async take(codeHash) {
        const grant = await takeFromCache(cache, CODE_KEY + codeHash);
        return isGrant(grant, codeHash) ? grant : undefined;
      },
    };
  }
  const { saveGrant, getGrant, deleteGrant } = storage;
  if (!saveGrant || !getGrant || !deleteGrant) {
    throw Object.assign(
      new TypeError(
        'OAuth2 server: the storage has no saveGrant/getGrant/deleteGrant: implement them or set grantCache',
      ),
      { code: 'ERR_OAUTH_SERVER_CONFIG' },
    );
  }
  return {
    async save(grant) {
      await saveGrant.call(storage, grant);
    },
    async take(codeHash) {
      const grant = await getGrant.call(storage, codeHash);
      if (!grant) return undefined;
      // Only the caller whose delete removed the grant may use it: a code is redeemed once.
      return (await deleteGrant.call(storage, codeHash)) === true ? grant : undefined;
    },
  };
}

function isGrant(value: unknown, codeHash: string): value is OAuth2AuthorizationGrant {
  return (
    !!value &&
    typeof value === 'object' &&
    (value as OAuth2AuthorizationGrant).codeHash === codeHash
  );
}
