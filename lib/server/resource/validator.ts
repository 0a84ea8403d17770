import type { BearerPrincipal, BearerTokenSource } from './principal.js';

/**
 * One way to validate an access token. A {@link ResourceProtector} tries its
 * validators by token shape: a JWT-looking token goes to the `structured`
 * validators first, then to the others; any other token only to the others.
 *
 * `validate` answers one of three ways:
 * - a {@link BearerPrincipal}: the token is valid (scopes are checked by the protector);
 * - `undefined`: not this validator's token (a JWT from another issuer, a token
 *   the storage does not know): the next validator is asked;
 * - a thrown `BearerTokenError` (`invalid_token`): this validator's token, and it
 *   is bad (expired, revoked, forged): no other validator is asked. A network
 *   failure or timeout is thrown as the core's `OAuthNetworkError` /
 *   `OAuthTimeoutError` / `InvalidResponseError` (rendered 502 / 504).
 *
 * The token must never appear in a thrown error's message.
 */
export interface AccessTokenValidator {
  /** What kind of validator this is (reported as the principal's `source`). */
  readonly source: BearerTokenSource;
  /** `true` for validators of self-contained tokens (JWTs): asked only about JWT-looking tokens, and first. */
  readonly structured: boolean;
  /**
   * Validates one token.
   * @param token - the access token, as sent
   */
  validate(token: string): Promise<BearerPrincipal | undefined>;
}

/** Compact JWS shape: three base64url segments (the signature may not be empty for a JWT we accept). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Whether a token looks like a compact JWS (three base64url parts): decides
 * which validators see it first. Looking like a JWT proves nothing.
 *
 * @param token - the access token
 */
export function looksLikeJwt(token: string): boolean {
  return token.length < 65_536 && JWT_SHAPE.test(token);
}
