import { MissingTokenError, TokenExpiredError } from '../errors.js';
import { HttpVerbs } from '../http/http-verbs.js';
import type { AuthorizationServerMetadata } from '../oidc/discovery.js';
import { isTokenExpired, normalizeToken, type OAuth2Token } from '../token.js';
import { buildAuthorizationUrl } from './authorization.js';
import type { ClientAuthFunction } from './client-auth.js';
import { grantTypeOf, obtainToken } from './grants.js';
import { checkIdToken } from './id-token-check.js';
import { OAuth2Context } from './oauth2-context.js';
import { sendProtectedRequest } from './protected-request.js';
import type {
  AuthorizationUrl,
  AuthorizationUrlOptions,
  ComplianceHook,
  ComplianceHooks,
  FetchTokenOptions,
  OAuth2ClientOptions,
  OAuth2RequestInit,
  RefreshTokenOptions,
  TokenRequestOptions,
} from './oauth2-types.js';
import { joinScope, missingEndpoint } from './params.js';
import { refreshToken } from './refresh.js';
import {
  checkRefreshLockOptions,
  renewToken,
  type EnsureActiveTokenOptions,
} from './refresh-lock.js';
import { introspect, revoke } from './revocation.js';
import { SingleFlight } from './single-flight.js';
import { callUserinfo } from './userinfo-claims.js';

