import type { AuthorizationServer } from '../server/oauth2/index.js';
import type { ResolvedOAuth2ServerOptions } from './config/resolve-oauth2-server-options.js';

/**
 * What the module builds at start-up (see `createOAuth2ServerRegistry`): the
 * authorization server and the resolved options. Internal: users see
 * `OAuth2ServerService`.
 *
 * @internal
 */
export class OAuth2ServerRegistry {
  /**
   * @param server - the framework-free authorization server
   * @param options - the resolved options (routes, where each setting came from)
   */
  constructor(
    readonly server: AuthorizationServer,
    readonly options: ResolvedOAuth2ServerOptions,
  ) {}

  /** The origin every request URL is built on: the issuer's (the `Host` header is never trusted). */
  get origin(): string {
    return new URL(this.server.issuer).origin;
  }
}
