import type { HttpOptions } from '../../core/http/fetcher.js';
import type { ServerRequest, ServerResponse } from '../http/server-request.js';
import type { OAuth2ServerError } from './errors.js';
import type { OAuth2ServerClient } from './oauth2-server-client.js';
import type { OAuth2ServerStorage, OAuth2ServerUser, Awaitable } from './oauth2-server-storage.js';
import type { OAuth2ServerCache } from './server-cache.js';
import type { ServerKeyInput } from './server-keys.js';

/** The endpoints of the server, as named in its metadata. */
export type OAuth2ServerEndpoint =
  'authorization' | 'token' | 'revocation' | 'introspection' | 'userinfo' | 'jwks' | 'metadata';

/**
 * Where each endpoint is served: a path under the issuer (`/token`), an
 * absolute URL, or `false` to leave the endpoint out (and out of the metadata).
 */
export interface OAuth2ServerEndpointPaths {
  /** Default `/authorize`. */
  authorization?: string;
  /** Default `/token`. */
  token?: string;
  /** Default `/revoke` (RFC 7009). */
  revocation?: string | false;
  /** Default `/introspect` (RFC 7662). */
  introspection?: string | false;
  /** Default `/userinfo` (OIDC Core §5.3). */
  userinfo?: string | false;
  /** Default `/jwks`. */
  jwks?: string | false;
}

/**
 * The RFC 7523 JWT bearer grant: a registered client presents an assertion
 * it signed itself (`iss` = its client id), verified with its `jwks` /
 * `jwksUri` (or, for `HS*`, its `clientSecret`).
 */
export interface JwtBearerOptions {
  /**
   * Maps an assertion's `sub` to a user when it is not the client itself
   * (delegation); without it, only `sub` = the client id is accepted.
   * @returns the user, or `undefined` to refuse (`invalid_grant`)
   */
  getUser?(
    subject: string,
    client: OAuth2ServerClient,
    claims: Readonly<Record<string, unknown>>,
  ): Awaitable<OAuth2ServerUser | null | undefined>;
}

/** What a hook learns about the request being served. */
export interface OAuth2HookContext {
  /** Which endpoint serves the request. */
  endpoint: OAuth2ServerEndpoint;
  /** The request. */
  request: ServerRequest;
}

/**
 * The seed's request hooks. Each may return a response to use instead of
 * the server's (a rate limit in `beforeRequest`, an error page in
 * `invalidResponse`), or nothing to keep it.
 */
export interface OAuth2ServerHooks {
  /** Before an endpoint handles a request; a returned response ends the request there. */
  beforeRequest?(context: OAuth2HookContext): Awaitable<ServerResponse | void>;
  /** After an endpoint answered (success or error); may replace the response. */
  afterRequest?(
    response: ServerResponse,
    context: OAuth2HookContext,
  ): Awaitable<ServerResponse | void>;
  /** When an endpoint answers with an error (before `afterRequest`); may replace the response. */
  invalidResponse?(
    error: OAuth2ServerError,
    response: ServerResponse,
    context: OAuth2HookContext,
  ): Awaitable<ServerResponse | void>;
}

/** Context of the token generators. */
export interface TokenGeneratorContext {
  /** The client the token is for. */
  client: OAuth2ServerClient;
  /** The granted scopes. */
  scope: readonly string[];
  /** The user, if any. */
  subject?: string;
}

/**
 * Options of {@link AuthorizationServer}. Names follow the seed's
 * `OAUTH2_PROVIDER_*` settings where it has one (`errorUri`,
 * `tokenExpiresIn`, `tokenGenerator`, `refreshTokenGenerator`).
 */
export interface AuthorizationServerOptions extends OAuth2ServerHooks {
  /** The issuer identifier: an `https` URL (or `http://localhost`/loopback for development) without query or fragment. */
  issuer: string;
  /** Clients, codes and tokens. */
  storage: OAuth2ServerStorage;
  /**
   * ID token signing keys, newest first (RSA, EC P-256/384/521, Ed25519).
   * Without keys, `openid` requests are refused.
   */
  keys?: readonly ServerKeyInput[];
  /** Endpoint paths (under the issuer) or URLs. */
  endpoints?: OAuth2ServerEndpointPaths;
  /** Access token lifetime, seconds (default 3600; seed `OAUTH2_PROVIDER_TOKEN_EXPIRES_IN`). */
  tokenExpiresIn?: number;
  /** Refresh token lifetime, seconds, renewed on each rotation (default 14 days). */
  refreshTokenExpiresIn?: number;
  /** Authorization code lifetime, seconds (default 60; RFC 6749 §4.1.2 recommends at most 600). */
  codeExpiresIn?: number;
  /** ID token lifetime, seconds (default 3600). */
  idTokenExpiresIn?: number;
  /** Access token generator (seed `OAUTH2_PROVIDER_TOKEN_GENERATOR`); default 256 random bits. */
  tokenGenerator?: (context: TokenGeneratorContext) => string;
  /** Refresh token generator (seed `OAUTH2_PROVIDER_REFRESH_TOKEN_GENERATOR`); default 256 random bits. */
  refreshTokenGenerator?: (context: TokenGeneratorContext) => string;
  /**
   * The seed's `OAUTH2_PROVIDER_ERROR_URI`: where the user agent is sent when
   * an authorization request cannot be redirected back to the client (unknown
   * client, unregistered redirect URI), with `error` and `error_description`
   * in the query. Also sent as `error_uri` in error responses. Without it, such
   * a request gets a JSON 400.
   */
  errorUri?: string;
  /** Scopes the server knows (metadata `scopes_supported`); when set, anything else is `invalid_scope`. */
  scopesSupported?: readonly string[];
  /** Claims UserInfo may return (metadata `claims_supported`). */
  claimsSupported?: readonly string[];
  /** Response types the server supports (default: `code` and every OIDC implicit/hybrid combination; clients opt in). */
  responseTypesSupported?: readonly string[];
  /** PKCE: required for `public` clients only (default) or for `all` clients. */
  requirePkce?: 'public' | 'all';
  /** Accept the `plain` PKCE method (default `false`: S256 only). */
  allowPlainPkce?: boolean;
  /**
   * The seed's `bind_cache_grant`: keep authorization codes in this cache
   * (with a TTL) instead of the storage's `saveGrant`/`getGrant`/`deleteGrant`.
   * Give it a `take` (Redis `GETDEL`) so a code is redeemed once across instances.
   */
  grantCache?: OAuth2ServerCache;
  /**
   * Where used assertion `jti` values are remembered until they expire, and
   * codes presented again (so a replay racing the first redemption still
   * revokes its tokens). Default: in this process; several instances need a
   * shared cache with `add`.
   */
  replayCache?: OAuth2ServerCache;
  /** Turns on the RFC 7523 JWT bearer grant (`true` for clients acting as themselves only). */
  jwtBearer?: boolean | JwtBearerOptions;
  /** Longest accepted lifetime (`exp` − now) of a client assertion or JWT bearer grant, seconds (default 3600). */
  maxAssertionLifetime?: number;
  /** Clock skew tolerated on assertions, seconds (default 60). */
  clockTolerance?: number;
  /** `fetch` and timeout for fetching clients' `jwksUri`. */
  http?: HttpOptions;
  /** Clock in milliseconds (for tests). */
  now?: () => number;
}
