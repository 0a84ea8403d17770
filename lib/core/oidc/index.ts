// OpenID Connect building blocks: discovery, JWK sets, ID token and UserInfo validation.
export {
  DEFAULT_METADATA_TTL,
  TENANT_PLACEHOLDER,
  fetchServerMetadata,
  issuerFromMetadataUrl,
  MetadataCache,
  type AuthorizationServerMetadata,
  type MetadataCacheOptions,
  type ServerMetadataOptions,
} from './discovery.js';
export { computeTokenHash } from './hash-claims.js';
export {
  validateIdToken,
  verifyJws,
  type IdTokenValidationOptions,
  type JwsVerificationOptions,
  type VerifiedJws,
} from './id-token.js';
export { validateAuthorizationResponseIssuer } from './response-issuer.js';
export {
  DEFAULT_JWKS_COOLDOWN,
  DEFAULT_JWKS_TTL,
  JwksCache,
  type JwksCacheOptions,
} from './jwks.js';
export { fetchUserinfo, type UserinfoOptions } from './userinfo.js';
export { SCOPE_CLAIMS } from './scope-claims.js';
