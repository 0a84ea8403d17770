// The framework-agnostic protocol layer: what lib/index.ts re-exports from core.
export * from './errors.js';
export * from './token.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT,
  parseBody,
  readOAuthResponse,
  sendRequest,
  type CallContext,
  type FetchLike,
  type HttpOptions,
} from './http/fetcher.js';
export { HttpVerbs } from './http/http-verbs.js';
export { nodeHttpFetch, type NodeHttpFetchOptions } from './http/node-http-fetch.js';
export { randomToken } from './util/random.js';
export { describeEndpoint } from './util/redact.js';
export {
  defaultJwsAlgorithm,
  importSigningKey,
  publicJwkOf,
  type SigningKey,
  type SigningKeyInput,
} from './util/signing-key.js';
export * from './oauth2/index.js';
export * from './oidc/index.js';
export * from './assertion/index.js';
export * from './oauth1/index.js';
