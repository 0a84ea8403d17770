// The options and results of OAuth1Client (re-exported from oauth1-client.ts).
import type { KeyObject } from 'node:crypto';
import type { HttpOptions } from '../http/fetcher.js';
import type { OAuth1Token } from '../token.js';
import type { OAuth1SignatureMethod, OAuth1SignatureType } from './signature.js';

/** Options of {@link OAuth1Client}. */
export interface OAuth1ClientOptions extends HttpOptions {
  /** The client identifier (`oauth_consumer_key`). */
  clientId: string;
  /** The client shared-secret (HMAC and PLAINTEXT methods). */
  clientSecret?: string;
  /** A token (`oauth_token`): saved token credentials, or temporary credentials mid-flow. */
  token?: string;
  /** The token shared-secret that goes with `token`. */
  tokenSecret?: string;
  /** The callback URI sent as `oauth_callback` when fetching a request token (else `oob`). */
  redirectUri?: string;
  /** Signature method; `HMAC-SHA1` by default. */
  signatureMethod?: OAuth1SignatureMethod;
  /** Where the protocol parameters go; `header` by default. */
  signatureType?: OAuth1SignatureType;
  /** The RSA private key for `RSA-SHA1`/`RSA-SHA256`: a PEM string or a `KeyObject`. */
  rsaKey?: string | KeyObject;
  /** The `realm` of the `Authorization` header (header signature type only). */
  realm?: string;
  /** The verification code of the authorization step, when already known. */
  verifier?: string;
}

/** A request: `RequestInit` plus the token credentials to sign with for this call only. */
export interface OAuth1RequestInit extends RequestInit {
  /**
   * Token credentials for this request instead of the client's own (one
   * client can then serve many users). `null` signs with the client
   * credentials only.
   */
  token?: OAuth1Token | null;
}

/** Options of {@link OAuth1Client.sign}. */
export interface OAuth1SignOptions {
  /** Request headers; the result has the same ones plus `Authorization` (header type). */
  headers?: HeadersInit;
  /**
   * The body. A `URLSearchParams`, or a string sent with a
   * `application/x-www-form-urlencoded` content type, is part of the signature.
   */
  body?: BodyInit | null;
  /** Token credentials to sign with instead of the client's; `null` for none. */
  token?: OAuth1Token | null;
  /** Additional protocol parameters (`oauth_callback`, `oauth_verifier`, ...). */
  oauthParams?: Record<string, string>;
  /** A fixed nonce (tests, benchmarks); a fresh CSPRNG value by default. */
  nonce?: string;
  /** A fixed timestamp in seconds (tests, benchmarks); the current time by default. */
  timestamp?: string | number;
}

/** A signed request, ready for `fetch(url, { method, headers, body })`. */
export interface OAuth1SignedRequest {
  /** The uppercase HTTP method. */
  method: string;
  /** The URL, with the protocol parameters in its query for the `query` type. */
  url: string;
  /** The headers, with `Authorization` for the `header` type. */
  headers: Record<string, string>;
  /** The body; a form body is a string (with the protocol parameters for the `body` type). */
  body?: BodyInit | null;
}

/** The parameters of the callback request of RFC 5849 §2.2. */
export interface OAuth1AuthorizationResponse {
  /** The temporary credentials identifier. */
  oauth_token: string;
  /** The verification code. */
  oauth_verifier: string;
  [key: string]: string;
}

/** Options of {@link OAuth1Client.createAuthorizationUrl}. */
export interface OAuth1AuthorizationUrlOptions {
  /** The `oauth_token` to authorize; the request token just fetched by default. */
  requestToken?: string;
  /** Additional query parameters of the provider's authorization endpoint. */
  [param: string]: string | number | boolean | undefined;
}

/** Options of {@link OAuth1Client.fetchAccessToken}. */
export interface OAuth1AccessTokenOptions {
  /** The verification code; the one read by {@link OAuth1Client.parseAuthorizationResponse} by default. */
  verifier?: string;
  /**
   * The temporary credentials (request token and secret) to exchange, instead
   * of the client's own: the Nest layer keeps them in a cookie between the
   * redirect and the callback.
   */
  token?: OAuth1Token;
}
