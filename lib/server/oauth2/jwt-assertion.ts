import { decodeJwt } from 'jose';
import type { ClientAssertionClaims } from '../../core/oauth2/client-auth.js';
import { ASYMMETRIC_ALGS, HMAC_ALGS, verifyJws } from '../../core/oidc/id-token.js';
import type { OAuth2ServerError } from './errors.js';
import type { OAuth2ServerClient } from './oauth2-server-client.js';
import type { ServerContext } from './server-context.js';
import { useOnce } from './server-cache.js';
import { hashToken } from './token-hash.js';

/** Algorithms of `client_secret_jwt` assertions (the client's secret is the key). */
export const HMAC_ALGORITHMS: readonly string[] = [...HMAC_ALGS];
/** Algorithms of `private_key_jwt` assertions (`Ed25519` is RFC 9864's name for `EdDSA` over Ed25519). */
export const KEY_ALGORITHMS: readonly string[] = [...ASYMMETRIC_ALGS];

/** What an assertion is checked against. */
export interface AssertionCheck {
  /** The client that must have issued the assertion (`iss`). */
  client: OAuth2ServerClient;
  /** Accepted `aud` values (the endpoint, the token endpoint, the issuer). */
  audiences: readonly string[];
  /** Which keys verify it: the client's secret (`client_secret_jwt`), its public keys (`private_key_jwt`), or either. */
  keys: 'secret' | 'public' | 'any';
  /** Builds the error to answer with (`invalid_client` or `invalid_grant`). */
  fail: (description: string) => OAuth2ServerError;
}

/**
 * The claims of a JWT without verifying it (to find out which client it
 * claims to come from).
 * @returns the claims, or `undefined` when it is not a JWT
 */
export function peekClaims(jwt: string): Partial<ClientAssertionClaims> | undefined {
  try {
    return decodeJwt(jwt) as Partial<ClientAssertionClaims>;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a JWT assertion (RFC 7523 §3): the signature with the same
 * `verifyJws` the clients use (`alg: none` refused, `HS*` only with the
 * client's secret and never with a public key), `iss` = the client, `aud` one
 * of the accepted audiences, `exp` present, in the future and at most
 * `maxAssertionLifetime` away, `iat`/`nbf` not in the future, and `jti`
 * present and never seen before (kept in the replay cache until `exp`).
 *
 * @returns the verified claims
 * @throws {OAuth2ServerError} built by `check.fail`, with fixed wording
 */
export async function verifyJwtAssertion(
  ctx: ServerContext,
  jwt: string,
  check: AssertionCheck,
): Promise<Record<string, unknown>> {
  const { client, fail } = check;
  const secret = check.keys === 'public' ? undefined : client.clientSecret;
  const keys = check.keys === 'secret' ? undefined : ctx.clientKeys.keysFor(client);
  if (!secret && !keys) throw fail('the client has no key to verify its assertion with');
  let algorithms = [...(secret ? HMAC_ALGORITHMS : []), ...(keys ? KEY_ALGORITHMS : [])];
  if (client.tokenEndpointAuthSigningAlg) {
    algorithms = algorithms.filter((alg) => alg === client.tokenEndpointAuthSigningAlg);
  }
  let payload: Uint8Array;
  try {
    ({ payload } = await verifyJws(jwt, { algorithms, keys, secret, label: 'assertion' }));
  } catch (err) {
    throw Object.assign(fail('the assertion signature does not verify'), { cause: err });
  }
  const claims = parse(payload);
  if (!claims) throw fail('the assertion claims are malformed');
  const now = ctx.now();
  const skew = ctx.clockTolerance;
  if (claims.iss !== client.clientId) throw fail('the assertion was not issued by the client');
  const aud = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  if (!Array.isArray(aud) || !aud.some((a) => check.audiences.includes(a as string))) {
    throw fail('the assertion is not meant for this server');
  }
  const exp = claims.exp;
  if (!isTime(exp)) throw fail('the assertion has no expiry');
  if (exp + skew <= now) throw fail('the assertion has expired');
  if (exp - now > ctx.maxAssertionLifetime + skew) throw fail('the assertion lives too long');
  if (claims.iat !== undefined && (!isTime(claims.iat) || claims.iat - skew > now)) {
    throw fail('the assertion is issued in the future');
  }
  if (claims.nbf !== undefined && (!isTime(claims.nbf) || claims.nbf - skew > now)) {
    throw fail('the assertion is not yet valid');
  }
  const jti = claims.jti;
  if (typeof jti !== 'string' || jti === '' || jti.length > 256) {
    throw fail('the assertion has no valid "jti"');
  }
  const key = `oauth2:jti:${hashToken(`${client.clientId}\n${jti}`)}`;
  if (!(await useOnce(ctx.replay, key, exp + skew - now + 1))) {
    throw fail('the assertion was already used');
  }
  return claims;
}

function parse(payload: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
