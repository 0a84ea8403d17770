import {
  compactVerify,
  decodeProtectedHeader,
  type CompactJWSHeaderParameters,
  type JWTVerifyGetKey,
} from 'jose';
import { InvalidTokenError, OAuthError } from '../errors.js';
import { printableAlg } from '../util/redact.js';
import { TENANT_PLACEHOLDER } from './discovery.js';
import { checkHash } from './hash-claims.js';
import { JwksCache } from './jwks.js';

/**
 * What {@link validateIdToken} checks an ID token against.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export interface IdTokenValidationOptions {
  /** The expected `iss`: the provider's issuer identifier, compared exactly. */
  issuer: string;
  /** The client's `client_id`: must be in `aud`, and equal `azp` when present. */
  clientId: string;
  /** The client secret: the HMAC key (UTF-8 bytes) for `HS*` tokens, if those are allowed. */
  clientSecret?: string;
  /**
   * Allowed signing algorithms (typically the metadata's
   * `id_token_signing_alg_values_supported`); default `['RS256']`. `none` is
   * always refused.
   */
  algorithms?: string[];
  /** The provider's keys (asymmetric algorithms): a {@link JwksCache} or a `jose` key resolver. */
  keys?: JwksCache | JWTVerifyGetKey;
  /** The `nonce` sent in the authentication request: the token must carry the same. */
  nonce?: string;
  /** The `max_age` (seconds) sent in the authentication request: `auth_time` must be recent enough. */
  maxAge?: number;
  /** Require `auth_time` (the `auth_time` claim was requested). */
  authTime?: boolean;
  /** The access token issued with the ID token: checked against `at_hash` when present. */
  accessToken?: string;
  /** The authorization code issued with the ID token: checked against `c_hash` when present. */
  code?: string;
  /** The `state` of the authorization response: checked against `s_hash` when present. */
  state?: string;
  /** Allowed clock skew, in seconds (default 60). */
  clockTolerance?: number;
  /**
   * The oldest `iat` accepted, in seconds before now (no limit by default):
   * refuses an old ID token replayed while it has not expired yet.
   */
  maxTokenAge?: number;
  /**
   * Hash claims that must be present, not only match when present: `c_hash`
   * for a front-channel ID token issued with a code (hybrid flow), `at_hash`
   * for one issued with an access token (implicit flow), OIDC Core §3.3.2.11.
   */
  requireHashes?: ('at_hash' | 'c_hash')[];
  /** The current time in milliseconds (for tests). */
  now?: () => number;
}

/** What {@link verifyJws} needs to verify a signature. */
export interface JwsVerificationOptions {
  /** Allowed algorithms; `none` is always refused. */
  algorithms: readonly string[];
  /** The provider's keys, used for asymmetric algorithms only. */
  keys?: JwksCache | JWTVerifyGetKey;
  /** The shared secret, used for `HS*` algorithms only (a string is taken as UTF-8 bytes). */
  secret?: string | Uint8Array;
  /** What the token is, for error messages (default `ID token`). */
  label?: string;
}

/** A verified compact JWS: its protected header and payload bytes. */
export interface VerifiedJws {
  /** The JWS protected header (`alg`, `kid`, `typ`, ...). */
  header: CompactJWSHeaderParameters;
  /** The payload bytes, not yet parsed (for a JWT, UTF-8 JSON claims). */
  payload: Uint8Array;
}

/** The HMAC JWS algorithms (verified with a shared secret only). */
export const HMAC_ALGS: ReadonlySet<string> = new Set(['HS256', 'HS384', 'HS512']);
/** The asymmetric JWS algorithms (verified with public keys only). */
export const ASYMMETRIC_ALGS: ReadonlySet<string> = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

/**
 * Verifies a compact JWS signature, refusing everything that is not an
 * allowed, supported algorithm: `alg: none` is always refused; `HS*` is
 * verified only with `secret` (never with a provider key, which defeats the
 * "HMAC signed with the public key" confusion); asymmetric algorithms only
 * with `keys`.
 *
 * @param jws - the compact JWS
 * @param options - allowed algorithms and keys
 * @returns the protected header and the payload bytes
 * @throws {InvalidTokenError} with claim `format`, `alg` or `signature`
 * @throws {OAuthNetworkError | OAuthTimeoutError | InvalidResponseError} when the JWK set cannot be fetched
 * @see https://www.rfc-editor.org/rfc/rfc7515.html#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc8725.html#section-3.1
 */
