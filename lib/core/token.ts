/**
 * An OAuth 2 token as the provider sent it, with RFC 6749 wire names, plus
 * `expires_at` (epoch seconds) and, after an OpenID Connect login, `userinfo`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.1
 */
export interface OAuth2Token {
  /** The access token issued by the authorization server (RFC 6749 §5.1). */
  access_token: string;
  /** The token type, typically `Bearer` (RFC 6749 §7.1). */
  token_type?: string;
  /** The refresh token, used to obtain new access tokens (RFC 6749 §6). */
  refresh_token?: string;
  /** Lifetime in seconds, as sent by the provider. */
  expires_in?: number;
  /** Expiry as epoch seconds; computed from `expires_in` when the provider does not send it. */
  expires_at?: number;
  /** The granted scope, space-separated (RFC 6749 §3.3); omitted when it equals the requested one. */
  scope?: string;
  /** The OpenID Connect ID token: a JWT with claims about the authentication. */
  id_token?: string;
  /** The validated ID token claims (OpenID Connect), or the user's profile. */
  userinfo?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * An OAuth 1 token (temporary credentials or token credentials), RFC 5849 wire names.
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.3
 */
export interface OAuth1Token {
  /** The token identifier (RFC 5849 §2.3). */
  oauth_token: string;
  /** The token shared secret, used with the client secret to sign requests (RFC 5849 §2.3). */
  oauth_token_secret: string;
  [key: string]: unknown;
}

/**
 * Normalizes a token response: `expires_in`/`expires_at` become numbers and
 * `expires_at` is derived from `expires_in` when absent; a `scope` sent as a
 * list of strings (Twitch) becomes the space-separated string of RFC 6749
 * §3.3, and any other non-string `scope` is dropped.
 *
 * @param raw - the parsed token response (JSON or form-decoded)
 * @param now - the current time in milliseconds (for tests)
 */
export function normalizeToken(raw: Record<string, unknown>, now = Date.now()): OAuth2Token {
  const token = { ...raw } as OAuth2Token;
  const expiresIn = toNumber(raw.expires_in);
  const expiresAt = toNumber(raw.expires_at);
  if (expiresIn !== undefined) token.expires_in = expiresIn;
  else delete token.expires_in;
  if (expiresAt !== undefined) token.expires_at = expiresAt;
  else if (expiresIn !== undefined) token.expires_at = Math.floor(now / 1000) + expiresIn;
  else delete token.expires_at;
  const scope = raw.scope;
  if (Array.isArray(scope) && scope.every((s) => typeof s === 'string')) {
    token.scope = scope.join(' ');
  } else if (scope !== undefined && typeof scope !== 'string') {
    delete token.scope;
  }
  return token;
}

/**
 * Whether `token` has expired or will within `leeway` seconds. A token with no
 * known expiry is never considered expired.
 */
export function isTokenExpired(token: OAuth2Token, leeway = 0, now = Date.now()): boolean {
  return token.expires_at !== undefined && token.expires_at - leeway <= now / 1000;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}
