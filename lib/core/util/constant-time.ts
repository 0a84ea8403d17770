import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in time independent of where they differ: both are
 * hashed to 32 bytes first, so their lengths do not leak either. The one
 * comparison of secrets in the library: the OAuth 1 signature check, the
 * authorization server's secret, verifier and hash comparisons, and the
 * login state.
 *
 * @param a - a value in clear (or a hash)
 * @param b - the value to compare with
 * @returns whether they are equal
 * @internal
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(hash('sha256', a, 'buffer'), hash('sha256', b, 'buffer'));
}
