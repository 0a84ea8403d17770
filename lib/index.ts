// The public surface of nestjs-oauth.
export * from './core/index.js';

// The Nest layer: explicit named exports only.
export { OAuthModule } from './oauth.module.js';
export { OAuthService } from './oauth.service.js';
export { OAuthClientNotFoundError, type OAuthApp } from './oauth.registry.js';
export {
  DEFAULT_COOKIE_NAME,
  DEFAULT_STATE_TTL,
  OAUTH_MODULE_OPTIONS,
  OAUTH_SECRET_ENV,
} from './oauth.constants.js';
export { OAuth1App } from './apps/oauth1-app.js';
export { OAuth2App } from './apps/oauth2-app.js';
export { OAuthAppBase, type OAuthAppRuntime } from './apps/oauth-app.runtime.js';
export {
  CLIENT_CONFIG_KEYS,
  OAuthConfigError,
  resolveClientOptions,
  resolveModuleSettings,
  toConfigKey,
  type ConfigReader,
  type ResolvedClientOptions,
  type ResolvedModuleSettings,
} from './config/resolve-client-options.js';
export {
  currentRequest,
  OAuthRequestContextInterceptor,
  runWithRequest,
  type OAuthRequestContext,
} from './context/request-context.js';
export { getOAuthLoginResult, type OAuthLoginResult } from './context/login-result.js';
export {
  OAuthClient,
  OAuthLogin,
  OAuthReturnTo,
  OAuthToken,
  OAuthUser,
} from './decorators/index.js';
export { OAuthCallbackGuard, OAuthLoginGuard } from './guards/index.js';
export {
  OAUTH_LOGIN_EVENT,
  OAUTH_TOKEN_UPDATED_EVENT,
  OAuthLoginEvent,
  OAuthTokenUpdatedEvent,
} from './events/oauth.events.js';
export {
  OAuthException,
  toHttpException,
  type OAuthExceptionBody,
} from './exceptions/oauth.exception.js';
export type {
  OAuthAnyToken,
  OAuthCache,
  OAuthClientOptions,
  OAuthModuleAsyncOptions,
  OAuthModuleOptions,
  OAuthOptionsFactory,
  OAuthProfileMapper,
  OAuthTokenUpdateContext,
} from './interfaces/index.js';
export {
  CacheStateStore,
  CookieStateStore,
  InvalidStateError,
  type CacheStateStoreOptions,
  type CookieStateStoreOptions,
  type InvalidStateReason,
  type OAuthStateData,
  type OAuthStateStore,
  type StateCookieIO,
  type StateCookieOptions,
} from './state/index.js';
export { getOAuthClientToken } from './utils/get-oauth-client-token.util.js';
export { sanitizeReturnTo } from './utils/return-to.util.js';
export {
  presets,
  type OAuthComplianceTransport,
  type OAuthProfile,
  type OAuthProfileContext,
  type OAuthProfileRequestInit,
  type PresetOptions,
  type StandardClaims,
  type AppleProfile,
  type ApplePresetOptions,
  type DiscordProfile,
  type FacebookProfile,
  type FacebookPresetOptions,
  type GitHubEmail,
  type GitHubProfile,
  type GitHubPresetOptions,
  type GitHubProfileOptions,
  type GitLabProfile,
  type GitLabPresetOptions,
  type GoogleProfile,
  type GooglePresetOptions,
  type LinkedInProfile,
  type MicrosoftProfile,
  type MicrosoftPresetOptions,
  type OidcPresetOptions,
  type TwitterProfile,
  type XProfile,
  type Auth0PresetOptions,
  type AuthentikPresetOptions,
  type CognitoPresetOptions,
  type GiteaPresetOptions,
  type InstagramPresetOptions,
  type KeycloakPresetOptions,
  type MastodonPresetOptions,
  type NotionPresetOptions,
  type OktaPresetOptions,
  type PayPalPresetOptions,
  type QuickBooksPresetOptions,
  type RedditPresetOptions,
  type SalesforcePresetOptions,
  type ShopifyPresetOptions,
  type SlackPresetOptions,
  type StackExchangePresetOptions,
  type TrelloPresetOptions,
  type VkPresetOptions,
  type ZendeskPresetOptions,
  type ZitadelPresetOptions,
} from './presets/index.js';
