import {
  InvalidTokenError,
  MissingTokenError,
  MismatchingStateError,
  OAuthError,
  TokenExpiredError,
} from '../errors.js';
import { readOAuthResponse, sendRequest, type HttpOptions } from '../http/fetcher.js';
import { HttpVerbs } from '../http/http-verbs.js';
import { MetadataCache, type AuthorizationServerMetadata } from '../oidc/discovery.js';
import { validateAuthorizationResponseIssuer, validateIdToken } from '../oidc/id-token.js';
import { JwksCache } from '../oidc/jwks.js';
import { fetchUserinfo } from '../oidc/userinfo.js';
import { isTokenExpired, normalizeToken, type OAuth2Token } from '../token.js';
import { describeEndpoint } from '../util/redact.js';
import { randomToken } from '../util/random.js';
import {
  clientNone,
  clientSecretBasic,
  clientSecretPost,
  createJwtAuth,
  type ClientAssertionOptions,
  type ClientAuthFunction,
  type ClientAuthMethod,
  type ClientAuthRequest,
} from './client-auth.js';
import { createCodeChallenge, createCodeVerifier, type CodeChallengeMethod } from './pkce.js';
import { SingleFlight } from './single-flight.js';

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
  /** OpenID discovery or RFC 8414 metadata URL: fills in every endpoint and the ID-token keys. */
  serverMetadataUrl?: string;
  /** Metadata given directly instead of discovered. */
  metadata?: AuthorizationServerMetadata;
  /** How long discovered metadata and keys are cached, in ms (default 24 h). */
  metadataCacheTtl?: number;
  /** Clock skew tolerated when checking ID-token times, in seconds (default 60). */
  clockTolerance?: number;
  /** The algorithm the provider signs ID tokens with for this client, when registered. */
  idTokenSignedResponseAlg?: string;
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
}

const BUILTIN_AUTH: Record<string, ClientAuthFunction | undefined> = {
  client_secret_basic: clientSecretBasic,
  client_secret_post: clientSecretPost,
  none: clientNone,
};

const FORM_HEADERS = {
  Accept: 'application/json',
  'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
} as const;

const FETCH_TOKEN_OPTIONS = new Set([
  'authorizationResponse',
  'code',
  'codeVerifier',
  'state',
  'nonce',
  'maxAge',
  'grantType',
  'username',
  'password',
  'redirectUri',
  'scope',
  'headers',
]);

const AUTHORIZE_OPTIONS = new Set([
  'state',
  'codeVerifier',
  'nonce',
  'responseType',
  'scope',
  'redirectUri',
]);

/**
 * An OAuth 2.0 client (Authlib's `OAuth2Session`): builds authorization URLs
 * with PKCE, obtains tokens with every grant, authenticates with five methods
 * (or your own), refreshes tokens by itself with exactly one refresh for any
 * number of concurrent requests, revokes and introspects; with
 * `serverMetadataUrl` it is an OpenID Connect relying party that validates
 * every ID token strictly.
 *
 * @example
 * ```ts
 * const client = new OAuth2Client({ clientId, clientSecret, redirectUri, scope: 'openid email' ,
 *   serverMetadataUrl: 'https://accounts.google.com/.well-known/openid-configuration' });
 * await client.loadServerMetadata();
 * const { url, state, codeVerifier, nonce } = client.createAuthorizationUrl();
 * // ... after the redirect back:
 * const token = await client.fetchToken(undefined, { authorizationResponse: callbackUrl, state, codeVerifier, nonce });
 * const res = await client.get('https://openidconnect.googleapis.com/v1/userinfo');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html
 */
export class OAuth2Client extends HttpVerbs<OAuth2RequestInit> {
  /** The current token (set by `fetchToken` and refreshes). */
  token?: OAuth2Token;
  /** The state of the last authorization URL. */
  state?: string;
  /** The PKCE verifier of the last authorization URL. */
  codeVerifier?: string;
  /** The nonce of the last authorization URL. */
  nonce?: string;

  /** The client identifier, from the options. */
  readonly clientId?: string;
  /** The client secret, from the options. */
  readonly clientSecret?: string;

