import type { HttpOptions } from '../http/fetcher.js';
import type { AuthorizationServerMetadata } from '../oidc/discovery.js';
import type { OAuth2Token } from '../token.js';
import type {
  ClientAssertionOptions,
  ClientAuthFunction,
  ClientAuthMethod,
  ClientAuthRequest,
} from './client-auth.js';
import type { CodeChallengeMethod } from './pkce.js';
import type { RefreshLockFunction, ReloadTokenFunction } from './refresh-lock.js';

// The options, results and hooks of OAuth2Client (re-exported from oauth2-client.ts).

/** Called with every new token obtained by a refresh (and only then). */
export type UpdateTokenFunction = (
  token: OAuth2Token,
  context: { refreshToken?: string; accessToken?: string },
) => void | Promise<void>;

/** A request to a protected resource, as a `protectedRequest` compliance hook sees and changes it. */
export interface ProtectedRequest {
  /** The resource URL. */
  url: string;
  /** The request headers, including `Authorization` unless sent without a token. */
  headers: Headers;
  /** The request body, if any. */
  body?: RequestInit['body'];
}

/** The compliance hooks and the functions they take (each may be async). */
export interface ComplianceHooks {
  /** Rewrites the token endpoint's response to an authorization grant before it is parsed. */
  accessTokenResponse: (response: Response) => Response | Promise<Response>;
  /** Rewrites the token endpoint's response to a refresh before it is parsed. */
  refreshTokenResponse: (response: Response) => Response | Promise<Response>;
  /** Rewrites a protected request after the token was attached. */
  protectedRequest: (request: ProtectedRequest) => ProtectedRequest | Promise<ProtectedRequest>;
  /** Rewrites a revocation request after client authentication. */
  revokeTokenRequest: (
    request: ClientAuthRequest,
  ) => ClientAuthRequest | Promise<ClientAuthRequest>;
  /** Rewrites an introspection request after client authentication. */
  introspectTokenRequest: (
    request: ClientAuthRequest,
  ) => ClientAuthRequest | Promise<ClientAuthRequest>;
}

/** The name of a compliance hook. */
export type ComplianceHook = keyof ComplianceHooks;

/** Options of {@link OAuth2Client}. */
export interface OAuth2ClientOptions extends HttpOptions, ClientAssertionOptions {
  /** The client identifier issued by the provider (RFC 6749 §2.2). */
  clientId?: string;
  /** The client secret, for the secret-based authentication methods (RFC 6749 §2.3.1). */
  clientSecret?: string;
  /** Requested scope: a space-separated string or a list. */
  scope?: string | string[];
  /** The redirection URI sent as `redirect_uri` (RFC 6749 §3.1.2). */
  redirectUri?: string;
  /** A state to use instead of a generated one. */
  state?: string;
  /** A saved token. */
  token?: OAuth2Token;
  /** The token endpoint; enables automatic refresh. */
  tokenEndpoint?: string;
  /** A separate endpoint for refreshes, when the provider has one (default: the token endpoint). */
  refreshTokenEndpoint?: string;
  /** The authorization endpoint (default: from the server metadata). */
  authorizationEndpoint?: string;
  /** The RFC 7009 revocation endpoint (default: from the server metadata). */
  revocationEndpoint?: string;
  /** The RFC 7662 introspection endpoint (default: from the server metadata). */
  introspectionEndpoint?: string;
  /** The OpenID Connect UserInfo endpoint (default: from the server metadata). */
  userinfoEndpoint?: string;
  /** How the client authenticates at the token endpoint (default `client_secret_basic`). */
  tokenEndpointAuthMethod?: ClientAuthMethod | (string & {}) | ClientAuthFunction;
  /** PKCE method for the code flow (default `S256`); `false` turns PKCE off. */
  codeChallengeMethod?: CodeChallengeMethod | false;
  /** Seconds before expiry at which a token is refreshed (default 60). */
  leeway?: number;
  /** Receives every refreshed token, with the refresh token and access token it replaces. */
  updateToken?: UpdateTokenFunction;
  /**
   * A lock shared by every app instance, so that one refresh of a token
   * happens across all of them (rotating refresh tokens can be used once):
   * `(key, refresh) => ...` runs `refresh` while holding the lock `key` (the
   * SHA-256 of the refresh token). Needs `reloadToken` (for a `stateless`
   * client, per call). `nestjs-oauth/redis` makes one:
   * `store.refreshLock(clientName)`. Applies to the automatic refresh
   * (`ensureActiveToken`, `request` and the verbs), not to an explicit
   * `refreshToken()`.
   */
  refreshLock?: RefreshLockFunction;
  /**
   * Re-reads the saved token inside `refreshLock` (from where `updateToken`
   * saves it): a token another instance has just refreshed is taken instead
   * of refreshed again. `updateToken` must have saved it before it returns.
   */
  reloadToken?: ReloadTokenFunction;
  /** OpenID discovery or RFC 8414 metadata URL: fills in every endpoint and the ID-token keys. */
  serverMetadataUrl?: string;
  /** Metadata given directly instead of discovered. */
  metadata?: AuthorizationServerMetadata;
  /** How long discovered metadata and keys are cached, in ms (default 24 h). */
  metadataCacheTtl?: number;
  /** Clock skew tolerated when checking ID-token times, in seconds (default 60). */
  clockTolerance?: number;
  /**
   * The oldest ID token accepted, in seconds since its `iat` (no limit by
   * default): an ID token issued longer ago is refused even if not expired.
   */
  idTokenMaxAge?: number;
  /**
   * Whether a login also calls the UserInfo endpoint, after the ID token is
   * validated (its `sub` must be the ID token's; ID-token claims win a merge):
   * `'auto'` (default) when the scope asks for `profile`, `email`, `address`
   * or `phone` and the ID token lacks that scope's main claim (`name`,
   * `email`, `address`, `phone_number`); `'always'`; `'never'`.
   * @see https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims
   */
  userinfo?: 'auto' | 'always' | 'never';
  /**
   * Accept discovered endpoints with plain `http` on hosts that are not
   * loopback ones (default false). Non-HTTP(S) schemes are always refused.
   */
  allowInsecureRequests?: boolean;
  /** The algorithm the provider signs ID tokens with for this client, when registered. */
  idTokenSignedResponseAlg?: string;
  /**
   * The grant this client's tokens come from, when it is `client_credentials`
   * (Authlib's `grant_type` client metadata): an expired token, even one not
   * obtained by this client instance, is replaced by running the grant again.
   * A client whose own token came from `fetchToken` with that grant does so
   * without this option.
   */
  grantType?: 'client_credentials';
  /** Extra parameters sent with every refresh request. */
  refreshTokenParams?: Record<string, unknown>;
  /**
   * A client shared by many users (a server): it never keeps a token or the
   * state, verifier and nonce of a flow; every call gets them passed in.
   */
  stateless?: boolean;
}

