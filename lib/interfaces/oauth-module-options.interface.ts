import type { ConfigurableModuleAsyncOptions, MiddlewareConsumer } from '@nestjs/common';
import type { FetchLike, OAuth2Token } from '../core/index.js';
import type { OAuthCache } from './oauth-cache.interface.js';
import type {
  OAuthCacheManager,
  OAuthRedisClient,
  OAuthSharedStore,
} from './oauth-shared-store.interface.js';
import type {
  OAuthAnyToken,
  OAuthClientOptions,
  OAuthTokenUpdateContext,
} from './oauth-client-options.interface.js';
import type { OAuthAuthorizeParams } from './oauth-login-options.interface.js';
import type { OAuthResourceOptions } from '../resource-server/interfaces/oauth-resource-options.interface.js';

/**
 * Where the module sets the request context (the request injected clients
 * find their user's token for) — in a middleware it registers for every
 * route by default, so it is there before guards run.
 *
 * @example
 * ```ts
 * requestContext: { mount: false } // then: consumer.apply(OAuthRequestContextMiddleware).forRoutes(ApiController)
 * ```
 */
export interface OAuthRequestContextOptions {
  /** Register the middleware (default `true`). With `false`, mount `OAuthRequestContextMiddleware` yourself, or use `runWithRequest`. */
  mount?: boolean;
  /** The routes it runs for, as `forRoutes()` takes them (default: every route, `{ path: '{*path}', method: RequestMethod.ALL }`). */
  forRoutes?: Parameters<ReturnType<MiddlewareConsumer['apply']>['forRoutes']>;
  /** Routes to leave out, as `exclude()` takes them. */
  exclude?: Parameters<ReturnType<MiddlewareConsumer['apply']>['exclude']>;
}

/**
 * Options of {@link OAuthModule}: the clients plus what they share. Keys in
 * Authlib's snake_case (`fetch_token`) are accepted; an unknown key fails at
 * start-up naming the nearest known one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html
 */
export interface OAuthModuleOptions {
  /** The clients, by name. Names are letters, digits, `_` and `-`. */
  clients?: Record<string, OAuthClientOptions>;
  /**
   * Finds the token of the user behind `request` for an injected client's
   * API calls (when the caller passes no `init.token`, and the request did not
   * just log in).
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
  /**
   * Parameters of one login, decided per request (`login_hint` from your
   * session, `prompt: 'consent'` on a second login, a tenant's `acr_values`).
   * Runs in the login guard, after the client's `authorizeParams` and before
   * the guard's own options.
   */
  authorizeParams?: (
    name: string,
    request: any,
  ) => OAuthAuthorizeParams | null | undefined | Promise<OAuthAuthorizeParams | null | undefined>;
  /**
   * Keeps login state in a shared cache instead of the encrypted cookie:
   * an {@link OAuthCache} (lifetimes in seconds); a `RedisOAuthStore` or an
   * ioredis client, which also lock refreshes across instances; or the
   * `CACHE_MANAGER` of `@nestjs/cache-manager` (state only). Else
   * `OAUTH_REDIS_URL` from `ConfigService` makes a `RedisOAuthStore`,
   * connected at start-up and closed on shutdown. See docs/several-instances.md.
   */
  cache?: OAuthCache | OAuthSharedStore | OAuthRedisClient | OAuthCacheManager;
  /**
   * Protects the state cookie (encryption key via HKDF-SHA-256): at least 32
   * random bytes (`openssl rand -base64 32`); a weak one fails at start-up.
   * Several app instances need the same one. A list allows rotation: the
   * first encrypts, all decrypt. Else `OAUTH_SECRET` from `ConfigService`;
   * else a random one (logins then complete only on the instance that started them).
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
  /** Where the request context middleware runs (default: every route). */
  requestContext?: OAuthRequestContextOptions;
  /**
   * Protects this app's own API with bearer tokens (`@RequireOAuth()`): the
   * issuer(s) and audience of the tokens it accepts, introspection, storage.
   * Missing keys are read from `ConfigService` as `OAUTH_RESOURCE_*`.
   * See docs/resource-server.md.
   */
  resource?: OAuthResourceOptions;
}

/** Implemented by a class given to `forRootAsync({ useClass | useExisting })`. */
export interface OAuthOptionsFactory {
  /** Returns the module options. */
  createOAuthOptions(): OAuthModuleOptions | Promise<OAuthModuleOptions>;
}

/**
 * Options of `OAuthModule.forRootAsync()`: Nest's `useFactory` / `useClass` /
 * `useExisting` with `imports` and `inject`, plus the client names that get
 * an `@OAuthClient(name)` provider.
 */
export interface OAuthModuleAsyncOptions extends ConfigurableModuleAsyncOptions<
  OAuthModuleOptions,
  'createOAuthOptions'
> {
  /**
   * Names of the clients whose `@OAuthClient(name)` providers must exist
   * before the factory runs. The factory may configure more, reachable through
   * `OAuthService`.
   */
  clients?: string[];
  /** Registers the module globally (default `true`). */
  isGlobal?: boolean;
}