  private readonly options: OAuth2ClientOptions;
  private readonly http: HttpOptions;
  private readonly authMethods = new Map<string, ClientAuthFunction>();
  private readonly hooks: { [K in ComplianceHook]: ComplianceHooks[K][] } = {
    accessTokenResponse: [],
    refreshTokenResponse: [],
    protectedRequest: [],
    revokeTokenRequest: [],
    introspectTokenRequest: [],
  };
  private readonly refreshes = new SingleFlight<OAuth2Token>();
  private metadataCache?: MetadataCache;
  private metadata?: AuthorizationServerMetadata;
  private jwks?: JwksCache;
  private maxAge?: number;

  constructor(options: OAuth2ClientOptions = {}) {
    super();
    this.options = { ...options };
    this.clientId = options.clientId;
    this.clientSecret = options.clientSecret;
    this.token = options.token ? normalizeToken(options.token) : undefined;
    this.state = options.state;
    this.http = { fetch: options.fetch, timeout: options.timeout };
    this.metadata = options.metadata;
  }

  /** Seconds before expiry at which tokens are refreshed. */
  get leeway(): number {
    return this.options.leeway ?? 60;
  }

  /** The scope as a space-separated string, if any. */
  get scope(): string | undefined {
    return joinScope(this.options.scope);
  }

  /** Server metadata, once loaded (or given). */
  get serverMetadata(): AuthorizationServerMetadata | undefined {
    return this.metadata;
  }

  /**
   * Registers a custom client authentication method under `name`, usable as
   * `tokenEndpointAuthMethod: name`.
   */
  registerClientAuthMethod(name: string, fn: ClientAuthFunction): void {
    this.authMethods.set(name, fn);
  }

  /**
   * Registers a compliance hook for a provider that deviates from the RFCs.
   * Hooks of one kind run in registration order; each may be async.
   */
  registerComplianceHook<K extends ComplianceHook>(hook: K, fn: ComplianceHooks[K]): void {
    const list = this.hooks[hook] as ComplianceHooks[K][] | undefined;
    if (!list) {
      throw Object.assign(new TypeError(`unknown compliance hook: ${String(hook)}`), {
        code: 'ERR_OAUTH_HOOK',
      });
    }
    list.push(fn);
  }

  /**
   * Loads (once, then cached) the server metadata from `serverMetadataUrl`.
   * @throws {OAuthError} `invalid_issuer` when the metadata's issuer does not match its URL
   */
  async loadServerMetadata(): Promise<AuthorizationServerMetadata> {
    const url = this.options.serverMetadataUrl;
    if (!url) {
      if (this.metadata) return this.metadata;
      throw Object.assign(new TypeError('no serverMetadataUrl is configured'), {
        code: 'ERR_OAUTH_NO_METADATA',
      });
    }
    this.metadataCache ??= new MetadataCache({ ...this.http, ttl: this.options.metadataCacheTtl });
    const metadata = await this.metadataCache.get(url);
    this.metadata = metadata;
    return metadata;
  }

  /**
   * Builds the authorization URL: `response_type`, `client_id`, `redirect_uri`,
   * `scope`, a CSPRNG `state`, a PKCE challenge (S256 by default) and, when the
   * scope has `openid`, a `nonce`. Other options pass through as query
   * parameters. The client remembers state, verifier and nonce for `fetchToken`.
   *
   * @param url - the authorization endpoint (default: the configured or discovered one)
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
   * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4.3
   */
  createAuthorizationUrl(url?: string, options: AuthorizationUrlOptions = {}): AuthorizationUrl {
    const endpoint =
      url ?? this.options.authorizationEndpoint ?? this.metadata?.authorization_endpoint;
    if (!endpoint) throw missingEndpoint('authorization');
    const target = new URL(endpoint);
    const query = target.searchParams;
    const responseType = options.responseType ?? 'code';
    const scope = joinScope(options.scope) ?? this.scope;
    const redirectUri = options.redirectUri ?? this.options.redirectUri;
    const state = options.state ?? this.options.state ?? randomToken();
    query.set('response_type', responseType);
    if (this.clientId !== undefined) query.set('client_id', this.clientId);
    if (redirectUri) query.set('redirect_uri', redirectUri);
    if (scope) query.set('scope', scope);
    query.set('state', state);

    const result: AuthorizationUrl = { url: '', state };
    const method = this.options.codeChallengeMethod ?? 'S256';
    if (method && responseType.split(' ').includes('code')) {
      const verifier = options.codeVerifier ?? createCodeVerifier();
      query.set('code_challenge', createCodeChallenge(verifier, method));
      query.set('code_challenge_method', method);
      result.codeVerifier = verifier;
    }
    if (hasOpenId(scope) || responseType.split(' ').includes('id_token')) {
      const nonce = options.nonce ?? randomToken();
      query.set('nonce', nonce);
      result.nonce = nonce;
    }
    for (const [key, value] of Object.entries(options)) {
      if (!AUTHORIZE_OPTIONS.has(key) && value !== undefined && value !== null) {
        query.set(key, String(value));
      }
    }
    const maxAge = query.get('max_age');
    if (maxAge !== null && Number.isFinite(Number(maxAge))) result.maxAge = Number(maxAge);
    if (!this.options.stateless) {
      this.maxAge = result.maxAge;
      this.state = state;
      this.codeVerifier = result.codeVerifier;
      this.nonce = result.nonce;
    }
    result.url = target.toString();
    return result;
  }

