import type {
  AccessTokenLookup,
  OAuth2TokenRecord,
  StoredAccessToken,
} from '../../server/index.js';

/** What {@link authorizationServerTokenLookup} needs of an `AuthorizationServer`. */
export interface AccessTokenFinder {
  /** The record of an access token usable now (not revoked, not expired), or `undefined`. */
  findAccessToken(accessToken: string): Promise<OAuth2TokenRecord | undefined>;
}

/**
 * The access-token lookup of this app's own authorization server: what an
 * `OAUTH_ACCESS_TOKEN_LOOKUP` provider gives, so `@RequireOAuth()` accepts
 * the tokens it issued (looked up by their hash; revoked or expired ones are
 * refused).
 *
 * `OAuth2ServerModule` provides it by itself; an app running an
 * `AuthorizationServer` of its own provides it as below.
 *
 * @param server - the `AuthorizationServer`, `OAuth2ServerService` (or anything with `findAccessToken`)
 * @returns the lookup
 * @example
 * ```ts
 * providers: [{
 *   provide: OAUTH_ACCESS_TOKEN_LOOKUP,
 *   useFactory: (server: AuthorizationServer) => authorizationServerTokenLookup(server),
 *   inject: [AuthorizationServer],
 * }]
 * ```
 */
export function authorizationServerTokenLookup(server: AccessTokenFinder): AccessTokenLookup {
  return async (token: string): Promise<StoredAccessToken | undefined> => {
    const record = await server.findAccessToken(token);
    if (!record) return undefined;
    return {
      clientId: record.clientId,
      sub: record.subject,
      scope: record.scope,
      expiresAt: record.accessTokenExpiresAt,
      revoked: record.revoked,
      claims: { iat: record.issuedAt, ...(record.acr ? { acr: record.acr } : {}) },
    };
  };
}
