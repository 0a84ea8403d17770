import { HttpVerbs, MissingTokenError, type FetchLike } from '../core/index.js';
import type { ResolvedClientOptions } from '../config/resolve-client-options.js';
import { currentRequest } from '../context/request-context.js';
import { getRequestToken } from '../context/request-tokens.js';
import { OAuthOriginNotAllowedError } from '../errors/origin-not-allowed.error.js';
import type { OAuthAnyToken } from '../interfaces/oauth-client-options.interface.js';
import type { OAuthAppRuntime } from './oauth-app-runtime.interface.js';

/**
 * Shared behaviour of {@link OAuth2App} and {@link OAuth1App}: URL resolution
 * against `apiBaseUrl`, the origins the user's token may go to, and the
 * token lookup for the request being served.
 *
 * @internal
 */
export abstract class OAuthAppBase<
  TToken extends OAuthAnyToken,
  Init extends RequestInit & { token?: TToken | null } = RequestInit & { token?: TToken | null },
> extends HttpVerbs<Init> {
  /** The client's name. */
  readonly name: string;

  protected constructor(
    /** The resolved options of this client. */
    readonly options: ResolvedClientOptions,
    /**
     * The module-level callbacks and transport.
     * @internal
     */
    protected readonly runtime: OAuthAppRuntime,
  ) {
    super();
    this.name = options.name;
  }

  /**
   * Resolves `url` against `apiBaseUrl`: an absolute http(s) URL is kept; a
   * relative one is appended to the base (`/user` on `https://api.x/v1` gives
   * `https://api.x/v1/user`).
   *
   * @param url - absolute, or relative to `apiBaseUrl`
   * @returns the absolute URL
   * @throws {TypeError} `OAUTH_NO_API_BASE_URL` for a relative URL without `apiBaseUrl`
   */
  resolveUrl(url: string): string {
    if (/^https?:\/\//i.test(url)) return url;
    const base = this.options.apiBaseUrl;
    if (!base) {
      throw Object.assign(
        new TypeError(`OAuth client "${this.name}" has no apiBaseUrl to resolve a relative URL`),
        { code: 'OAUTH_NO_API_BASE_URL' },
      );
    }
    return `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
  }

  /**
   * The token for an API call: `given` when there is one; else the token
   * this request just obtained (the callback) or refreshed; else what
   * `fetchToken` (per client, else module-level) returns for the request
   * being served.
   *
   * @param given - a token passed by the caller
   * @returns the token to use
   * @throws {MissingTokenError} when there is no request being served, no
   *   `fetchToken`, or it found no token
   */
  async resolveToken(given?: TToken | null): Promise<TToken> {
    return (await this.findToken(given)).token;
  }

  /**
   * {@link resolveToken}, and how to read the token again: `reload` is set
   * when it came from `fetchToken` (it calls `fetchToken` again for the same
   * request), so a refresh under a cross-instance lock can take a token
   * another instance has saved meanwhile.
   *
   * @param given - a token passed by the caller
   * @internal
   */
  protected async findToken(
    given?: TToken | null,
  ): Promise<{ token: TToken; reload?: () => Promise<TToken | undefined> }> {
    if (given) return { token: given };
    const request = currentRequest();
    if (request === undefined) throw this.missingToken('no request is being served');
    const kept = getRequestToken(request, this.name);
    if (kept) return { token: kept as TToken };
    if (!this.options.fetchToken && !this.runtime.fetchToken) {
      throw this.missingToken('no fetchToken is configured');
    }
    const reload = () => this.fetchSavedToken(request);
    const token = await reload();
    if (!token) throw this.missingToken('fetchToken found none');
    return { token, reload };
  }

  /** What `fetchToken` (per client, else module-level) returns for `request`; `undefined` for none. */
  private async fetchSavedToken(request: unknown): Promise<TToken | undefined> {
    const token = this.options.fetchToken
      ? await this.options.fetchToken(request)
      : await this.runtime.fetchToken?.(this.name, request);
    return token && typeof token === 'object' ? (token as TToken) : undefined;
  }

  /**
   * Whether the user's token may be sent to `url`: its origin is
   * `apiBaseUrl`'s, one of the provider's endpoints', or in `allowedOrigins`.
   *
   * @param url - an absolute URL
   */
  mayReceiveToken(url: string): boolean {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return false;
    }
    return this.tokenOrigins().has(origin);
  }

  /**
   * Refuses, before anything is sent, a request that would carry the user's
   * token (found by the client, not passed as `init.token`) to another origin.
   *
   * @throws {OAuthOriginNotAllowedError} when `url`'s origin may not receive it
   */
  protected assertTokenOrigin(url: string): void {
    if (this.mayReceiveToken(url)) return;
    let origin = 'an invalid URL';
    try {
      origin = new URL(url).origin;
    } catch {
      // keep the placeholder
    }
    throw new OAuthOriginNotAllowedError(this.name, origin);
  }

  /** The URLs of the provider's own endpoints this client knows (configured or discovered). */
  protected providerUrls(): (string | undefined)[] {
    const o = this.options;
    return [
      o.requestTokenUrl,
      o.accessTokenUrl,
      o.refreshTokenUrl,
      o.authorizeUrl,
      o.serverMetadataUrl,
    ];
  }

  private tokenOrigins(): Set<string> {
    const urls = [
      this.options.apiBaseUrl,
      ...this.providerUrls(),
      ...(this.options.allowedOrigins ?? []),
    ];
    if (this.options.userinfoEndpoint) {
      try {
        urls.push(this.resolveUrl(this.options.userinfoEndpoint));
      } catch {
        // a relative endpoint without apiBaseUrl is refused at start-up
      }
    }
    const origins = new Set<string>();
    for (const url of urls) {
      if (!url) continue;
      try {
        origins.add(new URL(url).origin);
      } catch {
        // not a URL: nothing to allow
      }
    }
    return origins;
  }

  /** The `fetch` and timeout of this client (client options, else module options). */
  protected get http(): {
    /** The `fetch` to use (client option, else module option; else the platform's). */
    fetch?: FetchLike;
    /** The per-request timeout in milliseconds (client option, else module option). */
    timeout?: number;
  } {
    return {
      fetch: this.options.fetch ?? this.runtime.fetch,
      timeout: this.options.timeout ?? this.runtime.timeout,
    };
  }

  private missingToken(reason: string): MissingTokenError {
    return new MissingTokenError({
      message: `no access token for OAuth client "${this.name}": ${reason}; pass init.token`,
    });
  }
}
