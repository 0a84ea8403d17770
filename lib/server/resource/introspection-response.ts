import { invalidToken } from './bearer-error.js';
import {
  isFiniteNumber,
  isNonEmptyString,
  parseScopeClaim,
  type BearerPrincipal,
} from './principal.js';

/**
 * What an active introspection response is checked against.
 * @internal
 */
export interface IntrospectionRules {
  /** The issuer `iss` must equal when the response has one (unknown: not checked). */
  issuer?: string;
  /** `aud` must contain one of these; `false` accepts any. */
  audiences: readonly string[] | false;
  /** Refuse an answer without `token_type`. */
  requireTokenType: boolean;
  /** Skew in seconds. */
  clockTolerance: number;
  /** Clock in milliseconds. */
  now: () => number;
}

/**
 * Checks an active RFC 7662 response (also one from the cache, so times are
 * checked on every use) and builds its principal.
 *
 * @param response - the introspection response, `active: true`
 * @param token - the token, for the principal only
 * @param rules - issuer, audiences, skew, clock
 * @throws {BearerTokenError} `invalid_token`; `reason` names the check (`token_type`, `expired`, `nbf`, `iss`, `aud`, `cnf`, `scope`)
 * @see https://www.rfc-editor.org/rfc/rfc7662.html#section-2.2
 * @internal
 */
export function checkIntrospectionResponse(
  response: Record<string, unknown>,
  token: string,
  rules: IntrospectionRules,
): BearerPrincipal {
  const tokenType = response.token_type;
  if (tokenType === undefined ? rules.requireTokenType : !isBearer(tokenType)) {
    // oidc-provider, for one, answers for a refresh token without `token_type`.
    throw invalidToken('token_type', 'The token is not a bearer access token');
  }
  const now = rules.now() / 1000;
  const skew = rules.clockTolerance;
  if (response.exp !== undefined) {
    if (!isFiniteNumber(response.exp)) throw invalidToken('exp', 'The access token is malformed');
    if (now >= response.exp + skew) throw invalidToken('expired', 'The access token expired');
  }
  if (response.nbf !== undefined) {
    if (!isFiniteNumber(response.nbf)) throw invalidToken('nbf', 'The access token is malformed');
    if (response.nbf - skew > now) throw invalidToken('nbf', 'The access token is not valid yet');
  }
  if (rules.issuer !== undefined && response.iss !== undefined && response.iss !== rules.issuer) {
    throw invalidToken('iss', 'The access token comes from another issuer');
  }
  if (rules.audiences !== false) {
    const aud = typeof response.aud === 'string' ? [response.aud] : response.aud;
    const expected = rules.audiences;
    if (!Array.isArray(aud) || !aud.some((a) => typeof a === 'string' && expected.includes(a))) {
      throw invalidToken('aud', 'The access token is meant for another resource');
    }
  }
  if (response.cnf !== undefined) {
    throw invalidToken(
      'cnf',
      'The access token is sender-constrained and cannot be used as a bearer token',
    );
  }
  const scope = parseScopeClaim(response.scope);
  return {
    sub: isNonEmptyString(response.sub) ? response.sub : undefined,
    clientId: isNonEmptyString(response.client_id) ? response.client_id : undefined,
    scope,
    claims: { ...response },
    token,
    expiresAt: isFiniteNumber(response.exp) ? response.exp : undefined,
    source: 'introspection',
  };
}

function isBearer(tokenType: unknown): boolean {
  return typeof tokenType === 'string' && tokenType.toLowerCase() === 'bearer';
}
