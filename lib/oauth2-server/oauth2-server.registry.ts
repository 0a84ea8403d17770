import type { OnModuleInit } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { AuthorizationServer, type ResolvedEndpoints } from '../server/oauth2/index.js';
import { coreConfigError } from './config/core-config-error.js';
import type { ResolvedOAuth2ServerOptions } from './config/resolve-oauth2-server-options.js';
import { resolveStorage } from './config/resolve-storage.js';

/**
 * What the module builds at start-up: the resolved options, then (once every
 * provider of the app exists, so that a storage provided by a module of the
 * app is found) the authorization server. Internal: users see
 * `OAuth2ServerService`.
 *
 * @internal
 */
export class OAuth2ServerRegistry implements OnModuleInit {
  private built?: AuthorizationServer;

  /**
   * @param options - the resolved options
   * @param endpoints - the endpoint URLs (known before the storage is)
   * @param moduleRef - to find the storage
   */
  constructor(
    readonly options: ResolvedOAuth2ServerOptions,
    readonly endpoints: Readonly<ResolvedEndpoints>,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The issuer identifier. */
  get issuer(): string {
    return this.options.server.issuer;
  }

  /** The origin every request URL is built on: the issuer's (the `Host` header is never trusted). */
  get origin(): string {
    return new URL(this.issuer).origin;
  }

  /**
   * The authorization server.
   * @throws {Error} before the app is initialized
   */
  get server(): AuthorizationServer {
    if (!this.built) {
      throw new Error(
        'OAuth2ServerModule: the authorization server is built when the app initializes (app.init() or app.listen())',
      );
    }
    return this.built;
  }

  /**
   * Finds the storage and builds the server.
   * @throws {OAuthConfigError} naming `storage` (or the setting the core refused)
   */
  async onModuleInit(): Promise<void> {
    if (this.built) return;
    const storage = await resolveStorage(this.options.storage, this.moduleRef);
    try {
      this.built = new AuthorizationServer({ ...this.options.server, storage });
    } catch (err) {
      throw coreConfigError(err, this.options.sources);
    }
  }
}
