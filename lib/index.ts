// The public surface of nestjs-oauth for a Nest app. The framework-free
// protocol layer is the subpath `nestjs-oauth/core`; the names a Nest user
// needs from it are re-exported here too.

// From the core: the clients, their errors and tokens.
export {
  AssertionClient,
  InvalidResponseError,
  InvalidTokenError,
  MismatchingStateError,
  MissingTokenError,
  nodeHttpFetch,
  OAuth1Client,
  OAuth2Client,
  OAuthError,
  OAuthNetworkError,
  OAuthTimeoutError,
  TokenExpiredError,
  type AssertionClientOptions,
  type FetchLike,
  type NodeHttpFetchOptions,
  type OAuth1ClientOptions,
  type OAuth1Token,
  type OAuth2ClientOptions,
  type OAuth2Token,
  type OAuthErrorOptions,
} from './core/index.js';

// The module, its service and its injected clients.
export { OAuthModule } from './oauth.module.js';
export { OAuthService } from './oauth.service.js';
export { OAUTH_MODULE_OPTIONS } from './oauth.constants.js';
export { OAuth1App, OAuth2App, type OAuthApp } from './apps/index.js';
export type { ResolvedClientOptions } from './config/resolve-client-options.js';
export { getOAuthClientToken } from './utils/get-oauth-client-token.util.js';

// Guards, decorators and the request context.
export {
  OAuthCallbackGuard,
  OAuthCallbackGuardBase,
  OAuthFlowGuardBase,
  OAuthLoginGuard,
  OAuthLoginGuardBase,
} from './guards/index.js';
export {
  OAuthCallbackResult,
  OAuthClient,
  OAuthReturnTo,
  OAuthToken,
  OAuthUser,
} from './decorators/index.js';
export { getOAuthCallbackResult } from './context/callback-result.js';
export { OAuthRequestContextMiddleware } from './context/request-context.middleware.js';
export { currentRequest, runWithRequest } from './context/request-context.js';
export { sanitizeReturnTo } from './utils/return-to.util.js';

// Errors of the Nest layer, and how they become HTTP answers.
export {
  InvalidStateError,
  OAuthClientNotFoundError,
  OAuthConfigError,
  OAuthException,
  OAuthOriginNotAllowedError,
  OAuthRedirectException,
  toHttpException,
  type InvalidStateReason,
  type OAuthExceptionBody,
} from './errors/index.js';
export { OAuthExceptionFilter } from './filters/oauth-exception.filter.js';

// The OAuth 2.0 / OpenID Connect authorization server (SPEC §6): the Nest module, its
// endpoint decorators and service, and the names of the framework-free core
// (`nestjs-oauth/server`) its options and handlers use.
export {
  AuthorizeEndpoint,
  getOAuthAuthorization,
  IntrospectEndpoint,
  OAUTH2_PROVIDER_CONFIG_NAMES,
  OAUTH2_SERVER_OPTIONS,
  OAuth2ResponseFilter,
  OAuth2ServerModule,
  OAuth2ServerService,
  OAuthAuthorization,
  RevokeEndpoint,
  TokenEndpoint,
  type OAuth2ServerModuleAsyncOptions,
  type OAuth2ServerModuleOptions,
  type OAuth2ServerOptionsFactory,
  type OAuth2ServerRoutes,
  type OAuth2ServerStorageOption,
} from './oauth2-server/index.js';
export { OAuth2ResponseException } from './errors/index.js';
export {
  MemoryOAuth2ServerStorage,
  type OAuth2AuthorizationDecision,
  type OAuth2AuthorizationRequest,
  type OAuth2ServerClient,
  type OAuth2ServerStorage,
  type OAuth2ServerUser,
} from './server/index.js';

// Events.
export {
  OAUTH_LOGIN_EVENT,
  OAUTH_TOKEN_UPDATED_EVENT,
  OAuthLoginEvent,
  OAuthTokenUpdatedEvent,
} from './events/oauth.events.js';

// Options and other types.
export type {
  OAuthAnyToken,
  OAuthAuthorizeParams,
  OAuthCache,
  OAuthCacheManager,
  OAuthClientOptions,
  OAuthLoginGuardOptions,
  OAuthModuleAsyncOptions,
  OAuthModuleOptions,
  OAuthOptionsFactory,
  OAuthPassThroughParam,
  OAuthProfileMapper,
  OAuthRedisClient,
  OAuthRequestContextOptions,
  OAuthSharedStore,
  OAuthTokenUpdateContext,
} from './interfaces/index.js';

// Protecting this app's API with bearer tokens (RFC 6750).
export {
  authorizationServerTokenLookup,
  getOAuthPrincipal,
  OAUTH_ACCESS_TOKEN_LOOKUP,
  OAUTH_RESOURCE_OPTIONS,
  OAuthBearerException,
  OAuthBearerGuard,
  OAuthPrincipal,
  OAuthResourceModule,
  OAuthResourceService,
  RequireOAuth,
  type AccessTokenFinder,
  type BearerRequest,
  type BearerSource,
  type OAuthResourceIntrospectionOptions,
  type OAuthResourceJwtOptions,
  type OAuthResourceModuleAsyncOptions,
  type OAuthResourceOptions,
  type OAuthResourceOptionsFactory,
} from './resource-server/index.js';

// Provider presets: `presets.github()`, ...
export * from './presets/index.js';

// The OAuth 1.0a provider (RFC 5849): the Nest module, its decorators and service, and
// the names of the framework-free core (`nestjs-oauth/server`) its options and results use.
export {
  AccessTokenEndpoint,
  getOAuth1Principal,
  OAUTH1_PROVIDER_ORIGIN_KEY,
  OAUTH1_SERVER_OPTIONS,
  OAuth1AccessTokenRequest,
  OAuth1AuthorizationRequest,
  OAuth1AuthorizeEndpoint,
  OAuth1Principal,
  OAuth1ResourceGuard,
  OAuth1ResponseException,
  OAuth1ResponseFilter,
  OAuth1ServerModule,
  OAuth1ServerService,
  RequestTokenEndpoint,
  RequireOAuth1,
  type OAuth1ServerHooks,
  type OAuth1ServerModuleAsyncOptions,
  type OAuth1ServerModuleOptions,
  type OAuth1ServerOptionsFactory,
  type OAuth1ServerStorageOption,
} from './oauth1-server/index.js';
export {
  InMemoryOAuth1ServerStorage,
  OAUTH1_PROVIDER_CONFIG_KEYS,
  OAuth1Provider,
  OAuth1ProviderError,
  type InMemoryOAuth1ServerStorageOptions,
  type OAuth1AccessToken,
  type OAuth1AccessTokenContext,
  type OAuth1AccessTokenHandler,
  type OAuth1AuthorizationDecision,
  type OAuth1AuthorizationResult,
  type OAuth1ConfigReader,
  type OAuth1ExtraCredentials,
  type OAuth1Nonce,
  type OAuth1NonceKey,
  type OAuth1PendingAuthorization,
  type OAuth1Problem,
  type OAuth1ProviderHooks,
  type OAuth1ProviderOptions,
  type OAuth1RequestAuthorization,
  type OAuth1RequestToken,
  type OAuth1ServerClient,
  type OAuth1ServerSettings,
  type OAuth1ServerStorage,
  type OAuth1TokenGenerator,
  type OAuth1TokenPurpose,
  type OAuth1Transport,
  type OAuth1Verifier,
  type ResolvedOAuth1ServerSettings,
  type ServerRequest,
  type ServerResponse,
} from './server/index.js';
