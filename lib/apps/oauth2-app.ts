import {
  OAuth2Client,
  describeEndpoint,
  readOAuthResponse,
  type AuthorizationServerMetadata,
  type AuthorizationUrl,
  type AuthorizationUrlOptions,
  type EnsureActiveTokenOptions,
  type FetchTokenOptions,
  type OAuth2ClientOptions,
  type OAuth2RequestInit,
  type OAuth2Token,
  type RefreshLockFunction,
} from '../core/index.js';
import { OAuthConfigError } from '../errors/oauth-config.error.js';
import type { ResolvedClientOptions } from '../config/resolve-client-options.js';
import { currentRequest } from '../context/request-context.js';
import { runProfileMapper } from '../presets/profile-context.js';
import { getRequestToken, setRequestToken } from '../context/request-tokens.js';
import { OAuthTokenUpdatedEvent } from '../events/oauth.events.js';
import type { OAuthTokenUpdateContext } from '../interfaces/oauth-client-options.interface.js';
import { OAuthAppBase } from './oauth-app.base.js';
import type { OAuthAppRuntime } from './oauth-app-runtime.interface.js';

/**
 * An OAuth 2 / OpenID Connect client as injected by `@OAuthClient(name)`:
 * one shared {@link OAuth2Client} (built once, so discovery and keys are
 * cached), API calls that find the current user's token by themselves, and
 * refreshes reported to `updateToken` and as `oauth.token.updated`.
 *
 * @example
 * ```ts
 * @Injectable()
 * class Repos {
 *   constructor(@OAuthClient('github') private readonly github: OAuth2App) {}
 *   list() { return this.github.get('user/repos').then((r) => r.json()); }
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html
 */
export class OAuth2App extends OAuthAppBase<OAuth2Token, OAuth2RequestInit> {
  /** Always `'oauth2'`. */
  readonly kind = 'oauth2' as const;
  /** The shared core client (no per-user token is ever stored on it). */
  readonly client: OAuth2Client;
  /** The authorization response of each login, by the token it produced (for `profile`). */
  private readonly loginResponses = new WeakMap<OAuth2Token, URLSearchParams>();
  /** The cross-instance refresh lock (`clientKwargs.refreshLock`, else the module's Redis store's). */
  private readonly refreshLock?: RefreshLockFunction;

  /**
   * Built by the module (one per client); inject it with `@OAuthClient(name)`.
   *
   * @param options - the resolved client options
   * @param runtime - module-level callbacks and transport
   * @internal
   */
  constructor(options: ResolvedClientOptions, runtime: OAuthAppRuntime = {}) {
    super(options, runtime);
    // Checked at start-up: only keys the core client takes and the module does not set.
    const { refreshLock, ...kwargs }: Record<string, unknown> = { ...(options.clientKwargs ?? {}) };
    if (refreshLock !== undefined && typeof refreshLock !== 'function') {
      throw new OAuthConfigError(
        `OAuth client "${options.name}": clientKwargs.refreshLock must be a function`,
        `clients.${options.name}.clientKwargs.refreshLock`,
      );
    }
    // Given per call, with the reader of the token it locks (the client is shared by every user).
    this.refreshLock =
      (refreshLock as RefreshLockFunction | undefined) ?? runtime.refreshLock?.(options.name);
    const http = this.http;
    const clientOptions: OAuth2ClientOptions = {
      ...(kwargs as OAuth2ClientOptions),
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      tokenEndpoint: options.accessTokenUrl,
      refreshTokenEndpoint: options.refreshTokenUrl,
      authorizationEndpoint: options.authorizeUrl,
      serverMetadataUrl: options.serverMetadataUrl,
      refreshTokenParams: options.refreshTokenParams,
      stateless: true,
      fetch: (kwargs.fetch as OAuth2ClientOptions['fetch']) ?? http.fetch,
      timeout: (kwargs.timeout as number | undefined) ?? http.timeout,
      updateToken: (token, context) => this.onTokenUpdated(token, context),
    };
    if (options.codeChallengeMethod !== undefined) {
      clientOptions.codeChallengeMethod = options.codeChallengeMethod;
    }
    this.client = new OAuth2Client(clientOptions);
    options.complianceFix?.(this.client, { timeout: clientOptions.timeout });
  }

  /** Whether this client uses OpenID Connect discovery. */
  get usesDiscovery(): boolean {
    return Boolean(this.options.serverMetadataUrl);
  }

  /**
   * Loads (once, then cached by the core client) the provider's metadata.
   * @throws {TypeError} when no `serverMetadataUrl` is configured
   * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
   */
  loadServerMetadata(): Promise<AuthorizationServerMetadata> {
    return this.client.loadServerMetadata();
  }

