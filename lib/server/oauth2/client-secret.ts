import type { OAuth2ServerClient } from './oauth2-server-client.js';
import { constantTimeEqual } from '../../core/util/constant-time.js';
import { generateToken, hashToken } from './token-hash.js';

/**
 * A new client secret: 256 random bits, base64url. Show it to the client's
 * owner once and keep only {@link hashClientSecret} of it.
 */
export function generateClientSecret(): string {
  return generateToken();
}

/**
 * What a storage keeps of a client secret: its SHA-256, base64url (the
 * client's `clientSecretHash`). Secrets from {@link generateClientSecret}
 * carry 256 random bits, so a fast hash is as strong as a slow one; a
 * human-chosen short secret is not, and should not be used.
 *
 * @param secret - the secret in clear
 */
export function hashClientSecret(secret: string): string {
  return hashToken(secret);
}

/**
 * Checks a presented secret against the client's, in constant time: against
 * `clientSecretHash` when the client has one, else against `clientSecret`.
 * An expired secret (`clientSecretExpiresAt`) never matches.
 *
 * @param client - the registered client
 * @param presented - the secret the request carried
 * @param now - the current time, epoch seconds
 */
export function verifyClientSecret(
  client: OAuth2ServerClient,
  presented: string,
  now: number,
): boolean {
  if (client.clientSecretExpiresAt && client.clientSecretExpiresAt <= now) return false;
  if (typeof client.clientSecretHash === 'string') {
    return constantTimeEqual(hashToken(presented), client.clientSecretHash);
  }
  if (typeof client.clientSecret === 'string' && client.clientSecret !== '') {
    return constantTimeEqual(presented, client.clientSecret);
  }
  return false;
}