  /**
   * Obtains a token. With `authorizationResponse` (the callback URL) the state
   * is checked, a provider error raised, and the code exchanged (or, for the
   * implicit grant, the token read from the fragment). Otherwise the grant is
   * `authorization_code` with `code`, `password` with `username`/`password`,
   * or `client_credentials`. An ID token in the response is validated.
   *
   * @param url - the token endpoint (default: the configured or discovered one)
   * @throws {MismatchingStateError} when the response's state is not the one sent
   * @throws {OAuthError} with the provider's `error`, `description`, `uri`
   * @throws {MissingTokenError} when a success response has no `access_token`
   * @throws {InvalidTokenError} when the ID token fails validation
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.3
   */
  async fetchToken(url?: string, options: FetchTokenOptions = {}): Promise<OAuth2Token> {
    if (this.options.serverMetadataUrl) await this.loadServerMetadata();
    let code = options.code;
    let frontChannelClaims: Record<string, unknown> | undefined;
    const nonce = options.nonce ?? this.nonce;
    const maxAge = options.maxAge ?? this.maxAge;
    if (options.authorizationResponse !== undefined) {
      const params = this.parseAuthorizationResponse(options.authorizationResponse, options.state);
      code = params.get('code') ?? undefined;
      if (code === undefined) {
        // Implicit (`token`, `id_token`, `id_token token`): everything came in the fragment.
        if (!params.has('access_token') && !params.has('id_token')) {
          throw new OAuthError('invalid_response', {
            message: 'the authorization response has neither a code nor a token',
          });
        }
        const raw = Object.fromEntries(params);
        for (const key of RESPONSE_ONLY_PARAMS) delete raw[key];
        return this.acceptToken(raw, { nonce, maxAge, frontChannel: true });
      }
      const idToken = params.get('id_token');
      if (idToken) {
        // Hybrid flow: the front-channel ID token binds the code (c_hash) before we spend it.
        frontChannelClaims = await this.checkIdToken(idToken, {
          nonce,
          maxAge,
          code,
          state: params.get('state') ?? undefined,
          requireHashes: ['c_hash'],
        });
      }
    }

    const grantType =
      options.grantType ??
      (code !== undefined
        ? 'authorization_code'
        : options.username !== undefined || options.password !== undefined
          ? 'password'
          : 'client_credentials');
    const body = new URLSearchParams({ grant_type: grantType });
    const secrets: (string | undefined)[] = [];
    if (grantType === 'authorization_code') {
      const redirectUri = options.redirectUri ?? this.options.redirectUri;
      const verifier = options.codeVerifier ?? this.codeVerifier;
      body.set('code', code ?? '');
      if (redirectUri) body.set('redirect_uri', redirectUri);
      if (verifier) body.set('code_verifier', verifier);
      secrets.push(code, verifier);
    } else if (grantType === 'password') {
      body.set('username', options.username ?? '');
      body.set('password', options.password ?? '');
      secrets.push(options.password);
    }
    const scope =
      joinScope(options.scope) ?? (grantType === 'authorization_code' ? undefined : this.scope);
    if (scope) body.set('scope', scope);
    appendExtra(body, options, FETCH_TOKEN_OPTIONS);

    const endpoint = url ?? this.tokenEndpoint;
    if (!endpoint) throw missingEndpoint('token');
    const raw = await this.postToEndpoint(
      endpoint,
      body,
      secrets,
      options.headers,
      this.hooks.accessTokenResponse,
    );
    return this.acceptToken(raw, { nonce, maxAge, code, expected: frontChannelClaims });
  }

