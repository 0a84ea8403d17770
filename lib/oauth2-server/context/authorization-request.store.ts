import type { OAuth2AuthorizationRequest } from '../../server/oauth2/index.js';

const authorizations = new WeakMap<object, OAuth2AuthorizationRequest>();

/**
 * Attaches a validated authorization request to the HTTP request (done by
 * `@AuthorizeEndpoint()`'s guard).
 *
 * @internal
 */
export function setOAuthAuthorization(
  request: object,
  authorization: OAuth2AuthorizationRequest,
): void {
  authorizations.set(request, authorization);
}

/**
 * The authorization request `@AuthorizeEndpoint()` validated for `request`
 * (the object `@Req()` gives), if any: for code outside the handler (a guard
 * or interceptor of yours on the same route).
 *
 * @param request - the HTTP request
 * @returns the validated request, or `undefined` when the route is not an authorization endpoint
 */
export function getOAuthAuthorization(request: unknown): OAuth2AuthorizationRequest | undefined {
  return request && typeof request === 'object' ? authorizations.get(request) : undefined;
}
