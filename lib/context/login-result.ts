import type { OAuthAnyToken } from '../interfaces/oauth-client-options.interface.js';

/** What a successful callback yields (read it with `@OAuthToken()`, `@OAuthUser()`, `@OAuthReturnTo()`). */
export interface OAuthLoginResult<TToken extends OAuthAnyToken = OAuthAnyToken> {
  /** The client's name. */
  name: string;
  /** The token obtained (OAuth 2 with `userinfo` for OpenID Connect, or OAuth 1 credentials). */
  token: TToken;
  /** The user's claims (ID token claims, or the mapped profile), if any. */
  userinfo?: Record<string, unknown>;
  /** The sanitized `returnTo` path given to the login route, if any. */
  returnTo?: string;
}

const results = new WeakMap<object, OAuthLoginResult>();

/** Attaches a login result to a request (done by `OAuthCallbackGuard`). */
export function setOAuthLoginResult(request: object, result: OAuthLoginResult): void {
  results.set(request, result);
}

/**
 * The login result `OAuthCallbackGuard` attached to `request` (the object
 * `@Req()` gives), if any.
 */
export function getOAuthLoginResult(request: unknown): OAuthLoginResult | undefined {
  return request && typeof request === 'object' ? results.get(request) : undefined;
}