export type {
  AuthorizationUrl,
  AuthorizationUrlOptions,
  ComplianceHook,
  ComplianceHooks,
  FetchTokenOptions,
  OAuth2ClientOptions,
  OAuth2RequestInit,
  ProtectedRequest,
  RefreshTokenOptions,
  TokenRequestOptions,
  UpdateTokenFunction,
} from './oauth2-types.js';
export type {
  EnsureActiveTokenOptions,
  RefreshLockFunction,
  ReloadTokenFunction,
} from './refresh-lock.js';

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
  private readonly ctx: OAuth2Context;
  private readonly refreshes = new SingleFlight<OAuth2Token>();
  private maxAge?: number;
  /** How the client's own token was obtained, when it came from `client_credentials`. */
  private reissue?: { url?: string; options: FetchTokenOptions };

  constructor(options: OAuth2ClientOptions = {}) {
    super();
    checkRefreshLockOptions(options);
    this.options = { ...options };
    this.clientId = options.clientId;
    this.clientSecret = options.clientSecret;
    this.token = options.token ? normalizeToken(options.token) : undefined;
    this.state = options.state;
    this.ctx = new OAuth2Context(this.options, this);
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
    return this.ctx.metadata;
  }

  /** The token endpoint: configured, else discovered. */
  get tokenEndpoint(): string | undefined {
    return this.ctx.tokenEndpoint;
  }

  /**
   * Registers a custom client authentication method under `name`, usable as
   * `tokenEndpointAuthMethod: name`.
   */
  registerClientAuthMethod(name: string, fn: ClientAuthFunction): void {
    this.ctx.authMethods.set(name, fn);
  }

  /**
   * Registers a compliance hook for a provider that deviates from the RFCs.
   * Hooks of one kind run in registration order; each may be async.
   */
  registerComplianceHook<K extends ComplianceHook>(hook: K, fn: ComplianceHooks[K]): void {
    const list = this.ctx.hooks[hook] as ComplianceHooks[K][] | undefined;
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
  loadServerMetadata(): Promise<AuthorizationServerMetadata> {
    return this.ctx.loadServerMetadata();
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
      url ?? this.options.authorizationEndpoint ?? this.ctx.metadata?.authorization_endpoint;
    if (!endpoint) throw missingEndpoint('authorization');
    const result = buildAuthorizationUrl(
      endpoint,
      {
        clientId: this.clientId,
        scope: this.scope,
        redirectUri: this.options.redirectUri,
        state: this.options.state,
        codeChallengeMethod: this.options.codeChallengeMethod,
      },
      options,
    );
    if (!this.options.stateless) {
      this.maxAge = result.maxAge;
      this.state = result.state;
      this.codeVerifier = result.codeVerifier;
      this.nonce = result.nonce;
    }
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
    const clientCredentials = grantTypeOf(options) === 'client_credentials';
    const token = await obtainToken(
      this.ctx,
      url,
      {
        ...options,
        state: options.state ?? this.state,
        nonce: options.nonce ?? this.nonce,
        maxAge: options.maxAge ?? this.maxAge,
        codeVerifier: options.codeVerifier ?? this.codeVerifier,
      },
      { scope: this.scope, redirectUri: this.options.redirectUri },
    );
    if (!this.options.stateless) {
      this.token = token;
      // A client-credentials token is obtained again the same way when it expires.
      this.reissue = clientCredentials ? { url, options } : undefined;
    }
    return token;
  }

  /**
   * Refreshes the token (grant `refresh_token`). The new token keeps the old
   * refresh token unless the provider rotated it; `updateToken` receives it
   * with the refresh and access tokens it replaces.
   *
   * @throws {MissingTokenError} when there is no refresh token
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
   */
  async refreshToken(url?: string, options: RefreshTokenOptions = {}): Promise<OAuth2Token> {
    return this.refresh(url, options, this.token);
  }

  /**
   * Returns a token that is valid for at least `leeway` seconds: the given one
   * (default: the client's), or a refreshed one. A client whose own token came
   * from the `client_credentials` grant (or whose `grantType` option says so)
   * runs that grant again instead, as Authlib does. Concurrent calls holding
   * the same expired token share one refresh (or grant); with a refresh lock
   * (the client's `refreshLock`, or `options.refreshLock` for this call), so
   * do calls in other processes (`options.reloadToken` re-reads the token).
   *
   * @throws {MissingTokenError} when there is no token
   * @throws {TokenExpiredError} when it has expired and cannot be refreshed
   */
  async ensureActiveToken(
    token: OAuth2Token | undefined = this.token,
    options: EnsureActiveTokenOptions = {},
  ): Promise<OAuth2Token> {
    if (!token) throw new MissingTokenError();
    if (!isTokenExpired(token, this.leeway)) return token;
    const refreshToken = token.refresh_token;
    const hasEndpoint = Boolean(
      this.options.tokenEndpoint ||
      this.options.refreshTokenEndpoint ||
      this.options.serverMetadataUrl ||
      this.ctx.metadata?.token_endpoint,
    );
    if (refreshToken && hasEndpoint) {
      return renewToken(token, refreshToken, {
        flights: this.refreshes,
        lock: options.refreshLock ?? this.options.refreshLock,
        reload: options.reloadToken ?? this.options.reloadToken,
        leeway: this.leeway,
        refresh: (stale, used) => this.refresh(undefined, { refreshToken: used }, stale),
        // A token another process refreshed replaces the client's own, as a refresh would.
        adopt: (stale, fresh) => this.adopt(stale, fresh, refreshToken),
      });
    }
    const reissue =
      token === this.token && this.reissue
        ? this.reissue
        : this.options.grantType === 'client_credentials' && hasEndpoint
          ? { options: {} }
          : undefined;
    if (!reissue) throw new TokenExpiredError();
    // One grant for every caller holding this expired token (the key cannot be a refresh token).
    return this.refreshes.run(`\0client_credentials ${token.access_token}`, async () => {
      const fresh = await this.fetchToken(reissue.url, {
        ...reissue.options,
        grantType: 'client_credentials',
      });
      await this.options.updateToken?.(fresh, { accessToken: token.access_token });
      return fresh;
    });
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
    const { token: given, withToken, reloadToken, refreshLock, ...rest } = init;
    let authorization: string | undefined;
    if (withToken !== false) {
      let token = given ?? this.token;
      // The common case, a valid token, stays synchronous: this is every API call's path.
      if (!token || isTokenExpired(token, this.leeway)) {
        token = await this.ensureActiveToken(token, { reloadToken, refreshLock });
      }
      if (typeof token.access_token !== 'string' || token.access_token === '') {
        throw new MissingTokenError();
      }
      authorization = `Bearer ${token.access_token}`;
    }
    return sendProtectedRequest(this.ctx, method, url, rest, authorization);
  }

  /**
   * Revokes a token (RFC 7009), authenticated with the client's method.
   * `token` is a token string or an {@link OAuth2Token} (its refresh token,
   * else its access token, with the matching `token_type_hint`); by default
   * the client's own token, refresh token first (as Authlib does).
   *
   * @throws {MissingTokenError} when there is no token to revoke
   * @see https://www.rfc-editor.org/rfc/rfc7009.html#section-2.1
   */
  async revokeToken(url?: string, options: TokenRequestOptions = {}): Promise<void> {
    return revoke(this.ctx, url, options, this.token);
  }

  /**
   * Asks the introspection endpoint (RFC 7662) about a token, authenticated
   * with the client's method. `token` is a token string or an
   * {@link OAuth2Token} (its access token, else its refresh token); by
   * default the client's own token.
   *
   * @returns the introspection response (`active`, `scope`, `client_id`, ...)
   * @throws {MissingTokenError} when there is no token to introspect
   * @see https://www.rfc-editor.org/rfc/rfc7662.html#section-2.1
   */
  async introspectToken(
    url?: string,
    options: TokenRequestOptions = {},
  ): Promise<Record<string, unknown>> {
    return introspect(this.ctx, url, options, this.token);
  }

  /**
   * Calls the OpenID Connect UserInfo endpoint with the token (default: the
   * client's). JSON and signed JWT responses are supported; `sub` must match
   * the ID token's.
   * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
   */
  async userinfo(token?: OAuth2Token): Promise<Record<string, unknown>> {
    const endpoint =
      this.options.userinfoEndpoint ?? (await this.ctx.discovered('userinfo_endpoint'));
    if (!endpoint) throw missingEndpoint('userinfo');
    const active = await this.ensureActiveToken(token ?? this.token);
    const sub = active.userinfo?.sub;
    return callUserinfo(this.ctx, active.access_token, typeof sub === 'string' ? sub : undefined);
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
    await this.ctx.loadIfDiscovered();
    return checkIdToken(this.ctx, idToken, options);
  }

  private refresh(
    url: string | undefined,
    options: RefreshTokenOptions,
    previous: OAuth2Token | undefined,
  ): Promise<OAuth2Token> {
    return refreshToken(this.ctx, url, options, previous, (token, used) =>
      this.adopt(previous, token, used),
    );
  }

  /** Only the client's own token is replaced: a token passed per request belongs to its caller. */
  private adopt(previous: OAuth2Token | undefined, token: OAuth2Token, used: string): void {
    if (
      !this.options.stateless &&
      (previous === this.token || this.token?.refresh_token === used)
    ) {
      this.token = token;
    }
  }
}
