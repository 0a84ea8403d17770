import { hash } from 'node:crypto';
import { randomToken } from '../util/random.js';

/** PKCE code challenge methods (RFC 7636 §4.2). */
export type CodeChallengeMethod = 'S256' | 'plain';

/**
 * A new PKCE `code_verifier`: 43 characters of base64url from 32 random bytes.
 * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4.1
 */
export function createCodeVerifier(): string {
  return randomToken(32);
}

/**
 * The `code_challenge` for a verifier: `BASE64URL(SHA256(ASCII(verifier)))` for
 * `S256`, the verifier itself for `plain`.
 * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4.2
 */
export function createCodeChallenge(
  verifier: string,
  method: CodeChallengeMethod = 'S256',
): string {
  if (method === 'plain') return verifier;
  if (method !== 'S256') {
    throw Object.assign(new TypeError(`unsupported code challenge method: ${String(method)}`), {
      code: 'ERR_OAUTH_PKCE_METHOD',
    });
  }
  // ASCII(verifier): Node's 'ascii' encoding is 'latin1' (one byte per code unit).
  return hash('sha256', Buffer.from(verifier, 'latin1'), 'base64url');
}

/** RFC 7636 §4.1: 43 to 128 characters of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * Whether a string is a well-formed PKCE `code_verifier` (or a `plain`
 * `code_challenge`, which has the same syntax): 43 to 128 unreserved characters.
 * The authorization server checks it before computing a challenge from it.
 *
 * @param value - the candidate verifier
 * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4.1
 */
export function isCodeVerifier(value: string): boolean {
  return CODE_VERIFIER.test(value);
}