  /**
   * Builds the authorization URL (with `authorizeParams`, a CSPRNG state,
   * PKCE and, for `openid`, a nonce). Loads the metadata first when needed.
   *
   * @param options - `redirectUri`, `scope`, extra query parameters
   * @returns the URL and the `state`, `codeVerifier`, `nonce` to keep
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
   */
  async createAuthorizationUrl(options: AuthorizationUrlOptions = {}): Promise<AuthorizationUrl> {
    if (this.usesDiscovery && !this.options.authorizeUrl) await this.loadServerMetadata();
    return this.client.createAuthorizationUrl(this.options.authorizeUrl, {
      ...(this.options.authorizeParams ?? {}),
      ...options,
    });
  }

  /**
   * Exchanges an authorization code (or runs another grant) at
   * `accessTokenUrl` (else the discovered token endpoint), with
   * `accessTokenParams`; an ID token is validated.
   *
   * @throws {OAuthError} the provider's error (`invalid_grant`, ...)
   * @throws {InvalidTokenError} when the ID token is not valid
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.3
   */
  async fetchToken(params: FetchTokenOptions = {}): Promise<OAuth2Token> {
    const token = await this.client.fetchToken(this.options.accessTokenUrl, {
      ...(this.options.accessTokenParams ?? {}),
      ...params,
    });
    if (params.authorizationResponse !== undefined) {
      const url = new URL(params.authorizationResponse, 'http://localhost');
      this.loginResponses.set(token, new URLSearchParams(url.search));
    }
    return token;
  }

  /**
   * Returns a token valid for at least `leeway` seconds: `token` (else the
   * current user's, via `fetchToken`), refreshed when needed.
   *
   * With a cross-instance refresh lock (the module's `cache` is Redis), the
   * refresh of a token found through `fetchToken` happens under the lock,
   * and `fetchToken` is asked again inside it, so a token another instance
   * has just refreshed is taken instead of refreshed twice. A `token` passed
   * here is refreshed under the lock only with `options.reloadToken` (how to
   * read it again); without, in this process only.
   *
   * @param token - the token (default: the current user's, via `fetchToken`)
   * @param options - `reloadToken` for a `token` passed here
   * @throws {MissingTokenError} when there is no token
   * @throws {TokenExpiredError} when it has expired and cannot be refreshed
   * @throws {RedisUnavailableError} when the lock's Redis cannot be reached (no refresh without it)
   * @throws {RedisLockTimeoutError} when another instance held the lock too long
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
   */
  async ensureActiveToken(
    token?: OAuth2Token,
    options: EnsureActiveTokenOptions = {},
  ): Promise<OAuth2Token> {
    const found = await this.findToken(token);
    return this.client.ensureActiveToken(found.token, this.lockOptions(options, found.reload));
  }

  /**
   * The user's profile: the `userinfoEndpoint` configured for this client
   * (resolved against `apiBaseUrl`), else the OpenID Connect UserInfo endpoint.
   * Raw, not mapped through `profile`.
   *
   * @param token - the token (default: the current user's, via `fetchToken`)
   * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
   */
  async userinfo(token?: OAuth2Token): Promise<Record<string, unknown>> {
    const active = await this.ensureActiveToken(token);
    const endpoint = this.options.userinfoEndpoint;
    if (!endpoint) return this.client.userinfo(active);
    const url = this.resolveUrl(endpoint);
    const response = await this.client.get(url, {
      token: active,
      headers: { accept: 'application/json' },
    });
    return readOAuthResponse(response, {
      endpoint: describeEndpoint(url),
      timeout: this.http.timeout ?? 30_000,
      secrets: [active.access_token],
    });
  }

  /**
   * The user's profile, normalized: with a `profile` mapping (every preset
   * has one) the standard claims (`sub`, `name`, `email`, `email_verified`,
   * `picture`, `preferred_username`, `profile`) plus `raw`, the provider's
   * own JSON. The source is the validated ID token's claims, merged with the
   * UserInfo answer when the ID token lacks what the scope asked for
   * (`email`, `profile`); else the `userinfoEndpoint` answer. Every further
   * call the mapping makes goes through this client's transport.
   *
   * @param token - the token (default: the current user's, via `fetchToken`); refreshed when needed
   * @returns the normalized profile (the raw claims when the client has no mapping), or
   *   `undefined` when there is no source at all
   * @throws {InvalidTokenError} (`sub`) when UserInfo names another user than the ID token
   * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse
   */
  async profile(token?: OAuth2Token): Promise<Record<string, unknown> | undefined> {
    return this.loadUser(await this.ensureActiveToken(token));
  }

