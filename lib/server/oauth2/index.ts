// The OAuth 2.0 / OpenID Connect authorization server (issue 13), framework-free.
export {
  AuthorizationServer,
  type JwkSet,
  type OAuth2AuthorizationValidation,
  type OAuth2AuthorizeCallback,
  type OAuth2HandleOptions,
} from './authorization-server.js';
export type {
  AuthorizationServerOptions,
  JwtBearerOptions,
  OAuth2HookContext,
  OAuth2ServerEndpoint,
  OAuth2ServerEndpointPaths,
  OAuth2ServerHooks,
  TokenGeneratorContext,
} from './authorization-server-options.js';
export type { OAuth2AuthorizationRequest } from './authorization-request.js';
export type { OAuth2AuthorizationDecision, OAuth2DenialError } from './authorization-response.js';
export type { ResolvedEndpoints } from './server-context.js';
export { metadataPaths } from './metadata.js';
export type { ResponseMode } from './responses.js';
export {
  OAuth2ServerError,
  type OAuth2ServerErrorCode,
  type OAuth2ServerErrorOptions,
} from './errors.js';
export type { OAuth2ServerClient } from './oauth2-server-client.js';
export type {
  Awaitable,
  OAuth2AuthorizationGrant,
  OAuth2RevokeQuery,
  OAuth2ServerStorage,
  OAuth2ServerUser,
  OAuth2TokenQuery,
  OAuth2TokenRecord,
} from './oauth2-server-storage.js';
export {
  MemoryOAuth2ServerStorage,
  type MemoryOAuth2ServerStorageOptions,
  type MemoryOAuth2User,
} from './memory-storage.js';
export {
  MemoryServerCache,
  type MemoryServerCacheOptions,
  type OAuth2ServerCache,
} from './server-cache.js';
export { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secret.js';
export { hashToken } from './token-hash.js';
export type { ServerKeyInput, ServerKeyOptions } from './server-keys.js';
