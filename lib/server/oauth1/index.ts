// The OAuth 1.0a provider (RFC 5849), framework-free.
export {
  OAuth1Provider,
  type OAuth1ProviderHooks,
  type OAuth1ProviderOptions,
} from './oauth1-provider.js';
export {
  OAUTH1_PROBLEM_STATUS,
  OAuth1ProviderError,
  problemResponse as oauth1ProblemResponse,
  type OAuth1Problem,
} from './oauth1-provider-error.js';
export {
  OAUTH1_PROVIDER_CONFIG_KEYS,
  OAUTH1_PROVIDER_DEFAULTS,
  resolveOAuth1ServerSettings,
  type OAuth1ConfigReader,
  type OAuth1ServerSettings,
  type OAuth1SettingError,
  type ResolvedOAuth1ServerSettings,
} from './oauth1-server-settings.js';
export type {
  OAuth1AccessToken,
  OAuth1Nonce,
  OAuth1NonceKey,
  OAuth1RequestToken,
  OAuth1ServerClient,
  OAuth1ServerStorage,
  OAuth1Verifier,
} from './oauth1-server-storage.interface.js';
export {
  InMemoryOAuth1ServerStorage,
  type InMemoryOAuth1ServerStorageOptions,
} from './in-memory-oauth1-storage.js';
export {
  generateOAuth1Token,
  oauth1LookupKey,
  type OAuth1TokenGenerator,
  type OAuth1TokenPurpose,
} from './provider-context.js';
export type {
  OAuth1AuthorizationDecision,
  OAuth1AuthorizationResult,
  OAuth1PendingAuthorization,
} from './authorization-endpoint.js';
export type {
  OAuth1AccessTokenContext,
  OAuth1AccessTokenHandler,
  OAuth1ExtraCredentials,
} from './token-endpoints.js';
export type { OAuth1RequestAuthorization } from './resource-request.js';
export type { OAuth1Transport } from './request-parameters.js';