/** Options of {@link OAuth2Client.createAuthorizationUrl}: named settings plus extra query parameters. */
export interface AuthorizationUrlOptions {
  /** The state to send (default: the configured one, else a random one). */
  state?: string;
  /** The PKCE code verifier the challenge is derived from (default: a random one). */
  codeVerifier?: string;
  /** The nonce to send when the scope has `openid` or the response type `id_token` (default: a random one). */
  nonce?: string;
  /** The `response_type` (default `code`). */
  responseType?: string;
  /** The scope to request (default: the client's). */
  scope?: string | string[];
  /** The `redirect_uri` (default: the client's). */
  redirectUri?: string;
  [param: string]: unknown;
}

/** The result of {@link OAuth2Client.createAuthorizationUrl}: keep `state`, `codeVerifier` and `nonce` for the callback. */
export interface AuthorizationUrl {
  /** The URL to redirect the user to. */
  url: string;
  /** The `state` sent in the URL. */
  state: string;
  /** The PKCE code verifier, when PKCE is used. */
  codeVerifier?: string;
  /** The nonce sent in the URL, for an OpenID Connect request. */
  nonce?: string;
  /** The `max_age` sent in the URL, in seconds: pass it back to `fetchToken` to check `auth_time`. */
  maxAge?: number;
}

/** Options of {@link OAuth2Client.fetchToken}: named settings plus extra token request parameters. */
export interface FetchTokenOptions {
  /** The full callback URL the provider redirected to (query or fragment). */
  authorizationResponse?: string;
  /** The authorization code to exchange (ignored when `authorizationResponse` is given). */
  code?: string;
  /** The PKCE code verifier (default: the client's last one). */
  codeVerifier?: string;
  /** The state that was sent (checked against the authorization response). */
  state?: string;
  /** The nonce that was sent (checked against the ID token). */
  nonce?: string;
  /** `max_age` that was requested, in seconds (checked against `auth_time`). */
  maxAge?: number;
  /** The `grant_type` (default: inferred from `code`, `username`/`password`, else `client_credentials`). */
  grantType?: string;
  /** The resource owner's username, for the `password` grant. */
  username?: string;
  /** The resource owner's password, for the `password` grant. */
  password?: string;
  /** The `redirect_uri` for the code exchange (default: the client's). */
  redirectUri?: string;
  /** The scope to request (default: the client's, except for the code grant). */
  scope?: string | string[];
  /** Extra headers for the token request. */
  headers?: HeadersInit;
  [param: string]: unknown;
}

/** Init of a protected request: a fetch `RequestInit` plus the token to use. */
export interface OAuth2RequestInit extends RequestInit {
  /** The token for this request (default: the client's). */
  token?: OAuth2Token;
  /** `false` sends the request without a token. */
  withToken?: boolean;
  /** How to re-read this token inside the refresh lock (see {@link OAuth2ClientOptions.refreshLock}). */
  reloadToken?: ReloadTokenFunction;
  /** The cross-process lock for this request's refresh (wins over {@link OAuth2ClientOptions.refreshLock}). */
  refreshLock?: RefreshLockFunction;
}

/** Options of {@link OAuth2Client.refreshToken}: named settings plus extra refresh request parameters. */
export interface RefreshTokenOptions {
  /** The refresh token (default: the client's). */
  refreshToken?: string;
  /** A narrower scope to request (RFC 6749 §6). */
  scope?: string | string[];
  /** Extra headers for the token request. */
  headers?: HeadersInit;
  [param: string]: unknown;
}

/** Options of {@link OAuth2Client.revokeToken} and {@link OAuth2Client.introspectToken}. */
export interface TokenRequestOptions {
  /**
   * The token: its value, or an {@link OAuth2Token} (default: the client's
   * own). From a token object, revocation takes the refresh token first and
   * introspection the access token first.
   */
  token?: string | OAuth2Token;
  /** `access_token` or `refresh_token` (RFC 7009 §2.1); set from a token object by default. */
  tokenTypeHint?: string;
}
