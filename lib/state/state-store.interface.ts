import type { OAuth1Token } from '../core/token.js';

/**
 * What a login flow keeps between the redirect to the provider and the
 * callback. Never sent to the provider; stored encrypted (cookie) or
 * server-side (cache).
 */
export interface OAuthStateData {
  /** The client's name. */
  name: string;
  /** OAuth 2: the `state` parameter; OAuth 1: the request token (`oauth_token`). */
  state: string;
  /** OAuth 2 PKCE `code_verifier`. */
  codeVerifier?: string;
  /** OpenID Connect `nonce`. */
  nonce?: string;
  /** OpenID Connect `max_age` that was requested, in seconds (checked against `auth_time`). */
  maxAge?: number;
  /** The `redirect_uri` sent in the authorization request (must be sent again with the code). */
  redirectUri?: string;
  /** The sanitized `returnTo` path. */
  returnTo?: string;
  /** OAuth 1: the request token and its secret (unless the app stores them itself). */
  requestToken?: OAuth1Token;
  /** When the flow started (epoch seconds). */
  createdAt?: number;
}

/** Reads and writes cookies of the current HTTP exchange (implemented over the Nest HTTP adapter). */
export interface StateCookieIO {
  /** The value of cookie `name` on the request, if any. */
  getCookie(name: string): string | undefined;
  /** The names of every cookie on the request. */
  cookieNames(): string[];
  /** Adds a `Set-Cookie` header to the response. */
  setCookie(name: string, value: string, options: StateCookieOptions & { maxAge: number }): void;
}

/** Cookie attributes of a flow's cookie. */
export interface StateCookieOptions {
  /** `Path`: the common directory of the login and callback routes, or `/` (kept with the flow). */
  path: string;
  /** Whether to add `Secure` (the request came over HTTPS). */
  secure: boolean;
  /**
   * `SameSite` (default `Lax`). `None` (with `Secure`) for `response_mode=form_post`
   * clients, whose callback is a cross-site POST that does not carry `Lax` cookies.
   */
  sameSite?: 'Lax' | 'None';
}

/**
 * Keeps the temporary data of login flows, bound to the browser that started
 * them, single use, expiring.
 */
export interface OAuthStateStore {
  /** Saves a new flow's data and binds it to this browser (a cookie). */
  save(io: StateCookieIO, data: OAuthStateData, cookie: StateCookieOptions): Promise<void>;
  /**
   * Returns and invalidates the data of the flow `state` of client `name`.
   *
   * @throws {InvalidStateError} when the flow is unknown to this browser, used, or expired
   */
  consume(
    io: StateCookieIO,
    name: string,
    state: string,
    cookie: Pick<StateCookieOptions, 'secure'>,
  ): Promise<OAuthStateData>;
}