export async function verifyJws(
  jws: string,
  options: JwsVerificationOptions,
): Promise<VerifiedJws> {
  const fail = (claim: string, detail: string, extra: { cause?: unknown } = {}) =>
    tokenError(options.label, claim, detail, extra.cause);
  if (typeof jws !== 'string') throw fail('format', 'the token is not a string');
  const parts = jws.split('.');
  if (parts.length === 5) {
    throw fail('format', 'encrypted (JWE) tokens are not supported');
  }
  if (parts.length !== 3) {
    throw fail('format', 'not a compact JWS (three dot-separated parts)');
  }
  let header: CompactJWSHeaderParameters;
  try {
    header = decodeProtectedHeader(jws) as CompactJWSHeaderParameters;
  } catch (err) {
    throw fail('format', 'the protected header is not base64url JSON', {
      cause: err,
    });
  }
  const alg: unknown = header.alg;
  if (typeof alg !== 'string' || alg === '') {
    throw fail('alg', 'the header has no "alg"');
  }
  if (alg.toLowerCase() === 'none') {
    throw fail('alg', 'unsecured tokens ("alg": "none") are refused');
  }
  if (!options.algorithms.includes(alg)) {
    throw fail('alg', `algorithm ${printableAlg(alg)} is not allowed`);
  }
  let key: Parameters<typeof compactVerify>[1];
  if (HMAC_ALGS.has(alg)) {
    if (options.secret === undefined || options.secret.length === 0) {
      throw fail('alg', `${alg} needs a client secret and none is configured`);
    }
    key =
      typeof options.secret === 'string'
        ? new TextEncoder().encode(options.secret)
        : options.secret;
  } else if (ASYMMETRIC_ALGS.has(alg)) {
    if (!options.keys) {
      throw fail('signature', 'no provider keys (jwks_uri) to verify the token');
    }
    key = options.keys instanceof JwksCache ? options.keys.getKey : options.keys;
  } else {
    throw fail('alg', `algorithm ${printableAlg(alg)} is not supported`);
  }
  try {
    const result = await compactVerify(jws, key, { algorithms: [alg] });
    return { header: result.protectedHeader, payload: result.payload };
  } catch (err) {
    if (isMultipleMatchingKeys(err)) return verifyWithCandidates(jws, alg, err, options.label);
    throw toInvalidTokenError(err, options.label);
  }
}

/**
 * Validates an OpenID Connect ID token and returns its claims.
 *
 * The signature is always verified, also for an ID token received over TLS
 * from the token endpoint; then the header's `typ` (absent, `JWT` or
 * `application/jwt`: an access token, `at+jwt`, or a logout token is not an
 * ID token), `iss`, `aud`, `azp`, `exp`, `iat` (and its age with `maxTokenAge`), `nbf`,
 * `sub`, `nonce`, `at_hash` / `c_hash` / `s_hash` (when present and the value
 * is given) and `auth_time` (when `maxAge` or `authTime` is given).
 *
 * @param idToken - the compact JWS from the token or authorization response
 * @param options - expected values and keys
 * @returns the token's claims
 * @throws {InvalidTokenError} on any failure; `claim` names the check: `format`, `alg`,
 *   `signature`, `typ`, `iss`, `aud`, `azp`, `exp`, `iat`, `nbf`, `sub`, `nonce`, `at_hash`,
 *   `c_hash`, `s_hash` or `auth_time`. The token never appears in the message.
 * @throws {OAuthNetworkError | OAuthTimeoutError | InvalidResponseError} when the JWK set cannot be fetched
 * @example
 * ```ts
 * const claims = await validateIdToken(token.id_token, {
 *   issuer: metadata.issuer, clientId, algorithms: ['RS256'],
 *   keys: new JwksCache(metadata.jwks_uri!), nonce, accessToken: token.access_token,
 * });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export async function validateIdToken(
  idToken: string,
  options: IdTokenValidationOptions,
): Promise<Record<string, unknown>> {
  const { header, payload } = await verifyJws(idToken, {
    algorithms: options.algorithms ?? ['RS256'],
    keys: options.keys,
    secret: options.clientSecret,
  });
  checkType(header.typ);
  const claims = parseClaims(payload);
  const alg = header.alg as string;
  const now = (options.now?.() ?? Date.now()) / 1000;
  const tolerance = options.clockTolerance ?? 60;

  if (typeof claims.iss !== 'string' || claims.iss !== expectedIssuer(options.issuer, claims)) {
    throw new InvalidTokenError('iss', 'the issuer is not the expected one');
  }
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : aud;
  if (!Array.isArray(audiences) || audiences.some((a) => typeof a !== 'string')) {
    throw new InvalidTokenError('aud', 'missing or malformed audience');
  }
  if (!audiences.includes(options.clientId)) {
    throw new InvalidTokenError('aud', 'the token is not intended for this client');
  }
  if (claims.azp !== undefined && claims.azp !== options.clientId) {
    throw new InvalidTokenError('azp', 'the authorized party is another client');
  }
  if (audiences.length > 1 && claims.azp === undefined) {
    throw new InvalidTokenError('azp', 'several audiences and no authorized party');
  }
  if (!isNumber(claims.exp)) throw new InvalidTokenError('exp', 'missing expiry');
  if (claims.exp + tolerance <= now) throw new InvalidTokenError('exp', 'the token has expired');
  if (!isNumber(claims.iat)) throw new InvalidTokenError('iat', 'missing issue time');
  if (claims.iat - tolerance > now) {
    throw new InvalidTokenError('iat', 'the token is issued in the future');
  }
  if (options.maxTokenAge !== undefined && claims.iat + options.maxTokenAge + tolerance < now) {
    throw new InvalidTokenError('iat', 'the token was issued longer ago than maxTokenAge');
  }
  if (claims.nbf !== undefined) {
    if (!isNumber(claims.nbf)) throw new InvalidTokenError('nbf', 'malformed not-before time');
    if (claims.nbf - tolerance > now)
      throw new InvalidTokenError('nbf', 'the token is not yet valid');
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw new InvalidTokenError('sub', 'missing subject');
  }
  if (options.nonce !== undefined) {
    if (claims.nonce === undefined) throw new InvalidTokenError('nonce', 'missing nonce');
    if (claims.nonce !== options.nonce) {
      throw new InvalidTokenError('nonce', 'the nonce does not match the request');
    }
  }
  for (const claim of options.requireHashes ?? []) {
    if (claims[claim] === undefined) throw new InvalidTokenError(claim, 'the claim is missing');
  }
  checkHash(claims, 'at_hash', options.accessToken, alg);
  checkHash(claims, 'c_hash', options.code, alg);
  checkHash(claims, 's_hash', options.state, alg);
  if (options.maxAge !== undefined || options.authTime) {
    if (!isNumber(claims.auth_time)) {
      throw new InvalidTokenError('auth_time', 'missing authentication time');
    }
    if (options.maxAge !== undefined && claims.auth_time + options.maxAge + tolerance < now) {
      throw new InvalidTokenError('auth_time', 'the authentication is older than max_age');
    }
  }
  return claims;
}

/**
 * The issuer an ID token must name: the configured one, or for a multi-tenant
 * template (`.../{tenantid}/v2.0`) the template with the token's own `tid`
 * (a GUID) in place. The signature was verified before: `tid` is the provider's word.
 */
