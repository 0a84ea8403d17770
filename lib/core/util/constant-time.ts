import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in time independent of where they differ: both are
 * hashed to 32 bytes first, so their lengths do not leak either. Used by
 * both sides: the OAuth 1 signature check and the authorization server's
 * secret, verifier and hash comparisons.
 *
 * @param a - a value in clear (or a hash)
 * @param b - the value to compare with
 * @returns whether they are equal
 * @internal
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest();
  const digestB = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(digestA, digestB);
}
