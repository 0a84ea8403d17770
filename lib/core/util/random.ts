import { randomBytes } from 'node:crypto';

/**
 * A URL-safe random string from the platform CSPRNG.
 * @param bytes - entropy in bytes (default 32, i.e. 256 bits)
 */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