  /**
   * Refreshes the token (grant `refresh_token`). The new token keeps the old
   * refresh token unless the provider rotated it; `updateToken` receives it
   * with the refresh and access tokens it replaces.
   *
   * @throws {MissingTokenError} when there is no refresh token
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
   */
  async refreshToken(
    url?: string,
    options: {
      refreshToken?: string;
      scope?: string | string[];
      headers?: HeadersInit;
      [param: string]: unknown;
    } = {},
  ): Promise<OAuth2Token> {
    return this.refresh(url, options, this.token);
  }

  /**
   * Returns a token that is valid for at least `leeway` seconds: the given one
   * (default: the client's), or a refreshed one. Concurrent calls holding the
   * same expired token share one refresh.
   *
   * @throws {MissingTokenError} when there is no token
   * @throws {TokenExpiredError} when it has expired and cannot be refreshed
   */
  async ensureActiveToken(token: OAuth2Token | undefined = this.token): Promise<OAuth2Token> {
    if (!token) throw new MissingTokenError();
    if (!isTokenExpired(token, this.leeway)) return token;
    const refreshToken = token.refresh_token;
    if (
      !refreshToken ||
      !(
        this.options.tokenEndpoint ||
        this.options.refreshTokenEndpoint ||
        this.options.serverMetadataUrl ||
        this.metadata?.token_endpoint
      )
    ) {
      throw new TokenExpiredError();
    }
    return this.refreshes.run(refreshToken, () => this.refresh(undefined, { refreshToken }, token));
  }

  /**
   * Sends a request to a protected resource with the bearer token, refreshing
   * it first when it has expired (or is within `leeway`). Returns the standard
   * fetch `Response`, whatever its status.
   *
   * @throws {MissingTokenError} when there is no token
   * @throws {TokenExpiredError} when it has expired and cannot be refreshed
   * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-2.1
   */
  async request(method: string, url: string, init: OAuth2RequestInit = {}): Promise<Response> {
    const { token: given, withToken, ...rest } = init;
    let authorization: string | undefined;
    if (withToken !== false) {
      let token = given ?? this.token;
      // The common case, a valid token, stays synchronous: this is every API call's path.
      if (!token || isTokenExpired(token, this.leeway)) token = await this.ensureActiveToken(token);
      if (typeof token.access_token !== 'string' || token.access_token === '') {
        throw new MissingTokenError();
      }
      authorization = `Bearer ${token.access_token}`;
    }
    const hooks = this.hooks.protectedRequest;
    if (hooks.length === 0 && rest.headers === undefined) {
      const headers = authorization ? { authorization } : undefined;
      return sendRequest(url, { ...rest, method, headers }, this.http);
    }
    const headers = new Headers(rest.headers);
    if (authorization) headers.set('Authorization', authorization);
    let request: ProtectedRequest = { url, headers, body: rest.body };
    for (const hook of hooks) request = await hook(request);
    return sendRequest(
      request.url,
      { ...rest, method, headers: request.headers, body: request.body },
      this.http,
    );
  }

  /**
   * Revokes a token (RFC 7009), authenticated with the client's method.
   * @see https://www.rfc-editor.org/rfc/rfc7009.html#section-2.1
   */
  async revokeToken(
    url: string | undefined,
    options: { token: string; tokenTypeHint?: string },
  ): Promise<void> {
    const endpoint =
      url ?? this.options.revocationEndpoint ?? (await this.discovered('revocation_endpoint'));
    if (!endpoint) throw missingEndpoint('revocation');
    const { response, request } = await this.sendTokenRequest(
      endpoint,
      options,
      this.hooks.revokeTokenRequest,
    );
    if (response.ok) {
      await response.arrayBuffer().catch(() => undefined);
      return;
    }
    await readOAuthResponse(response, this.context(request, []));
  }

