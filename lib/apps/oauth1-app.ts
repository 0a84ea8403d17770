import {
  OAuth1Client,
  describeEndpoint,
  readOAuthResponse,
  sendRequest,
  type OAuth1ClientOptions,
  type OAuth1RequestInit,
  type OAuth1Token,
} from '../core/index.js';
import type { ResolvedClientOptions } from '../config/resolve-client-options.js';
import { runProfileMapper } from '../presets/profile-context.js';
import { OAuthAppBase } from './oauth-app.base.js';
import type { OAuthAppRuntime } from './oauth-app-runtime.interface.js';

/**
 * An OAuth 1.0a client as injected by `@OAuthClient(name)`: signed API calls
 * that find the current user's token credentials by themselves, and the
 * three-legged login steps (a fresh core client per step, since a core client
 * keeps per-flow state).
 *
 * @example
 * ```ts
 * constructor(@OAuthClient('twitter') private readonly twitter: OAuth1App) {}
 * timeline() { return this.twitter.get('statuses/home_timeline.json').then((r) => r.json()); }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html
 */
export class OAuth1App extends OAuthAppBase<OAuth1Token, OAuth1RequestInit> {
  /** Always `'oauth1'`. */
  readonly kind = 'oauth1' as const;
  /** The shared core client for API calls (signs with the token passed per request). */
  readonly client: OAuth1Client;

  /**
   * Built by the module (one per client); inject it with `@OAuthClient(name)`.
   *
   * @param options - the resolved client options (with `requestTokenUrl`)
   * @param runtime - module-level callbacks and transport
   * @internal
   */
  constructor(options: ResolvedClientOptions, runtime: OAuthAppRuntime = {}) {
    super(options, runtime);
    this.client = this.createClient();
  }

  /**
   * A new core client with this client's credentials and settings (and
   * `complianceFix` applied): one per login step.
   *
   * @param extra - e.g. `redirectUri` for the request-token step
   */
  createClient(extra: Partial<OAuth1ClientOptions> = {}): OAuth1Client {
    // Checked at start-up: only signatureMethod, signatureType, rsaKey, realm, fetch, timeout.
    const kwargs = (this.options.clientKwargs ?? {}) as Partial<OAuth1ClientOptions>;
    const http = this.http;
    const client = new OAuth1Client({
      ...kwargs,
      clientId: this.options.clientId,
      clientSecret: this.options.clientSecret,
      fetch: kwargs.fetch ?? http.fetch,
      timeout: kwargs.timeout ?? http.timeout,
      ...extra,
    });
    this.options.complianceFix?.(client, { timeout: kwargs.timeout ?? http.timeout });
    return client;
  }

  /**
   * Step 1 and 2 of the flow: obtains a request token (with
   * `requestTokenParams`) and builds the authorization URL (with
   * `authorizeParams`, then `params`).
   *
   * @param redirectUri - the absolute callback URL (`oauth_callback`)
   * @param params - more parameters for the authorization URL (this login's)
   * @returns the URL to redirect to and the request token to keep
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.1
   */
  async createAuthorizationUrl(
    redirectUri?: string,
    params: Record<string, unknown> = {},
  ): Promise<{
    /** The authorization URL to redirect the user to, with `oauth_token` set. */
    url: string;
    /** The request token (temporary credentials, RFC 5849 §2.1): keep it for the callback. */
    requestToken: OAuth1Token;
  }> {
    const client = this.createClient(redirectUri ? { redirectUri } : {});
    const requestToken = await client.fetchRequestToken(
      this.options.requestTokenUrl as string,
      stringParams(this.options.requestTokenParams),
    );
    const url = client.createAuthorizationUrl(this.options.authorizeUrl as string, {
      ...stringParams(this.options.authorizeParams),
      ...stringParams(params),
      requestToken: requestToken.oauth_token,
    });
    return { url, requestToken };
  }