function expectedIssuer(issuer: string, claims: Record<string, unknown>): string | undefined {
  if (!issuer.includes(TENANT_PLACEHOLDER)) return issuer;
  const tid = claims.tid;
  return typeof tid === 'string' && /^[0-9a-fA-F-]{1,64}$/.test(tid)
    ? issuer.split(TENANT_PLACEHOLDER).join(tid)
    : undefined;
}

/**
 * Refuses a JWT whose `typ` says it is something else than an ID token
 * (`at+jwt`, `logout+jwt`, `secevent+jwt`, ...). OpenID Connect names no
 * `typ` for ID tokens; providers send none, `JWT` or `application/jwt`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8725.html#section-3.11
 */
function checkType(typ: unknown): void {
  if (typ === undefined) return;
  const type = typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : '';
  if (type !== 'jwt') {
    throw new InvalidTokenError(
      'typ',
      'the token is not an ID token (its "typ" names another kind)',
    );
  }
}

/** Decodes whole payloads, refusing malformed UTF-8 (never streaming: one instance serves every call). */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function parseClaims(payload: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(payload));
  } catch (err) {
    throw new InvalidTokenError('format', 'the payload is not JSON', { cause: err });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidTokenError('format', 'the payload is not a JSON object');
  }
  return value as Record<string, unknown>;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isMultipleMatchingKeys(err: unknown): err is AsyncIterable<unknown> {
  return (
    (err as { code?: unknown })?.code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' &&
    typeof (err as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

/** Several keys of the set match (no `kid`): the token is valid if one of them verifies it. */
async function verifyWithCandidates(
  jws: string,
  alg: string,
  candidates: AsyncIterable<unknown>,
  label?: string,
): Promise<VerifiedJws> {
  let last: unknown = candidates;
  for await (const candidate of candidates) {
    try {
      const result = await compactVerify(jws, candidate as CryptoKey, { algorithms: [alg] });
      return { header: result.protectedHeader, payload: result.payload };
    } catch (err) {
      last = err;
    }
  }
  throw toInvalidTokenError(last, label);
}

function toInvalidTokenError(err: unknown, label?: string): unknown {
  if (err instanceof InvalidTokenError && err.claim === 'signature' && label) {
    // JwksCache found no key: say what was being validated.
    return tokenError(label, 'signature', 'no key of the provider matches the token', err);
  }
  if (err instanceof OAuthError) return err;
  const code = (err as { code?: unknown })?.code;
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return tokenError(label, 'signature', 'the signature does not verify', err);
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return tokenError(label, 'signature', 'no key of the provider matches the token', err);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return tokenError(label, 'alg', 'the algorithm is not allowed', err);
    case 'ERR_JWS_INVALID':
      return tokenError(label, 'format', 'malformed token', err);
    default:
      return tokenError(label, 'signature', 'the key cannot verify this token', err);
  }
}

/** An {@link InvalidTokenError} whose message names what was validated (ID token by default). */
function tokenError(
  label: string | undefined,
  claim: string,
  detail: string,
  cause?: unknown,
): InvalidTokenError {
  return new InvalidTokenError(claim, detail, {
    cause,
    ...(label ? { message: `invalid ${label}: ${claim}: ${detail}` } : {}),
  });
}
