import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import type { HttpOptions } from '../../core/http/fetcher.js';
import { JwksCache } from '../../core/oidc/jwks.js';
import type { OAuth2ServerClient } from './oauth2-server-client.js';

/** Most clients' `jwks_uri` key sets kept; the least recently used is dropped. */
const MAX_CACHED_SETS = 256;

/**
 * The public keys of clients (`private_key_jwt`, JWT bearer grants): the
 * client's registered `jwks`, or its `jwksUri` fetched and cached by the same
 * {@link JwksCache} the OpenID Connect client uses (one re-fetch on an
 * unknown `kid`, bounded under a flood).
 */
export class ClientKeyResolver {
  private readonly caches = new Map<string, JwksCache>();

  /** @param http - `fetch` and timeout for `jwksUri` */
  constructor(private readonly http: HttpOptions = {}) {}

  /**
   * The client's key resolver.
   * @returns `undefined` when the client registered no keys, or its `jwks` is not a JWK set
   */
  keysFor(client: OAuth2ServerClient): JwksCache | JWTVerifyGetKey | undefined {
    if (client.jwks) {
      try {
        return createLocalJWKSet(client.jwks);
      } catch {
        return undefined;
      }
    }
    if (!client.jwksUri) return undefined;
    let cache = this.caches.get(client.jwksUri);
    if (cache) {
      this.caches.delete(client.jwksUri);
    } else {
      cache = new JwksCache(client.jwksUri, this.http);
      if (this.caches.size >= MAX_CACHED_SETS) {
        this.caches.delete(this.caches.keys().next().value as string);
      }
    }
    this.caches.set(client.jwksUri, cache);
    return cache;
  }
}
