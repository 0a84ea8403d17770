import { refreshTokenHash } from '../core/oauth2/refresh-lock.js';
import { invalidArgument } from './redis-errors.js';

/** A refresh-lock key as OAuth2Client hands it to `refreshLock`: base64url SHA-256, 43 characters. */
const TOKEN_HASH = /^[A-Za-z0-9_-]{43}$/;

/**
 * The lock key for refreshing one token: the client's name and the SHA-256
 * of the refresh token (base64url), never the token itself. Every instance
 * that holds the same refresh token computes the same key, and it is the
 * key {@link RedisOAuthStore.refreshLock} locks for OAuth2Client.
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
  checkClientName(clientName);
  if (typeof refreshToken !== 'string' || refreshToken === '') {
    throw invalidArgument('refreshToken must be a non-empty string');
  }
  return refreshLockName(clientName, refreshTokenHash(refreshToken));
}

/**
 * The lock key for a client's name and a refresh token's hash (as
 * OAuth2Client computes it).
 *
 * @internal
 * @throws {TypeError} when the name is empty or the hash is not a base64url SHA-256
 */
export function refreshLockName(clientName: string, tokenHash: string): string {
  checkClientName(clientName);
  if (typeof tokenHash !== 'string' || !TOKEN_HASH.test(tokenHash)) {
    // Never echo it: a caller that passed the token itself must not see it in a log.
    throw invalidArgument(
      'the refresh-lock key must be the base64url SHA-256 of the refresh token',
    );
  }
  return `refresh:${encodeURIComponent(clientName)}:${tokenHash}`;
}

/**
 * @internal
 * @throws {TypeError} when the name is not a non-empty string
 */
export function checkClientName(clientName: string): void {
  if (typeof clientName !== 'string' || clientName === '') {
    throw invalidArgument('clientName must be a non-empty string');
  }
}
