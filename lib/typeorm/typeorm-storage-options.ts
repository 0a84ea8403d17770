import type { OAuth2ServerStorage } from '../server/oauth2/oauth2-server-storage.js';
import type { ClientSecretKey } from './client-secret-cipher.js';

/**
 * The Nest injection token of {@link TypeOrmOAuth2ServerStorageOptions}
 * (optional: without it the storage takes the defaults).
 */
export const OAUTH_TYPEORM_STORAGE_OPTIONS = 'OAuthTypeOrmStorageOptions';

/** Options of `TypeOrmOAuth2ServerStorage`. */
export interface TypeOrmOAuth2ServerStorageOptions {
  /**
   * A 32-byte key (base64url text, bytes or a secret `KeyObject`) that seals
   * the secrets of `client_secret_jwt` clients (their HMAC key, needed in
   * clear) with AES-256-GCM. Keep it out of the database (an environment
   * variable, a secret manager). Required to register or use such a client;
   * every other secret is stored as a SHA-256 hash and needs no key.
   */
  clientSecretKey?: ClientSecretKey;
  /**
   * The storage's {@link OAuth2ServerStorage.getUser} (the seed's
   * `usergetter`), for the password grant: checks a username and password
   * against your users. The password grant is off without it.
   */
  getUser?: OAuth2ServerStorage['getUser'];
  /**
   * The storage's {@link OAuth2ServerStorage.getUserClaims}: the user's
   * claims (`name`, `email`, ...) for UserInfo and ID tokens, from your
   * users. Without it, UserInfo returns `sub` only.
   */
  getUserClaims?: OAuth2ServerStorage['getUserClaims'];
  /** Clock in milliseconds (for tests); default `Date.now`. */
  now?: () => number;
}
