import { InvalidTokenError, OAuthError } from '../errors.js';
import { validateIdToken } from '../oidc/id-token.js';
import { normalizeToken, type OAuth2Token } from '../token.js';
import type { OAuth2Context } from './oauth2-context.js';

/** What an ID token received by the client is checked against, beyond the provider's metadata. */
export interface IdTokenCheck {
  /** The nonce sent in the authentication request. */
  nonce?: string;
  /** The `max_age` sent in the authentication request, in seconds. */
  maxAge?: number;
  /** The access token issued with the ID token (`at_hash`). */
  accessToken?: string;
  /** The code issued with the ID token (`c_hash`). */
  code?: string;
  /** The state of the authorization response (`s_hash`). */
  state?: string;
  /** The ID token came from a refresh: no nonce or `max_age` to check. */
  refresh?: boolean;
  /** Hash claims that must be present. */
  requireHashes?: ('at_hash' | 'c_hash')[];
}

/**
 * Validates an ID token with the client's metadata, keys and settings.
 *
 * @internal
 * @throws {OAuthError} `invalid_token` when there is no metadata to validate with
 * @throws {InvalidTokenError} naming the claim that failed
 */
export async function checkIdToken(
  ctx: OAuth2Context,
  idToken: string,
  check: IdTokenCheck,
): Promise<Record<string, unknown>> {
  const metadata = ctx.metadata;
  if (!metadata?.issuer) {
    throw new OAuthError('invalid_token', {
      message: 'cannot validate the ID token: configure serverMetadataUrl or metadata',
    });
  }
  const allowed = metadata.id_token_signing_alg_values_supported ?? ['RS256'];
  const wanted = ctx.options.idTokenSignedResponseAlg;
  return validateIdToken(idToken, {
    issuer: metadata.issuer,
    clientId: ctx.client.clientId ?? '',
    clientSecret: ctx.client.clientSecret,
    algorithms: wanted ? allowed.filter((alg: string) => alg === wanted) : allowed,
    keys: metadata.jwks_uri ? ctx.keys(metadata.jwks_uri) : undefined,
    nonce: check.refresh ? undefined : check.nonce,
    maxAge: check.refresh ? undefined : check.maxAge,
    accessToken: check.accessToken,
    code: check.code,
    state: check.state,
    requireHashes: check.requireHashes,
    clockTolerance: ctx.options.clockTolerance,
    maxTokenAge: ctx.options.idTokenMaxAge,
  });
}

/**
 * A token response as the client keeps it: normalized, without a `userinfo`
 * member (ours to set from a validated ID token, never the provider's), and
 * without an `id_token` that is `null`.
 *
 * @internal
 */
export function tokenFromProvider(raw: Record<string, unknown>): OAuth2Token {
  const { userinfo: _untrusted, ...fromProvider } = raw;
  const token = normalizeToken(fromProvider);
  // `null` is no ID token; any other non-string is refused by the ID-token validation.
  if (token.id_token === null) delete token.id_token;
  return token;
}

/**
 * Refuses an ID token about another user than the one before it (a refresh,
 * or the token endpoint after a hybrid front channel).
 *
 * @internal
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 */
export function sameUser(before: Record<string, unknown>, after: Record<string, unknown>): void {
  for (const claim of ['iss', 'sub'] as const) {
    if (before[claim] !== undefined && after[claim] !== before[claim]) {
      throw new InvalidTokenError(claim, 'the new ID token is about another user or issuer');
    }
  }
}
