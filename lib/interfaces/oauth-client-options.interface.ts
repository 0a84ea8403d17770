import type {
  FetchLike,
  OAuth1Client,
  OAuth1Token,
  OAuth2Client,
  OAuth2Token,
} from '../core/index.js';
import type { OAuthProfileContext } from '../presets/preset.interface.js';

/** Tokens an app can look up: OAuth 2 or OAuth 1 credentials. */
export type OAuthAnyToken = OAuth2Token | OAuth1Token;

/** What a token refresh reports next to the new token. */
export interface OAuthTokenUpdateContext {
  /** The refresh token that was used (lets you find the stored row). */
  refreshToken?: string;
  /** The access token that was replaced. */
  accessToken?: string;
}

/**
 * Maps a provider's raw user profile (ID token claims merged with UserInfo,
 * or the `userinfoEndpoint` answer; `{}` when the client has neither) to the
 * claims your app uses. `context.request()` makes further calls (a second
 * profile endpoint, `/user/emails`) with the client's own transport and the
 * user's token (the injected client always passes it). The result is what
 * `@OAuthUser()` and `profile()` return (a preset's mapping adds `raw`).
 */
export type OAuthProfileMapper = (
  raw: Record<string, unknown>,
  token: OAuthAnyToken,
  context?: OAuthProfileContext,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/**
 * The transport settings of the client a `complianceFix` is applied to, so a
 * hook that reads a response body itself keeps within the client's limits.
 */
export interface OAuthComplianceTransport {
  /** The client's per-request timeout in milliseconds (`undefined`: the default). */
  timeout?: number;
}

/**
 * One OAuth client ("github", "google", ...). Every key may be left out and
 * read from `ConfigService` as `{NAME}_{KEY}` in upper snake case
 * (`GITHUB_CLIENT_ID`, `GITHUB_AUTHORIZE_PARAMS` as JSON, ...). Values given
 * here win, unless `overwrite` is `true`.
 *
 * A client with a `requestTokenUrl` is an OAuth 1.0a client, else OAuth 2.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-2
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2
 */
export interface OAuthClientOptions {
  /** The client identifier (OAuth 1: the consumer key). Required. */
  clientId?: string;
  /** The client secret (OAuth 1: the consumer secret). */
  clientSecret?: string;
  /** OAuth 1: the temporary-credentials endpoint. Its presence makes this an OAuth 1 client. */
  requestTokenUrl?: string;
  /** OAuth 1: extra parameters sent to `requestTokenUrl`. */
  requestTokenParams?: Record<string, unknown>;
  /** The token endpoint (OAuth 1: the token-credentials endpoint). */
  accessTokenUrl?: string;
  /**
   * Extra parameters sent with the code exchange (OAuth 1: added to the
   * signed query of the token-credentials request).
   */
  accessTokenParams?: Record<string, unknown>;
  /** OAuth 2: the endpoint used to refresh tokens, when it differs from `accessTokenUrl`. */
  refreshTokenUrl?: string;
  /** OAuth 2: extra parameters sent with a refresh. */
  refreshTokenParams?: Record<string, unknown>;
  /** The authorization endpoint the login guard redirects to. */
  authorizeUrl?: string;
  /** Extra parameters added to the authorization URL (`prompt`, `access_type`, ...). */
  authorizeParams?: Record<string, unknown>;
  /**
   * Base URL that relative URLs of `get/post/...` are resolved against. The
   * user's token is sent only to this origin and the provider's own endpoints
   * (plus `allowedOrigins`).
   */
  apiBaseUrl?: string;
  /**
   * More origins (`https://uploads.example.com`) an injected client may send
   * the user's token to. By default only `apiBaseUrl`'s origin and the
   * provider's endpoints get it; a request elsewhere fails with
   * `OAuthOriginNotAllowedError` unless it passes `init.token` itself.
   * From config: `{NAME}_ALLOWED_ORIGINS`, comma-separated or a JSON list.
   */
  allowedOrigins?: string[];
  /**
   * Options spread into the core client: OAuth 2 `scope`, `tokenEndpointAuthMethod`,
   * `leeway`, `clientKey`, ...; OAuth 1 `signatureMethod`, `signatureType`, `rsaKey`, `realm`.
   * Authlib's snake_case spellings (`token_endpoint_auth_method`) are accepted;
   * an unknown key fails at start-up.
   */
  clientKwargs?: Record<string, unknown>;
  /** OpenID Connect discovery / RFC 8414 metadata URL; fills in the endpoints. */
  serverMetadataUrl?: string;
  /**
   * Where the provider sends the browser back: an absolute URL, or a path
   * resolved against the origin of the login request.
   */
  redirectUri?: string;
  /** PKCE method: `'S256'` (default), `'plain'`, or `false` to turn PKCE off. */
  codeChallengeMethod?: 'S256' | 'plain' | false;
  /**
   * Called with each new core client, to register compliance hooks or auth
   * methods: the shared `OAuth2Client` of an OAuth 2 client (once), or each
   * `OAuth1Client` of an OAuth 1 client (one per login step and the API one).
   */
  complianceFix?(client: OAuth2Client | OAuth1Client, transport?: OAuthComplianceTransport): void;
  /** Per-client token lookup for API calls; wins over the module-level `fetchToken`. */
  fetchToken?: (
    request: any,
  ) => OAuthAnyToken | null | undefined | Promise<OAuthAnyToken | null | undefined>;
  /** Per-client refresh callback; wins over the module-level `updateToken`. */
  updateToken?: (
    token: OAuth2Token,
    context: OAuthTokenUpdateContext,
    request?: any,
  ) => void | Promise<void>;
  /**
   * OAuth 1: loads the request token saved by `saveRequestToken` (instead of the
   * state cookie or cache).
   */
  fetchRequestToken?: (
    oauthToken: string,
    request: any,
  ) => OAuth1Token | null | undefined | Promise<OAuth1Token | null | undefined>;
  /** OAuth 1: stores the request token yourself; the state cookie then never holds its secret. */
  saveRequestToken?: (token: OAuth1Token, request: any) => void | Promise<void>;
  /**
   * The user profile endpoint (absolute, or relative to `apiBaseUrl`) called
   * after login when the token carries no ID token claims.
   */
  userinfoEndpoint?: string;
  /** Maps the raw profile (or ID token claims) to your user claims (presets set one). */
  profile?: OAuthProfileMapper;
  /** Transport: a custom `fetch` for this client. */
  fetch?: FetchLike;
  /** Transport: per-request timeout in ms for this client. */
  timeout?: number;
  /** When `true`, values from `ConfigService` win over the values given here. */
  overwrite?: boolean;
}
