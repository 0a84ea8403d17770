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
  OAuth1Client,
  OAuth2Client,
  OAuthError,
  OAuthNetworkError,
  OAuthTimeoutError,
  TokenExpiredError,
  type AssertionClientOptions,
  type FetchLike,
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

// Provider presets: `presets.github()`, ...
export * from './presets/index.js';
