/**
 * What an OAuth 1.0a provider keeps: the records and the storage interface an
 * app implements (Flask-OAuthlib's `clientgetter`, `grantgetter`/`grantsetter`,
 * `verifiergetter`/`verifiersetter`, `tokengetter`/`tokensetter`,
 * `noncegetter`/`noncesetter`, one method each).
 *
 * ## What is stored in clear and what is hashed
 *
 * A token has two halves. The token SECRET (`oauth_token_secret`) is an HMAC
 * key: the provider must read it back to check a signature, so it cannot be
 * hashed (encrypt it at rest in your storage if you can). The token KEY
 * (`oauth_token`) and the verifier only have to be found again, so with the
 * default `hashTokens: true` the provider hands the storage their SHA-256
 * (base64url) instead: every `token`, `verifier`, `requestToken` and
 * `accessToken` field and argument below holds that digest, never the value
 * the client holds. A copy of the database then cannot be replayed: the
 * secrets in it sign nothing without the token keys, which it does not hold.
 * Client keys are public identifiers and are stored as they are.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2
 */
import type { KeyObject } from 'node:crypto';

/**
 * A registered client (Flask-OAuthlib's client object).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-1.1
 */
export interface OAuth1ServerClient {
  /** The client identifier (`oauth_consumer_key`). */
  clientKey: string;
  /** The client shared-secret: needed for HMAC-SHA1, HMAC-SHA256 and PLAINTEXT. */
  clientSecret?: string;
  /**
   * The client's RSA public key (PEM public key or certificate, or a
   * `KeyObject`): needed for RSA-SHA1 and RSA-SHA256.
   */
  rsaKey?: string | KeyObject;
  /**
   * The callback URIs the client registered. An `oauth_callback` other than
   * `oob` must have the scheme, host, port and path of one of them (its query
   * may differ). With none registered (and no `defaultRedirectUri`), only
   * `oob` is accepted.
   */
  redirectUris?: readonly string[];
  /**
   * The callback established at registration: counts as registered, and is
   * where an `oob` flow returns the resource owner (RFC 5849 §2.1: "a
   * callback URI has been established via other means"). Without it, `oob`
   * shows the verifier to the resource owner.
   */
  defaultRedirectUri?: string;
  /** The realms granted when a request-token request names none. */
  defaultRealms?: readonly string[];
  /** The realms this client may request (default: the provider's `realms` setting). */
  realms?: readonly string[];
}

/**
 * Temporary credentials (a request token, Flask-OAuthlib's grant): issued by
 * the request-token endpoint, authorized by the resource owner, exchanged
 * once for token credentials.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.1
 */
export interface OAuth1RequestToken {
  /** The lookup key: SHA-256 (base64url) of `oauth_token`, or the token itself with `hashTokens: false`. */
  token: string;
  /** `oauth_token_secret`, in clear (it signs). */
  secret: string;
  /** The client it was issued to. */
  clientKey: string;
  /** The confirmed `oauth_callback`: an absolute URI or `oob`. */
  redirectUri: string;
  /** The realms requested. */
  realms: string[];
  /** When it stops being usable, in epoch seconds. */
  expiresAt: number;
}

/**
 * A verifier: the resource owner's approval of a request token.
 *
 * @typeParam U - the app's user type
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.2
 */
export interface OAuth1Verifier<U = unknown> {
  /** The lookup key: SHA-256 (base64url) of `oauth_verifier`, or the verifier itself with `hashTokens: false`. */
  verifier: string;
  /** The request token it approves (its lookup key). */
  token: string;
  /** The client the request token was issued to. */
  clientKey: string;
  /** The resource owner who approved. */
  user: U;
  /** The realms approved (a subset of those requested). */
  realms: string[];
  /** When it stops being usable, in epoch seconds (the request token's expiry). */
  expiresAt: number;
}

/**
 * Token credentials (an access token).
 *
 * @typeParam U - the app's user type
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.3
 */
