// The framework-agnostic protocol layer: what lib/index.ts re-exports from core.
export * from './errors.js';
export * from './token.js';
export { DEFAULT_TIMEOUT, type FetchLike, type HttpOptions } from './http/fetcher.js';