  /**
   * Asks the introspection endpoint (RFC 7662) about a token, authenticated
   * with the client's method.
   * @returns the introspection response (`active`, `scope`, `client_id`, ...)
   * @see https://www.rfc-editor.org/rfc/rfc7662.html#section-2.1
   */
  async introspectToken(
    url: string | undefined,
    options: { token: string; tokenTypeHint?: string },
  ): Promise<Record<string, unknown>> {
    const endpoint =
      url ??
      this.options.introspectionEndpoint ??
      (await this.discovered('introspection_endpoint'));
    if (!endpoint) throw missingEndpoint('introspection');
    const { response, request } = await this.sendTokenRequest(
      endpoint,
      options,
      this.hooks.introspectTokenRequest,
    );
    return readOAuthResponse(response, this.context(request, []));
  }

  /**
   * Calls the OpenID Connect UserInfo endpoint with the token (default: the
   * client's). JSON and signed JWT responses are supported; `sub` must match
   * the ID token's.
   * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
   */
  async userinfo(token?: OAuth2Token): Promise<Record<string, unknown>> {
    const endpoint = this.options.userinfoEndpoint ?? (await this.discovered('userinfo_endpoint'));
    if (!endpoint) throw missingEndpoint('userinfo');
    const active = await this.ensureActiveToken(token ?? this.token);
    const metadata = this.metadata;
    return fetchUserinfo(endpoint, active.access_token, {
      http: this.http,
      expectedSub: typeof active.userinfo?.sub === 'string' ? active.userinfo.sub : undefined,
      issuer: metadata?.issuer,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      keys: metadata?.jwks_uri ? this.keys(metadata.jwks_uri) : undefined,
      algorithms: metadata?.userinfo_signing_alg_values_supported,
    });
  }

  /**
   * Validates an ID token with the provider's metadata and keys, and returns its claims.
   * @throws {InvalidTokenError} naming the claim that failed
   */
  async parseIdToken(
    idToken: string,
    options: {
      nonce?: string;
      maxAge?: number;
      accessToken?: string;
      code?: string;
      state?: string;
    } = {},
  ): Promise<Record<string, unknown>> {
    if (this.options.serverMetadataUrl) await this.loadServerMetadata();
    return this.checkIdToken(idToken, options);
  }

  /** The token endpoint: configured, else discovered. */
  get tokenEndpoint(): string | undefined {
    return this.options.tokenEndpoint ?? this.metadata?.token_endpoint;
  }

  private async refresh(
    url: string | undefined,
    options: {
      refreshToken?: string;
      scope?: string | string[];
      headers?: HeadersInit;
      [param: string]: unknown;
    },
    previous: OAuth2Token | undefined,
  ): Promise<OAuth2Token> {
    const refreshToken = options.refreshToken ?? previous?.refresh_token;
    if (!refreshToken) throw new MissingTokenError({ message: 'no refresh token is available' });
    if (!url && this.options.serverMetadataUrl) await this.loadServerMetadata();
    const endpoint = url ?? this.options.refreshTokenEndpoint ?? this.tokenEndpoint;
    if (!endpoint) throw missingEndpoint('token');
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const scope = joinScope(options.scope);
    if (scope) body.set('scope', scope);
    appendExtra(body, { ...this.options.refreshTokenParams, ...options }, REFRESH_OPTIONS);
    const raw = await this.postToEndpoint(
      endpoint,
      body,
      [refreshToken],
      options.headers,
      this.hooks.refreshTokenResponse,
    );
    const token = normalizeToken(raw);
    token.refresh_token ??= refreshToken;
    if (token.id_token) {
      token.userinfo = await this.checkIdToken(token.id_token, {
        accessToken: token.access_token,
        refresh: true,
      });
      // OIDC Core §12.2: a refreshed ID token is about the same user, from the same issuer.
      if (previous?.userinfo) sameUser(previous.userinfo, token.userinfo);
    } else if (previous?.userinfo) {
      token.userinfo = previous.userinfo;
    }
    // Only the client's own token is replaced: a token passed per request belongs to its caller.
    if (
      !this.options.stateless &&
      (previous === this.token || this.token?.refresh_token === refreshToken)
    ) {
      this.token = token;
    }
    await this.options.updateToken?.(token, {
      refreshToken,
      accessToken: previous?.access_token,
    });
    return token;
  }