export interface OAuth1AccessToken<U = unknown> {
  /** The lookup key: SHA-256 (base64url) of `oauth_token`, or the token itself with `hashTokens: false`. */
  token: string;
  /** `oauth_token_secret`, in clear (it signs). */
  secret: string;
  /** The client it was issued to. */
  clientKey: string;
  /** The resource owner. */
  user: U;
  /** The realms granted. */
  realms: string[];
  /** Optional expiry in epoch seconds; OAuth 1 tokens usually live until revoked. */
  expiresAt?: number;
}

/**
 * What identifies a nonce (RFC 5849 §3.3: unique per timestamp, client
 * credentials and token).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.3
 */
export interface OAuth1NonceKey {
  /** `oauth_consumer_key`. */
  clientKey: string;
  /** `oauth_timestamp`, in seconds. */
  timestamp: number;
  /** `oauth_nonce`. */
  nonce: string;
  /** The request token's lookup key, on an access-token request. */
  requestToken?: string;
  /** The access token's lookup key, on a protected-resource request. */
  accessToken?: string;
}

/** A used nonce, as saved. */
export interface OAuth1Nonce extends OAuth1NonceKey {
  /** Until when it must be remembered (epoch seconds): after that, its timestamp is refused anyway. */
  expiresAt: number;
}

/**
 * The storage an OAuth 1.0a provider runs on. Every method may be
 * synchronous or return a promise. Records come back as they were saved; the
 * provider re-checks the client, expiry and binding of everything it reads,
 * so a storage that returns a wrong record cannot widen access.
 *
 * @typeParam U - the app's user type
 */
export interface OAuth1ServerStorage<U = unknown> {
  /** The client with this key, or `undefined`/`null` (seed: `clientgetter`). */
  getClient(
    clientKey: string,
  ): OAuth1ServerClient | null | undefined | Promise<OAuth1ServerClient | null | undefined>;
  /** Saves new temporary credentials (seed: `grantsetter`). */
  saveRequestToken(token: OAuth1RequestToken): void | Promise<void>;
  /** The temporary credentials with this lookup key (seed: `grantgetter`). */
  getRequestToken(
    token: string,
  ): OAuth1RequestToken | null | undefined | Promise<OAuth1RequestToken | null | undefined>;
  /**
   * Deletes temporary credentials (seed: the grant's `delete()`), and says
   * whether this call deleted them. Make it atomic (`DELETE ... RETURNING`,
   * Redis `DEL`'s count): the provider exchanges a request token only when it
   * gets `true`, so two racing exchanges cannot both succeed.
   */
  deleteRequestToken(token: string): boolean | Promise<boolean>;
  /** Saves the resource owner's approval (seed: `verifiersetter`). */
  saveVerifier(verifier: OAuth1Verifier<U>): void | Promise<void>;
  /** The approval with this verifier for this request token (lookup keys both; seed: `verifiergetter`). */
  getVerifier(
    verifier: string,
    token: string,
  ): OAuth1Verifier<U> | null | undefined | Promise<OAuth1Verifier<U> | null | undefined>;
  /** Saves new token credentials (seed: `tokensetter`). */
  saveAccessToken(token: OAuth1AccessToken<U>): void | Promise<void>;
  /** The token credentials with this lookup key (seed: `tokengetter`). */
  getAccessToken(
    token: string,
  ): OAuth1AccessToken<U> | null | undefined | Promise<OAuth1AccessToken<U> | null | undefined>;
  /**
   * Remembers a nonce (seed: `noncesetter`). Return `false` when it was
   * already there (an atomic insert-if-absent: a unique index, Redis
   * `SET NX`): the provider then refuses the request, which closes the race
   * between two copies of one request. Returning nothing is accepted, and
   * leaves only the `getNonce` check.
   */
  saveNonce(nonce: OAuth1Nonce): boolean | void | Promise<boolean | void>;
  /** Whether this nonce was seen (seed: `noncegetter`); any truthy value means seen. */
  getNonce(key: OAuth1NonceKey): unknown;
}
