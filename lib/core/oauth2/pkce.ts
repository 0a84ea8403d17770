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