  private async acceptToken(
    raw: Record<string, unknown>,
    check: {
      nonce?: string;
      maxAge?: number;
      code?: string;
      /** The token came in the authorization response (implicit flow). */
      frontChannel?: boolean;
      /** Claims the new ID token must agree with (same `iss` and `sub`). */
      expected?: Record<string, unknown>;
    },
  ): Promise<OAuth2Token> {
    const token = normalizeToken(raw);
    const hasAccessToken = typeof token.access_token === 'string' && token.access_token !== '';
    if (!hasAccessToken && typeof token.id_token !== 'string') throw new MissingTokenError();
    if (typeof token.id_token === 'string') {
      token.userinfo = await this.checkIdToken(token.id_token, {
        ...check,
        accessToken: hasAccessToken ? token.access_token : undefined,
        requireHashes: check.frontChannel && hasAccessToken ? ['at_hash'] : undefined,
      });
      if (check.expected) sameUser(check.expected, token.userinfo);
    }
    if (!this.options.stateless) this.token = token;
    return token;
  }

  private async checkIdToken(
    idToken: string,
    check: {
      nonce?: string;
      maxAge?: number;
      accessToken?: string;
      code?: string;
      state?: string;
      refresh?: boolean;
      requireHashes?: ('at_hash' | 'c_hash')[];
    },
  ): Promise<Record<string, unknown>> {
    const metadata = this.metadata;
    if (!metadata?.issuer) {
      throw new OAuthError('invalid_token', {
        message: 'cannot validate the ID token: configure serverMetadataUrl or metadata',
      });
    }
    const allowed = metadata.id_token_signing_alg_values_supported ?? ['RS256'];
    const wanted = this.options.idTokenSignedResponseAlg;
    return validateIdToken(idToken, {
      issuer: metadata.issuer,
      clientId: this.clientId ?? '',
      clientSecret: this.clientSecret,
      algorithms: wanted ? allowed.filter((alg: string) => alg === wanted) : allowed,
      keys: metadata.jwks_uri ? this.keys(metadata.jwks_uri) : undefined,
      nonce: check.refresh ? undefined : check.nonce,
      maxAge: check.refresh ? undefined : check.maxAge,
      accessToken: check.accessToken,
      code: check.code,
      state: check.state,
      requireHashes: check.requireHashes,
      clockTolerance: this.options.clockTolerance,
    });
  }

  private keys(jwksUri: string): JwksCache {
    // A new jwks_uri in refreshed metadata gets a new cache: the old keys are not trusted for it.
    if (this.jwks?.jwksUri !== jwksUri) {
      this.jwks = new JwksCache(jwksUri, { ...this.http, ttl: this.options.metadataCacheTtl });
    }
    return this.jwks;
  }

  private parseAuthorizationResponse(
    response: string,
    expectedState: string | undefined,
  ): URLSearchParams {
    let url: URL;
    try {
      url = new URL(response, 'http://localhost');
    } catch {
      throw new OAuthError('invalid_request', {
        message: 'the authorization response is not a URL',
      });
    }
    const params = new URLSearchParams(url.search);
    if (url.hash.length > 1) {
      for (const [key, value] of new URLSearchParams(url.hash.slice(1))) params.append(key, value);
    }
    const expected = expectedState ?? this.state;
    const received = params.get('state');
    if (!expected || received !== expected) {
      throw new MismatchingStateError();
    }
    if (this.metadata) validateAuthorizationResponseIssuer(params, this.metadata);
    const error = params.get('error');
    if (error) {
      const description = params.get('error_description');
      throw new OAuthError(error, {
        description: description ?? undefined,
        uri: params.get('error_uri') ?? undefined,
        endpoint: 'the authorization endpoint',
      });
    }
    return params;
  }

  private async discovered(key: keyof AuthorizationServerMetadata): Promise<string | undefined> {
    const metadata = this.options.serverMetadataUrl
      ? await this.loadServerMetadata()
      : this.metadata;
    const value = metadata?.[key];
    return typeof value === 'string' ? value : undefined;
  }

  private resolveAuthMethod(): ClientAuthFunction {
    const method = this.options.tokenEndpointAuthMethod ?? 'client_secret_basic';
    if (typeof method === 'function') return method;
    let fn = this.authMethods.get(method) ?? BUILTIN_AUTH[method];
    if (!fn && (method === 'client_secret_jwt' || method === 'private_key_jwt')) {
      fn = createJwtAuth(method as 'client_secret_jwt' | 'private_key_jwt', this.options);
      this.authMethods.set(method, fn);
    }
    if (!fn) {
      throw Object.assign(new TypeError(`unknown token endpoint auth method: ${method}`), {
        code: 'ERR_OAUTH_AUTH_METHOD',
      });
    }
    return fn;
  }

