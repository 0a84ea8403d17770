import type { OAuthCallbackResult } from '../decorators/oauth-result.decorators.js';

const results = new WeakMap<object, OAuthCallbackResult>();

/**
 * Attaches a callback result to a request (done by `OAuthCallbackGuard`).
 *
 * @internal
 */
export function setOAuthCallbackResult(request: object, result: OAuthCallbackResult): void {
  results.set(request, result);
}

/**
 * The callback result `OAuthCallbackGuard` attached to `request` (the object
 * `@Req()` gives), if any: for code outside a handler (an interceptor).
 *
 * @param request - the request
 * @returns the result, or `undefined` when the request did not pass a callback guard
 */
export function getOAuthCallbackResult(request: unknown): OAuthCallbackResult | undefined {
  return request && typeof request === 'object' ? results.get(request) : undefined;
}