  /**
   * Step 3: exchanges the request token and the verifier for token
   * credentials. `accessTokenParams` are added to the request's query (and
   * so signed, RFC 5849 §3.4.1.3).
   *
   * @param requestToken - the request token (and secret) of this flow
   * @param verifier - `oauth_verifier` from the callback
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.3
   */
  fetchAccessToken(requestToken: OAuth1Token, verifier: string): Promise<OAuth1Token> {
    const url = new URL(this.options.accessTokenUrl as string);
    for (const [key, value] of Object.entries(stringParams(this.options.accessTokenParams))) {
      url.searchParams.append(key, value);
    }
    return this.createClient().fetchAccessToken(url.href, { token: requestToken, verifier });
  }

  /**
   * The user's profile from `userinfoEndpoint` (a signed GET), raw.
   *
   * @param token - token credentials (default: the current user's)
   * @throws {TypeError} `OAUTH_NO_USERINFO_ENDPOINT` when none is configured
   */
  async userinfo(token?: OAuth1Token): Promise<Record<string, unknown>> {
    const endpoint = this.options.userinfoEndpoint;
    if (!endpoint) {
      throw Object.assign(new TypeError(`OAuth client "${this.name}" has no userinfoEndpoint`), {
        code: 'OAUTH_NO_USERINFO_ENDPOINT',
      });
    }
    const credentials = await this.resolveToken(token);
    const url = this.resolveUrl(endpoint);
    const response = await this.client.get(url, {
      token: credentials,
      headers: { accept: 'application/json' },
    });
    return readOAuthResponse(response, {
      endpoint: describeEndpoint(url),
      timeout: this.http.timeout ?? 30_000,
      secrets: [credentials.oauth_token, credentials.oauth_token_secret],
    });
  }

  /**
   * The user's profile, normalized: with a `profile` mapping (every preset
   * has one) the standard claims plus `raw`, the `userinfoEndpoint` answer.
   * Further calls the mapping makes are signed with the user's token
   * credentials and go through this client's transport.
   *
   * @param token - token credentials (default: the current user's, via `fetchToken`)
   * @returns the normalized profile (the raw answer when the client has no mapping), or
   *   `undefined` when there is neither an endpoint nor a mapping
   */
  async profile(token?: OAuth1Token): Promise<Record<string, unknown> | undefined> {
    return this.loadUser(await this.resolveToken(token));
  }

  /** The user claims of a fresh login (what `@OAuthUser()` gets): see {@link profile}. */
  async loadUser(token: OAuth1Token): Promise<Record<string, unknown> | undefined> {
    const raw = this.options.userinfoEndpoint ? await this.userinfo(token) : undefined;
    if (!this.options.profile) return raw;
    return runProfileMapper(this.options.profile, raw, token, {
      name: this.name,
      clientId: this.options.clientId,
      timeout: this.http.timeout,
      secrets: [token.oauth_token, token.oauth_token_secret],
      send: (method, url, init, withToken) =>
        withToken
          ? this.client.request(method, url, { ...init, token })
          : sendRequest(url, { ...init, method }, this.http),
    });
  }

  /**
   * Sends a signed request with `init.token`, else the current user's token
   * credentials (via `fetchToken`), which go only to `apiBaseUrl`'s origin,
   * the provider's and `allowedOrigins`.
   *
   * @param method - the HTTP method
   * @param url - absolute, or relative to `apiBaseUrl`
   * @throws {MissingTokenError} when no token is found
   * @throws {OAuthOriginNotAllowedError} when the user's token would go to another origin
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3
   */
  async request(method: string, url: string, init: OAuth1RequestInit = {}): Promise<Response> {
    const target = this.resolveUrl(url);
    // `token: null` signs with the client credentials only (no user's token involved).
    if (init.token === null) return this.client.request(method, target, init);
    if (!init.token) this.assertTokenOrigin(target);
    const token = await this.resolveToken(init.token);
    return this.client.request(method, target, { ...init, token });
  }
}

function stringParams(params: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null) continue;
    out[key] =
      typeof value === 'string'
        ? value
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  }
  return out;
}
