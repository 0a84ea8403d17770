import { invalidToken } from './bearer-error.js';
import {
  isFiniteNumber,
  isNonEmptyString,
  parseScopeClaim,
  type BearerPrincipal,
} from './principal.js';

/**
 * What the claims of a verified JWT access token are checked against.
 * @internal
 */
export interface JwtClaimRules {
  /** The issuer identifier `iss` must equal. */
  issuer: string;
  /** `aud` (or `audienceClaim`) must contain one of these. */
  audiences: readonly string[];
  /** The claim that names the audience: `aud` (RFC 9068), or `client_id` (issuers without `aud`). */
  audienceClaim: 'aud' | 'client_id';
  /** Accepted `typ` values, normalized (`at+jwt`). */
  typ: readonly string[];
  /** Accept a header without `typ`. */
  allowMissingTyp: boolean;
  /** Claims that must be present. */
  requiredClaims: readonly string[];
  /** Skew in seconds. */
  clockTolerance: number;
  /** Clock in milliseconds. */
  now: () => number;
}

/**
 * Checks the header and claims of a JWT access token whose signature was
 * verified, as RFC 9068 §4 lists, and builds its principal.
 *
 * @param header - the verified protected header
 * @param claims - the verified payload
 * @param rules - expected issuer, audiences, `typ`, required claims, skew, clock
 * @param token - the token, for the principal only
 * @returns the principal (scopes not yet compared with the route's)
 * @throws {BearerTokenError} `invalid_token`; `reason` names the check (`typ`, `iss`, `aud`, `exp`, ...)
 * @see https://www.rfc-editor.org/rfc/rfc9068.html#section-4
 * @internal
 */
export function checkJwtAccessTokenClaims(
  header: { typ?: unknown },
  claims: Record<string, unknown>,
  rules: JwtClaimRules,
  token: string,
): BearerPrincipal {
  checkTyp(header.typ, rules);
  if (claims.iss !== rules.issuer) {
    throw invalidToken('iss', 'The access token comes from another issuer');
  }
  checkAudience(claims[rules.audienceClaim], rules.audiences);
  const now = rules.now() / 1000;
  const skew = rules.clockTolerance;
  if (!isFiniteNumber(claims.exp)) throw invalidToken('exp', 'The access token has no expiry');
  if (now >= claims.exp + skew) throw invalidToken('expired', 'The access token expired');
  if (claims.nbf !== undefined) {
    if (!isFiniteNumber(claims.nbf)) throw invalidToken('nbf', 'The access token is malformed');
    if (claims.nbf - skew > now) throw invalidToken('nbf', 'The access token is not valid yet');
  }
  if (claims.iat !== undefined) {
    if (!isFiniteNumber(claims.iat)) throw invalidToken('iat', 'The access token is malformed');
    if (claims.iat - skew > now)
      throw invalidToken('iat', 'The access token is issued in the future');
  }
  for (const claim of rules.requiredClaims) {
    if (claims[claim] === undefined) {
      throw invalidToken(claim, 'The access token lacks a required claim');
    }
  }
  for (const claim of ['sub', 'client_id', 'jti'] as const) {
    if (claims[claim] !== undefined && !isNonEmptyString(claims[claim])) {
      throw invalidToken(claim, 'The access token is malformed');
    }
  }
  if (claims.cnf !== undefined) {
    // DPoP or mTLS bound: its proof of possession cannot be checked on a Bearer request.
    throw invalidToken(
      'cnf',
      'The access token is sender-constrained and cannot be used as a bearer token',
    );
  }
  const scope =
    claims.scope !== undefined ? parseScopeClaim(claims.scope) : parseScopeClaim(claims.scp);
  const clientId = isNonEmptyString(claims.client_id)
    ? claims.client_id
    : isNonEmptyString(claims.azp)
      ? claims.azp
      : undefined;
  return {
    sub: claims.sub as string | undefined,
    clientId,
    scope,
    claims,
    token,
    expiresAt: claims.exp,
    source: 'jwt',
  };
}

function checkTyp(typ: unknown, rules: JwtClaimRules): void {
  if (typ === undefined) {
    if (rules.allowMissingTyp) return;
    throw invalidToken('typ', 'The token is not an access token');
  }
  if (typeof typ !== 'string' || !rules.typ.includes(normalizeTyp(typ))) {
    throw invalidToken('typ', 'The token is not an access token');
  }
}

function checkAudience(aud: unknown, expected: readonly string[]): void {
  const audiences = typeof aud === 'string' ? [aud] : aud;
  if (!Array.isArray(audiences) || !audiences.every((a) => typeof a === 'string')) {
    throw invalidToken('aud', 'The access token has no valid audience');
  }
  if (!audiences.some((a) => expected.includes(a as string))) {
    throw invalidToken('aud', 'The access token is meant for another resource');
  }
}

/**
 * `application/at+jwt` → `at+jwt`, lower-case (media types compare
 * case-insensitively, and `application/` may be omitted: RFC 7515 §4.1.9).
 * @internal
 */
export function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice(12) : lower;
}
