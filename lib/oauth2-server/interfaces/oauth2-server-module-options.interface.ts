import type { ConfigurableModuleAsyncOptions, InjectionToken, Type } from '@nestjs/common';
import type {
  AuthorizationServerOptions,
  Awaitable,
  OAuth2ServerHooks,
  OAuth2ServerStorage,
  OAuth2ServerUser,
} from '../../server/oauth2/index.js';

/**
 * Where the module finds its {@link OAuth2ServerStorage}:
 *
 * - an instance (`new MemoryOAuth2ServerStorage(...)`, or one a `forRootAsync`
 *   factory was injected with);
 * - an `@Injectable()` class: the provider of that class when your app has one
 *   (a storage module of yours), else one Nest builds for the module, its
 *   constructor's dependencies injected;
 * - `{ useExisting: token }`: the provider registered under `token` anywhere
 *   in the app.
 */
export type OAuth2ServerStorageOption =
  | OAuth2ServerStorage
  | Type<OAuth2ServerStorage>
  | {
      /** The DI token of an existing provider implementing {@link OAuth2ServerStorage}. */
      useExisting: InjectionToken;
    };

/**
 * Which documents the module serves itself, straight on the HTTP adapter
 * (outside your controllers, guards, interceptors and filters, and outside a
 * global prefix: RFC 8414 puts them at the issuer's origin). `false` leaves
 * one to you (it is still advertised in the metadata; serve it with
 * `OAuth2ServerService`). Turn an endpoint off altogether with
 * `endpoints.userinfo: false` / `endpoints.jwks: false`.
 */
export interface OAuth2ServerRoutes {
  /** `/.well-known/openid-configuration` and `/.well-known/oauth-authorization-server` (default `true`). */
  metadata?: boolean;
  /** The JWK set at `endpoints.jwks` (default `true`). */
  jwks?: boolean;
  /** UserInfo (GET and POST) at `endpoints.userinfo` (default `true`). */
  userinfo?: boolean;
}

/**
 * Options of `OAuth2ServerModule`: the core's {@link AuthorizationServerOptions}
 * (issuer, keys, lifetimes, PKCE, hooks, `errorUri`, ...) with the storage
 * given the Nest way, and the routes the module serves.
 *
 * Every setting that is not a function or an object can also come from
 * `ConfigService` as `OAUTH2_PROVIDER_*` (the seed's names:
 * `OAUTH2_PROVIDER_ERROR_URI`, `OAUTH2_PROVIDER_TOKEN_EXPIRES_IN`, ...); a
 * value in code wins. Flask-OAuthlib's snake_case spellings (`error_uri`,
 * `token_expires_in`) are accepted; an unknown key fails at start-up.
 *
 * Endpoint paths (`endpoints`, default `/authorize`, `/token`, `/revoke`,
 * `/introspect`, `/userinfo`, `/jwks` under the issuer) must be where your
 * decorated routes are: the module checks it when the app starts.
 */
export interface OAuth2ServerModuleOptions
  extends
    Omit<AuthorizationServerOptions, 'issuer' | 'storage' | keyof OAuth2ServerHooks>,
    OAuth2ServerHooks {
  /** The issuer (`https://auth.example.com`); or `OAUTH2_PROVIDER_ISSUER`. */
  issuer?: string;
  /** Clients, codes and tokens: the seed's getters and setters. */
  storage: OAuth2ServerStorageOption;
  /** The documents the module serves itself (default: all). */
  routes?: OAuth2ServerRoutes;
  /**
   * The signed-in user, for an authorization decision of `true` (the seed's
   * `current_user`): default `request.user` when it has a string `sub`.
   *
   * @param request - the HTTP request (the object `@Req()` gives)
   */
  resourceOwner?(request: any): Awaitable<OAuth2ServerUser | null | undefined>;
}

/** Implemented by a class given to `forRootAsync({ useClass | useExisting })`. */
export interface OAuth2ServerOptionsFactory {
  /** Returns the module options. */
  createOAuth2ServerOptions(): OAuth2ServerModuleOptions | Promise<OAuth2ServerModuleOptions>;
}

/**
 * Options of `OAuth2ServerModule.forRootAsync()`: Nest's `useFactory` /
 * `useClass` / `useExisting` with `imports` and `inject`.
 */
export interface OAuth2ServerModuleAsyncOptions extends ConfigurableModuleAsyncOptions<
  OAuth2ServerModuleOptions,
  'createOAuth2ServerOptions'
> {
  /** Registers the module globally (default `true`). */
  isGlobal?: boolean;
}
