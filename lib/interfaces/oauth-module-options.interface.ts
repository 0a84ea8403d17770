import type { ModuleMetadata, Type } from '@nestjs/common';
import type { FetchLike } from '../core/http/fetcher.js';
import type { OAuth2Token } from '../core/token.js';
import type { OAuthCache } from './oauth-cache.interface.js';
import type {
  OAuthAnyToken,
  OAuthClientOptions,
  OAuthTokenUpdateContext,
} from './oauth-client-options.interface.js';

/**
 * Options of {@link OAuthModule}: the clients plus what they share.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html
 */
export interface OAuthModuleOptions {
  /** The clients, by name. Names are letters, digits, `_` and `-`. */
  clients?: Record<string, OAuthClientOptions>;
  /**
   * Finds the token of the user behind `request` for an injected client's
   * API calls (when the caller passes no `init.token`).
   */
  fetchToken?: (
    name: string,
    request: any,
  ) => OAuthAnyToken | null | undefined | Promise<OAuthAnyToken | null | undefined>;
  /**
   * Persists a refreshed token. `request` is the HTTP request being served
   * when the refresh happened (if any).
   */
  updateToken?: (
    name: string,
    token: OAuth2Token,
    context: OAuthTokenUpdateContext,
    request?: any,
  ) => void | Promise<void>;
  /** Keeps login state in a shared cache instead of the encrypted cookie. */
  cache?: OAuthCache;
  /**
   * Protects the state cookie (encryption key via HKDF-SHA-256). Several app
   * instances need the same one. A list allows rotation: the first encrypts,
   * all decrypt. Else `OAUTH_SECRET` from `ConfigService`; else a random one.
   */
  secret?: string | string[];
  /** Lifetime of a login flow in seconds (default 600). */
  stateTtl?: number;
  /** Prefix of the state cookies (default `oauth`). */
  cookieName?: string;
  /** A custom `fetch` for every client. */
  fetch?: FetchLike;
  /** Per-request timeout in ms for every client (default 30 000). */
  timeout?: number;
}

/** Implemented by a class given to `forRootAsync({ useClass | useExisting })`. */
export interface OAuthOptionsFactory {
  /** Returns the module options. */
  createOAuthOptions(): OAuthModuleOptions | Promise<OAuthModuleOptions>;
}

/**
 * Options of `OAuthModule.forRootAsync()`.
 */
export interface OAuthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /**
   * Names of the clients whose `@OAuthClient(name)` providers must exist
   * before the factory runs. The factory may configure more, reachable through
   * `OAuthService`.
   */
  clients?: string[];
  /** Factory returning the options. */
  useFactory?: (...args: any[]) => OAuthModuleOptions | Promise<OAuthModuleOptions>;
  /** Providers injected into `useFactory`. */
  inject?: any[];
  /** A class implementing {@link OAuthOptionsFactory}, instantiated by the module. */
  useClass?: Type<OAuthOptionsFactory>;
  /** An existing provider implementing {@link OAuthOptionsFactory}. */
  useExisting?: Type<OAuthOptionsFactory>;
  /** Registers the module globally (default `true`). */
  isGlobal?: boolean;
}
