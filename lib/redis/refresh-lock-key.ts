import { createHash } from 'node:crypto';
import { invalidArgument } from './redis-errors.js';

/**
 * The lock key for refreshing one token: the client's name and the SHA-256
 * of the refresh token (base64url), never the token itself. Every instance
 * that holds the same refresh token computes the same key.
 *
 * @param clientName - the OAuth client's name (`github`, ...)
 * @param refreshToken - the refresh token about to be used
 * @returns `refresh:<client name, URI-encoded>:<base64url SHA-256 of the token>`
 * @throws {TypeError} when the name or the token is empty
 *
 * @example
 * ```ts
 * const token = await store.withLock(refreshLockKey('github', token.refresh_token), () =>
 *   refreshUnlessSomeoneElseDid(),
 * );
 * ```
 */
export function refreshLockKey(clientName: string, refreshToken: string): string {
  if (typeof clientName !== 'string' || clientName === '') {
    throw invalidArgument('clientName must be a non-empty string');
  }
  if (typeof refreshToken !== 'string' || refreshToken === '') {
    throw invalidArgument('refreshToken must be a non-empty string');
  }
  const hash = createHash('sha256').update(refreshToken, 'utf8').digest('base64url');
  return `refresh:${encodeURIComponent(clientName)}:${hash}`;
}
