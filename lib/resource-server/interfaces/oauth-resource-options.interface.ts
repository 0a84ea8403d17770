import type { ConfigurableModuleAsyncOptions } from '@nestjs/common';
import type { FetchLike } from '../../core/index.js';
import type {
  AccessTokenLookup,
  AccessTokenValidator,
  IntrospectionOptions,
  JwtAccessTokenOptions,
  StorageValidatorOptions,
} from '../../server/index.js';

/**
 * JWT access token (RFC 9068) settings of one issuer. Every key of
 * `JwtAccessTokenOptions` may be given; `issuer`, `serverMetadataUrl`,
 * `audience`, `fetch` and `timeout` default to the ones of
 * {@link OAuthResourceOptions} (an entry that names neither `issuer` nor
 * `serverMetadataUrl` takes both from there).
 */
export type OAuthResourceJwtOptions = Partial<JwtAccessTokenOptions>;

/**
 * Token introspection (RFC 7662) settings: the credentials this API
 * authenticates with (`clientId`, `clientSecret`, `tokenEndpointAuthMethod`,
 * `clientKey`, ...), the `cache`, and every other key of
 * `IntrospectionOptions`. `issuer`, `serverMetadataUrl`, `audience`, `fetch`
 * and `timeout` default to the ones of {@link OAuthResourceOptions}.
 */
export type OAuthResourceIntrospectionOptions = Partial<IntrospectionOptions>;

/**
 * How an API protected by `@RequireOAuth()` validates bearer tokens (RFC 6750):
 * as JWT access tokens of one or more issuers (RFC 9068), by introspection
 * (RFC 7662), through this app's own authorization server's storage, or with
 * validators of your own. Given as `OAuthModule.forRoot({ resource })` or
 * `OAuthResourceModule.forRoot(options)`; missing keys are read from
 * `ConfigService` as `OAUTH_RESOURCE_*` (see docs/resource-server.md).
 * Authlib's snake_case spellings are accepted; an unknown key fails at
 * start-up naming the nearest known one.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({
 *   resource: { issuer: 'https://auth.example.com', audience: 'https://api.example.com' },
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750.html
 */
export interface OAuthResourceOptions {
  /** The protection space named in `WWW-Authenticate` (default `api`; `OAUTH_RESOURCE_REALM`). */
  realm?: string;
  /**
   * The authorization server whose tokens this API accepts, compared exactly
   * with their `iss` (`OAUTH_RESOURCE_ISSUER`). Its metadata is read from
   * `{issuer}/.well-known/openid-configuration` unless `serverMetadataUrl` is set.
   * With it, JWT access tokens of this issuer are accepted (unless `jwt: false`).
   */
  issuer?: string;
  /** The issuer's OpenID Discovery or RFC 8414 metadata URL (`OAUTH_RESOURCE_SERVER_METADATA_URL`). */
  serverMetadataUrl?: string;
  /**
   * This API's identifier(s): the `aud` its tokens must carry, the resource
   * indicator clients ask tokens for (`OAUTH_RESOURCE_AUDIENCE`, comma-separated
   * or a JSON list). Required by the JWT and introspection validators.
   */
  audience?: string | string[];
  /**
   * JWT access tokens: settings for the issuer above, a list of issuers (each
   * entry its own `issuer` or `serverMetadataUrl`), or `false` for none.
   * Default: one validator for `issuer` / `serverMetadataUrl` when set.
   */
  jwt?: OAuthResourceJwtOptions | readonly OAuthResourceJwtOptions[] | false;
  /**
   * Opaque tokens by introspection at the issuer (or `introspectionEndpoint`).
   * Turned on by this key, or by `OAUTH_RESOURCE_INTROSPECTION_CLIENT_ID`.
   */
  introspection?: OAuthResourceIntrospectionOptions | false;
  /**
   * This app's own authorization server's tokens, looked up in its storage.
   * Default: the `OAUTH_ACCESS_TOKEN_LOOKUP` provider when the app has one
   * (`OAuth2ServerModule` provides it); `false` ignores it.
   */
  storage?: AccessTokenLookup | StorageValidatorOptions | false;
  /** Validators of your own, tried after the ones above. */
  validators?: readonly AccessTokenValidator[];
  /**
   * Also accept the token as the `access_token` field of a form body
   * (RFC 6750 §2.2). Default `false`: the `Authorization` header only.
   */
  allowFormBody?: boolean;
  /** Longest token accepted, in characters (default 16 384). */
  maxTokenLength?: number;
  /** A custom `fetch` for metadata, key sets and introspection (default: `OAuthModule`'s `fetch`, else the platform's). */
  fetch?: FetchLike;
  /** Timeout of each call to the authorization server, in ms (`OAUTH_RESOURCE_TIMEOUT`; default: `OAuthModule`'s `timeout`, else 30 000). */
  timeout?: number;
}

/** Implemented by a class given to `OAuthResourceModule.forRootAsync({ useClass | useExisting })`. */
export interface OAuthResourceOptionsFactory {
  /** Returns the resource protection options. */
  createOAuthResourceOptions(): OAuthResourceOptions | Promise<OAuthResourceOptions>;
}

/**
 * Options of `OAuthResourceModule.forRootAsync()`: Nest's `useFactory` /
 * `useClass` / `useExisting` with `imports` and `inject`.
 */
export interface OAuthResourceModuleAsyncOptions extends ConfigurableModuleAsyncOptions<
  OAuthResourceOptions,
  'createOAuthResourceOptions'
> {
  /** Registers the module globally (default `true`). */
  isGlobal?: boolean;
}