  private async authenticate(
    endpoint: string,
    body: URLSearchParams,
    extraHeaders?: HeadersInit,
  ): Promise<ClientAuthRequest> {
    const headers = new Headers(FORM_HEADERS);
    if (extraHeaders) new Headers(extraHeaders).forEach((value, key) => headers.set(key, value));
    return this.resolveAuthMethod()(this, 'POST', endpoint, headers, body);
  }

  private async postToEndpoint(
    endpoint: string,
    body: URLSearchParams,
    secrets: (string | undefined)[],
    extraHeaders: HeadersInit | undefined,
    responseHooks: ((response: Response) => Response | Promise<Response>)[],
  ): Promise<Record<string, unknown>> {
    const request = await this.authenticate(endpoint, body, extraHeaders);
    let response = await sendRequest(
      request.url,
      { method: 'POST', headers: request.headers, body: request.body },
      this.http,
    );
    for (const hook of responseHooks) response = await hook(response);
    const raw = await readOAuthResponse(response, this.context(request, secrets));
    if (typeof raw.access_token !== 'string' || raw.access_token === '') {
      throw new MissingTokenError({ endpoint: describeEndpoint(request.url) });
    }
    return raw;
  }

  private async sendTokenRequest(
    endpoint: string,
    options: { token: string; tokenTypeHint?: string },
    hooks: ((request: ClientAuthRequest) => ClientAuthRequest | Promise<ClientAuthRequest>)[],
  ): Promise<{ response: Response; request: ClientAuthRequest }> {
    const body = new URLSearchParams({ token: options.token });
    if (options.tokenTypeHint) body.set('token_type_hint', options.tokenTypeHint);
    let request = await this.authenticate(endpoint, body);
    for (const hook of hooks) request = await hook(request);
    const response = await sendRequest(
      request.url,
      { method: 'POST', headers: request.headers, body: request.body },
      this.http,
    );
    return { response, request };
  }

  /** What an error about this request may say, and the values it must never repeat. */
  private context(request: ClientAuthRequest, secrets: (string | undefined)[]) {
    const credential = request.headers.get('authorization')?.split(' ')[1];
    const sent = SENSITIVE_PARAMS.map((name) => request.body.get(name) ?? undefined);
    return {
      endpoint: describeEndpoint(request.url),
      timeout: this.http.timeout ?? 30_000,
      secrets: [...secrets, ...sent, credential, this.clientSecret],
    };
  }
}

const REFRESH_OPTIONS = new Set(['refreshToken', 'scope', 'headers']);

/** Authorization response parameters that are not part of the token. */
const RESPONSE_ONLY_PARAMS = ['state', 'iss', 'session_state'];

/** Request parameters whose values must never appear in an error message. */
const SENSITIVE_PARAMS = [
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'refresh_token',
  'password',
  'token',
  'assertion',
];

/**
 * Refuses an ID token about another user than the one before it (a refresh,
 * or the token endpoint after a hybrid front channel).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 */
function sameUser(before: Record<string, unknown>, after: Record<string, unknown>): void {
  for (const claim of ['iss', 'sub'] as const) {
    if (before[claim] !== undefined && after[claim] !== before[claim]) {
      throw new InvalidTokenError(claim, 'the new ID token is about another user or issuer');
    }
  }
}

function joinScope(scope: string | string[] | undefined): string | undefined {
  if (scope === undefined) return undefined;
  const joined = Array.isArray(scope) ? scope.join(' ') : scope;
  return joined === '' ? undefined : joined;
}

function hasOpenId(scope: string | undefined): boolean {
  return scope !== undefined && scope.split(' ').includes('openid');
}

function appendExtra(
  body: URLSearchParams,
  options: Record<string, unknown>,
  known: Set<string>,
): void {
  for (const [key, value] of Object.entries(options)) {
    if (known.has(key) || value === undefined || value === null) continue;
    body.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
}

function missingEndpoint(kind: string): TypeError {
  return Object.assign(
    new TypeError(`no ${kind} endpoint: pass it, configure it, or set serverMetadataUrl`),
    { code: 'ERR_OAUTH_NO_ENDPOINT' },
  );
}
