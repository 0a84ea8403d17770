// OAuth 1.0a (RFC 5849): the client and the pure signing pieces.
export {
  OAuth1Client,
  type OAuth1AccessTokenOptions,
  type OAuth1AuthorizationResponse,
  type OAuth1AuthorizationUrlOptions,
  type OAuth1ClientOptions,
  type OAuth1RequestInit,
  type OAuth1SignedRequest,
  type OAuth1SignOptions,
} from './oauth1-client.js';
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
