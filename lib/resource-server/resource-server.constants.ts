/**
 * DI tokens, metadata keys and names of the Nest layer of resource protection.
 */

/**
 * DI token of an access-token lookup into this app's own authorization
 * server's storage (an `AccessTokenLookup`, or `StorageValidatorOptions`).
 * When a provider of it exists anywhere in the app, `@RequireOAuth()` also
 * accepts the tokens that storage knows (the storage validator), unless the
 * resource options say `storage: false`. `OAuth2ServerModule` provides it;
 * an app with a storage of its own can provide it too.
 *
 * @example
 * ```ts
 * providers: [{ provide: OAUTH_ACCESS_TOKEN_LOOKUP, useValue: (token: string) => myTokens.find(token) }]
 * ```
 */
export const OAUTH_ACCESS_TOKEN_LOOKUP = 'OAUTH_ACCESS_TOKEN_LOOKUP';

/** DI token of the options given to `OAuthResourceModule.forRoot/forRootAsync`. */
export const OAUTH_RESOURCE_OPTIONS = 'OAUTH_RESOURCE_OPTIONS';

/**
 * Metadata key of the scopes `@RequireOAuth(...scopes)` sets on a controller or route.
 * @internal
 */
export const OAUTH_SCOPES_METADATA = 'nestjs-oauth:resource-scopes';

/** Logger context of every log line of resource protection. */
export const OAUTH_RESOURCE_LOGGER_CONTEXT = 'OAuthResource';

/** Prefix of the `ConfigService` keys of resource protection (`OAUTH_RESOURCE_ISSUER`, ...). */
export const OAUTH_RESOURCE_CONFIG_PREFIX = 'OAUTH_RESOURCE';
