import { hash as digestOf } from 'node:crypto';
import { InvalidTokenError } from '../errors.js';
import { printableAlg } from '../util/redact.js';

/**
 * The OpenID Connect hash of a value (`at_hash`, `c_hash`, `s_hash`): the
 * base64url encoding of the left half of the SHA-2 digest of its ASCII bytes,
 * SHA-2 sized after the token's `alg` (SHA-256 for `*256`, SHA-384 for `*384`,
 * SHA-512 for `*512` and for `EdDSA`/`Ed25519`).
 *
 * @param value - the access token, code or state
 * @param alg - the `alg` of the ID token's header
 * @returns the hash claim value
 * @throws {TypeError} (`ERR_OAUTH_UNSUPPORTED_ALG`) for an algorithm with no defined hash
 * @example
 * ```ts
 * computeTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256'); // '77QmUPtjPfzWtF2AnpK9RQ'
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken
 */
export function computeTokenHash(value: string, alg: string): string {
  const hash = hashFor(alg);
  if (!hash) {
    throw Object.assign(
      new TypeError(`no OpenID Connect hash is defined for ${printableAlg(alg)}`),
      { code: 'ERR_OAUTH_UNSUPPORTED_ALG' },
    );
  }
  const digest = digestOf(hash, Buffer.from(value, 'latin1'), 'buffer');
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * Checks a hash claim of verified ID token claims against the value it was
 * issued with; nothing to check when the claim or the value is absent
 * (whether a claim must be present is the caller's check).
 *
 * @param claims - the ID token's claims
 * @param claim - which hash claim
 * @param value - the access token, code or state it must hash
 * @param alg - the `alg` of the ID token's header
 * @throws {InvalidTokenError} with claim `claim` on a mismatch or an algorithm with no hash
 * @internal
 */
export function checkHash(
  claims: Record<string, unknown>,
  claim: 'at_hash' | 'c_hash' | 's_hash',
  value: string | undefined,
  alg: string,
): void {
  const actual = claims[claim];
  if (value === undefined || actual === undefined) return;
  let expected: string;
  try {
    expected = computeTokenHash(value, alg);
  } catch (err) {
    throw new InvalidTokenError(claim, 'no hash is defined for the algorithm', { cause: err });
  }
  if (actual !== expected) throw new InvalidTokenError(claim, 'the hash does not match');
}

/** The SHA-2 digest an OpenID Connect hash claim uses for `alg`, if any. */
function hashFor(alg: string): 'sha256' | 'sha384' | 'sha512' | undefined {
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'sha512';
  if (!/^(HS|RS|PS|ES)(256|384|512)$/.test(alg)) return undefined;
  return `sha${alg.slice(2)}` as 'sha256' | 'sha384' | 'sha512';
}
