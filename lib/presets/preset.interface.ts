/**
 * Types shared by the provider presets. A preset returns plain
 * `OAuthClientOptions`: endpoints, default `clientKwargs`, `userinfoEndpoint`
 * and a `profile` mapping to {@link StandardClaims}.
 */
import type { OAuthClientOptions } from '../interfaces/oauth-client-options.interface.js';

/**
 * The standard claims a preset's `profile` mapping produces
 * (OpenID Connect Core §5.1). Keys a provider does not know are left out.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
export interface StandardClaims {
  /** The provider's stable, unique identifier of the user, as a string. */
  sub: string;
  /** Full name, for display. */
  name?: string;
  /** An e-mail address of the user; absent when the provider gives none. */
  email?: string;
  /** `true` only when the provider states that it verified `email`. */
  email_verified?: boolean;
  /** URL of a profile picture. */
  picture?: string;
  /** The handle (login, username, screen name) the user is known by. */
  preferred_username?: string;
  /** URL of the user's profile page at the provider. */
  profile?: string;
  /** Other claims the mapping keeps (`given_name`, `locale`, ...). */
  [claim: string]: unknown;
}

/**
 * What `profile(token)` on an injected client and `@OAuthUser()` return for a
 * client with a `profile` mapping (every preset has one): the
 * {@link StandardClaims} plus the provider's own answer.
 */
export interface OAuthProfile extends StandardClaims {
  /**
   * The provider's own JSON the claims were mapped from: the validated ID
   * token claims merged with the UserInfo answer (OpenID Connect), or the
   * profile API's answer.
   */
  raw: Record<string, unknown>;
}

/** A request a `profile` mapping sends through {@link OAuthProfileContext.request}. */
export interface OAuthProfileRequestInit {
  /** HTTP method (default `GET`). */
  method?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Query parameters appended to the URL (`undefined` values are skipped). */
  query?: Record<string, string | undefined>;
  /** A form body (`application/x-www-form-urlencoded`). */
  form?: Record<string, string | undefined>;
  /** A JSON body (`application/json`). */
  json?: unknown;
  /**
   * Send the user's credentials (default `true`): the bearer token and the
   * client's compliance hooks for OAuth 2, a signature for OAuth 1.
   */
  withToken?: boolean;
}

/**
 * What the injected client gives a `profile` mapping besides the raw profile
 * and the token: a way to make more calls with the client's own transport
 * (its `fetch`, `timeout`, response size limit and compliance hooks), and the
 * parameters of the authorization response being handled.
 */
export interface OAuthProfileContext {
  /** The client's name (`github`, `github2`, ...). */
  readonly name: string;
  /** The client identifier (some APIs want it on every call). */
  readonly clientId: string;
  /**
   * The parameters of the authorization response that produced the token
   * (the query, or a `form_post` body), during the login callback only.
   */
  readonly authorizationResponse?: URLSearchParams;
  /**
   * Calls a provider URL through the client and reads its JSON answer within
   * the client's timeout and size limit.
   *
   * @param url - absolute URL
   * @param init - method, headers, query, body; `withToken: false` for an anonymous call
   * @returns the parsed JSON body of a 2xx answer
   * @throws {InvalidResponseError} on a non-2xx status or a body that is not JSON
   * @throws {OAuthNetworkError | OAuthTimeoutError} when the call fails or runs out of time
   */
  request(url: string, init?: OAuthProfileRequestInit): Promise<unknown>;
}

/**
 * Options every preset takes: any client option, plus `baseUrls` to send a
 * provider host somewhere else (a test double, a proxy, a regional or
 * self-hosted instance). `H` names the preset's hosts (`'api'`, `'auth'`, ...).
 */
export type PresetOptions<H extends string = string> = OAuthClientOptions & {
  /**
   * Replacement base URLs, by host name of the preset (see the preset's
   * documentation for its hosts): every URL the preset builds on that host
   * starts with the given base instead.
   */
  baseUrls?: Partial<Record<H, string>>;
};
