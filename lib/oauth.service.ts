import { Inject, Injectable } from '@nestjs/common';
import type { OAuth1App } from './apps/oauth1-app.js';
import type { OAuth2App } from './apps/oauth2-app.js';
import type { OAuthApp } from './apps/oauth-app.type.js';
import { OAuthClientNotFoundError } from './errors/oauth-client-not-found.error.js';
import { OAuthRegistry } from './oauth.registry.js';

/**
 * The registered clients, by name: for code that picks a client at run time
 * (a `:provider` route), or for clients added by the `forRootAsync` factory.
 *
 * @example
 * ```ts
 * constructor(private readonly oauth: OAuthService) {}
 * me(provider: string) { return this.oauth.client<OAuth2App>(provider).userinfo(); }
 * ```
 */
@Injectable()
export class OAuthService {
  /** @internal Built by the module. */
  constructor(@Inject(OAuthRegistry) private readonly registry: OAuthRegistry) {}

  /**
   * The client registered as `name`.
   *
   * @param name - the client's name
   * @returns its {@link OAuth2App} or {@link OAuth1App}
   * @throws {OAuthClientNotFoundError} when no client has that name
   */
  client<T extends OAuthApp = OAuthApp>(name: string): T {
    const app = this.registry.get(name);
    if (!app) throw new OAuthClientNotFoundError(name, this.names());
    return app as T;
  }

  /** Whether a client is registered as `name`. */
  has(name: string): boolean {
    return this.registry.get(name) !== undefined;
  }

  /** The names of every registered client. */
  names(): string[] {
    return [...this.registry.apps.keys()];
  }

  /** The OAuth 2 client `name` (throws when it is OAuth 1 or unknown). */
  oauth2(name: string): OAuth2App {
    const app = this.client(name);
    if (app.kind !== 'oauth2') throw new TypeError(`OAuth client "${name}" is an OAuth 1 client`);
    return app;
  }

  /** The OAuth 1 client `name` (throws when it is OAuth 2 or unknown). */
  oauth1(name: string): OAuth1App {
    const app = this.client(name);
    if (app.kind !== 'oauth1') throw new TypeError(`OAuth client "${name}" is an OAuth 2 client`);
    return app;
  }
}
