import { Inject, Injectable } from '@nestjs/common';
import type {
  AuthorizationServer,
  JwkSet,
  OAuth2TokenRecord,
  ResolvedEndpoints,
} from '../server/oauth2/index.js';
import { OAuth2ServerRegistry } from './oauth2-server.registry.js';

/**
 * The authorization server of the app, for code of yours: the issuer and
 * endpoint URLs, the metadata and JWK set documents, the bearer tokens it
 * issued (for an API of the same app), and the framework-free
 * {@link AuthorizationServer} itself (to serve a document the module does not
 * serve, `routes: { userinfo: false }`, your own way).
 *
 * @example
 * ```ts
 * constructor(private readonly oauth2: OAuth2ServerService) {}
 * async whoAmI(token: string) {
 *   const record = await this.oauth2.findAccessToken(token); // undefined: invalid, expired or revoked
 *   return record?.subject;
 * }
 * ```
 */
@Injectable()
export class OAuth2ServerService {
  /** @internal Built by the module. */
  constructor(@Inject(OAuth2ServerRegistry) private readonly registry: OAuth2ServerRegistry) {}

  /** The framework-free authorization server the module runs (built when the app initializes). */
  get server(): AuthorizationServer {
    return this.registry.server;
  }

  /** The issuer identifier. */
  get issuer(): string {
    return this.registry.issuer;
  }

  /** The absolute URLs of the endpoints (a disabled one is absent). */
  get endpoints(): Readonly<ResolvedEndpoints> {
    return this.registry.endpoints;
  }

  /** The RFC 8414 / OpenID Connect Discovery metadata document. */
  metadata(): Record<string, unknown> {
    return this.registry.server.metadata();
  }

  /** The public JWK set: every signing key, old ones included. */
  jwks(): JwkSet {
    return this.registry.server.jwks();
  }

  /**
   * The stored record of an access token that is usable now (not revoked,
   * not expired), or `undefined`.
   *
   * @param accessToken - the bearer token in clear (hashed before the storage sees it)
   */
  findAccessToken(accessToken: string): Promise<OAuth2TokenRecord | undefined> {
    return this.registry.server.findAccessToken(accessToken);
  }
}
