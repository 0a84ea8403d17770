// OAuth 1.0a (RFC 5849): the client and the pure signing pieces.
export { OAuth1Client } from './oauth1-client.js';
export type {
  OAuth1AccessTokenOptions,
  OAuth1AuthorizationResponse,
  OAuth1AuthorizationUrlOptions,
  OAuth1ClientOptions,
  OAuth1RequestInit,
  OAuth1SignedRequest,
  OAuth1SignOptions,
} from './oauth1-types.js';
export {
  baseStringUri,
  normalizeParameters,
  OAUTH1_SIGNATURE_METHODS,
  OAUTH1_SIGNATURE_TYPES,
  sign as signOAuth1,
  signatureBaseString,
  signingKey as oauth1SigningKey,
  type OAuth1Parameter,
  type OAuth1SignatureMethod,
  type OAuth1SignatureType,
  type OAuth1SigningKeys,
} from './signature.js';
export { formDecode, parseForm, percentEncode } from './percent-encode.js';
export type { OAuth1TypeError, OAuth1TypeErrorCode } from './oauth1-errors.js';
