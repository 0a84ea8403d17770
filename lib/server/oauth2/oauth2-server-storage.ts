import type { OAuth2ServerClient } from './oauth2-server-client.js';

/** A value or a promise of it: every storage method may be sync or async. */
export type Awaitable<T> = T | Promise<T>;

/**
 * A resource owner, as the app hands it to the server (decision of the
 * authorization endpoint, `getUser` of the password grant): `sub` is the
 * stable, unique subject identifier put in tokens and ID tokens.
 */
export interface OAuth2ServerUser {
  /** The subject identifier (OIDC Core §2 `sub`): never reassigned, at most 255 characters. */
  sub: string;
  /** Anything else the app keeps about the user (not read by the server). */
  [key: string]: unknown;
}

/**
 * An authorization code as stored: the seed's grant (`grantsetter` /
 * `grantgetter`). The code itself is never stored, only `codeHash`.
 */
export interface OAuth2AuthorizationGrant {
  /** SHA-256 of the code (`hashToken(code)`): the key to look it up by. */
  codeHash: string;
  /** The client the code was issued to. */
  clientId: string;
  /** The user who approved. */
  subject: string;
  /** The granted scopes. */
  scope: string[];
  /** The `redirect_uri` of the authorization request, when it named one (the token request must repeat it). */
  redirectUri?: string;
  /** Expiry, epoch seconds (codes live `codeExpiresIn`, 60 s by default). */
  expiresAt: number;
  /** The PKCE challenge, when the request carried one. */
  codeChallenge?: string;
  /** The PKCE method of `codeChallenge`. */
  codeChallengeMethod?: 'S256' | 'plain';
  /** The OpenID Connect `nonce` of the request, repeated in the ID token. */
  nonce?: string;
  /** When the user authenticated, epoch seconds. */
  authTime?: number;
  /** Authentication context class reference achieved. */
  acr?: string;
  /** Authentication methods used. */
  amr?: string[];
}

/**
 * An issued token pair as stored: the seed's token (`tokensetter` /
 * `tokengetter`). Only hashes of the access and refresh tokens are stored.
 * Every token issued from one authorization (a code, a password login) and
 * every refresh of it share a `familyId`, so a replayed code or a reused
 * refresh token revokes them all.
 */
export interface OAuth2TokenRecord {
  /** A unique id of this record (not secret). */
  id: string;
  /** The family: the code's hash for tokens from a code, else a random id; kept across refreshes. */
  familyId: string;
  /** The client the tokens were issued to. */
  clientId: string;
  /** The user, absent for `client_credentials` and a client acting as itself. */
  subject?: string;
  /** The granted scopes. */
  scope: string[];
  /** SHA-256 of the access token. */
  accessTokenHash: string;
  /** Access token expiry, epoch seconds. */
  accessTokenExpiresAt: number;
  /** SHA-256 of the refresh token, when one was issued. */
  refreshTokenHash?: string;
  /** Refresh token expiry, epoch seconds. */
  refreshTokenExpiresAt?: number;
  /** Issue time, epoch seconds. */
  issuedAt: number;
  /** When the user authenticated, epoch seconds (kept for refreshed ID tokens). */
  authTime?: number;
  /** Authentication context class reference. */
  acr?: string;
  /** Authentication methods used. */
  amr?: string[];
  /** Set by the storage when `revokeToken` revoked the record. */
  revoked?: boolean;
}

/** How `getToken` looks a token up: by the hash of an access token or of a refresh token. */
export type OAuth2TokenQuery =
  | {
      /** SHA-256 (base64url) of the access token. */
      accessTokenHash: string;
    }
  | {
      /** SHA-256 (base64url) of the refresh token. */
      refreshTokenHash: string;
    };

/** What `revokeToken` revokes: one record, or every record of a family. */
export type OAuth2RevokeQuery =
  | {
      /** The record's id. */
      id: string;
    }
  | {
      /** The family: every record with it. */
      familyId: string;
    };

/**
 * Where the authorization server keeps clients, codes and tokens: one method
 * per getter/setter of the seed's `OAuth2Provider` (`clientgetter`,
 * `grantsetter`/`grantgetter`, `tokensetter`/`tokengetter`, `usergetter`).
 * Methods may be sync or async.
 *
 * **Secure by default:** the protocol core hashes codes and tokens with
 * SHA-256 before calling the storage: it only ever receives `codeHash`,
 * `accessTokenHash` and `refreshTokenHash`, never a usable value. Client
 * secrets are compared against `clientSecretHash`.
 *
 * **Atomicity:** `deleteGrant` and `revokeToken` must report whether *this*
 * call changed anything (`DELETE ... WHERE`, `UPDATE ... WHERE revoked =
 * false` and the affected row count). That is what makes a code single use and
 * a refresh token rotate exactly once under concurrent requests; anything but
 * `true` refuses the request.
 *
 * @example
 * ```ts
 * const storage = new MemoryOAuth2ServerStorage();
 * storage.addClient({ clientId: 'app', clientSecret: 's3cret-s3cret', redirectUris: ['https://app.example/cb'] });
 * ```
 */
export interface OAuth2ServerStorage {
  /** The seed's `clientgetter`: the client, or `undefined`/`null` when unknown. */
  getClient(clientId: string): Awaitable<OAuth2ServerClient | null | undefined>;

  /**
   * The seed's `grantsetter`: keeps an authorization code until `expiresAt`.
   * Optional when the server has a `grantCache` (codes then live there).
   */
  saveGrant?(grant: OAuth2AuthorizationGrant): Awaitable<void>;
  /** The seed's `grantgetter`: the code's grant by its hash, or `undefined`. */
  getGrant?(codeHash: string): Awaitable<OAuth2AuthorizationGrant | null | undefined>;
  /** The seed's `grant.delete()`: removes the grant; `true` only when this call removed it. */
  deleteGrant?(codeHash: string): Awaitable<boolean>;

  /** The seed's `tokensetter`: keeps an issued token pair. */
  saveToken(token: OAuth2TokenRecord): Awaitable<void>;
  /**
   * The seed's `tokengetter`: the record holding the access or refresh token
   * with this hash, **including revoked records** (with `revoked: true`;
   * that is how a reused refresh token is recognized). `undefined` when unknown.
   */
  getToken(query: OAuth2TokenQuery): Awaitable<OAuth2TokenRecord | null | undefined>;
  /**
   * Marks one record, or every record of a family, revoked (keep them until
   * they expire, for reuse detection). Returns `true` when this call revoked
   * at least one record that was not revoked yet.
   */
  revokeToken(query: OAuth2RevokeQuery): Awaitable<boolean>;

  /**
   * The seed's `usergetter`: checks a username and password for the password
   * grant. The password grant is off unless this method exists.
   * @returns the user, or `undefined`/`null` for wrong credentials
   */
  getUser?(
    username: string,
    password: string,
    client: OAuth2ServerClient,
  ): Awaitable<OAuth2ServerUser | null | undefined>;

  /**
   * The user's claims for UserInfo and ID tokens (`name`, `email`, ...), for
   * the granted scopes. `sub` is always the subject's; claims of a standard
   * scope that was not granted (`email` without the `email` scope) are dropped.
   * Without this method, UserInfo returns `sub` only.
   */
  getUserClaims?(
    subject: string,
    scope: readonly string[],
    client: OAuth2ServerClient,
  ): Awaitable<Record<string, unknown> | null | undefined>;
}
