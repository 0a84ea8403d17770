// Resource protection (RFC 6750 bearer tokens): the framework-free core behind `@RequireOAuth()`.
export { BearerTokenError, type BearerErrorCode } from './bearer-error.js';
export {
  bearerChallenge,
  bearerErrorResponse,
  DEFAULT_REALM,
  toBearerError,
} from './bearer-response.js';
export {
  checkBearerTokenSyntax,
  DEFAULT_MAX_TOKEN_LENGTH,
  extractBearerToken,
  type BearerExtractionOptions,
} from './bearer-token.js';
export {
  INTROSPECTION_CACHE_DEFAULTS,
  IntrospectionCache,
  type IntrospectionCacheOptions,
  type IntrospectionEntry,
} from './introspection-cache.js';
export { IntrospectionValidator, type IntrospectionOptions } from './introspection-validator.js';
export type { IssuerOptions } from './issuer-metadata.js';
export {
  JwtAccessTokenValidator,
  RFC9068_REQUIRED_CLAIMS,
  type JwtAccessTokenOptions,
} from './jwt-validator.js';
export {
  checkRequiredScopes,
  parseScopeClaim,
  type BearerPrincipal,
  type BearerTokenSource,
} from './principal.js';
export {
  ResourceProtector,
  type AuthorizationResult,
  type ResourceProtectorOptions,
} from './resource-protector.js';
export {
  StorageValidator,
  type AccessTokenLookup,
  type StorageValidatorOptions,
  type StoredAccessToken,
} from './storage-validator.js';
export { looksLikeJwt, type AccessTokenValidator } from './validator.js';