  /**
   * The user claims of a fresh login (what `@OAuthUser()` gets): see {@link profile}.
   *
   * @returns the claims, or `undefined` when there is no source
   */
  async loadUser(token: OAuth2Token): Promise<Record<string, unknown> | undefined> {
    // OpenID Connect: the validated ID token's claims, which the core client
    // already merged with UserInfo per its `userinfo` option ('auto' by default:
    // when the scope asks for claims the ID token lacks; `sub` checked).
    // Plain OAuth 2: the profile endpoint's answer.
    const raw = token.userinfo ?? (await this.readProfileEndpoint(token));
    if (!this.options.profile) return raw;
    return runProfileMapper(this.options.profile, raw, token, {
      name: this.name,
      clientId: this.options.clientId,
      timeout: this.http.timeout,
      secrets: [token.access_token, token.refresh_token],
      authorizationResponse: this.loginResponses.get(token),
      send: (method, url, init, withToken) =>
        this.client.request(method, url, withToken ? { ...init, token } : { ...init, withToken }),
    });
  }

  /** The `userinfoEndpoint` (configured or discovered) for a token without ID-token claims. */
  private async readProfileEndpoint(
    token: OAuth2Token,
  ): Promise<Record<string, unknown> | undefined> {
    if (this.usesDiscovery && !this.options.userinfoEndpoint) await this.loadServerMetadata();
    if (!(this.options.userinfoEndpoint || this.client.serverMetadata?.userinfo_endpoint)) {
      return undefined;
    }
    return this.userinfo(token);
  }

  /**
   * Sends a request to the API with the bearer token (`init.token`, else the
   * current user's), refreshing it first when it has expired. The user's token
   * goes only to `apiBaseUrl`'s origin, the provider's endpoints and
   * `allowedOrigins`.
   *
   * @param method - the HTTP method
   * @param url - absolute, or relative to `apiBaseUrl`
   * @param init - fetch options, plus `token`
   * @throws {MissingTokenError} when no token is found
   * @throws {OAuthOriginNotAllowedError} when the user's token would go to another origin
   * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-2.1
   */
  async request(method: string, url: string, init: OAuth2RequestInit = {}): Promise<Response> {
    const target = this.resolveUrl(url);
    if (init.withToken === false) return this.client.request(method, target, init);
    // The user's token goes only where it belongs; a token passed by the caller goes where told.
    if (!init.token) this.assertTokenOrigin(target);
    const found = await this.findToken(init.token);
    return this.client.request(method, target, {
      ...init,
      token: found.token,
      ...this.lockOptions(init, found.reload),
    });
  }

  /**
   * The lock and reader of one call: the caller's, else the module's lock
   * with `fetchToken` as the reader for a token found through it. No reader,
   * no lock: a token nobody can read again is refreshed in this process only.
   */
  private lockOptions(
    given: EnsureActiveTokenOptions,
    reload: (() => Promise<OAuth2Token | undefined>) | undefined,
  ): EnsureActiveTokenOptions {
    const reloadToken = given.reloadToken ?? reload;
    const refreshLock = given.refreshLock ?? this.refreshLock;
    return reloadToken && refreshLock ? { reloadToken, refreshLock } : {};
  }

  /** The provider's endpoints: configured, and discovered once the metadata is loaded. */
  protected override providerUrls(): (string | undefined)[] {
    const m = this.client.serverMetadata;
    return [
      ...super.providerUrls(),
      m?.issuer,
      m?.authorization_endpoint,
      m?.token_endpoint,
      m?.userinfo_endpoint,
      m?.revocation_endpoint,
      m?.introspection_endpoint,
    ];
  }

  private async onTokenUpdated(
    token: OAuth2Token,
    context: OAuthTokenUpdateContext,
  ): Promise<void> {
    const request = currentRequest();
    // A token this request holds (just obtained) is replaced for the rest of it; another
    // user's token refreshed here (passed as init.token) is not this request's.
    const kept = getRequestToken(request, this.name) as OAuth2Token | undefined;
    if (kept && kept.access_token === context.accessToken)
      setRequestToken(request, this.name, token);
    if (this.options.updateToken) await this.options.updateToken(token, context, request);
    else await this.runtime.updateToken?.(this.name, token, context, request);
    this.runtime.publishTokenUpdated?.(
      new OAuthTokenUpdatedEvent(
        this.name,
        token,
        context.refreshToken,
        context.accessToken,
        request,
      ),
    );
  }
}
