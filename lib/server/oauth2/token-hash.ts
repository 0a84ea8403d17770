import { createHash } from 'node:crypto';
import { randomToken } from '../../core/util/random.js';

/**
 * The SHA-256 of a token, code, secret or assertion id, base64url-encoded (43
 * characters): what the authorization server hands its storage instead of the
 * value itself.
 *
 * The protocol core hashes every access token, refresh token and
 * authorization code **before** the storage sees it: `saveToken`,
 * `getToken`, `saveGrant`, `getGrant` and `deleteGrant` only ever receive
 * hashes, so no storage (built-in or written by the app) can keep a usable
 * token in clear. The values are 256-bit random strings, so a fast unsalted
 * hash is enough: nothing can be guessed from it.
 *
 * @param value - the token in clear
 * @returns its SHA-256, base64url
 */
export function hashToken(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/**
 * A new token, code or client secret: 32 bytes (256 bits) from the platform
 * CSPRNG, base64url (43 characters).
 */
export function generateToken(): string {
  return randomToken(32);
}
