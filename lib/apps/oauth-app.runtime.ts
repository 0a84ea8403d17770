import { MissingTokenError } from '../core/errors.js';
import type { FetchLike } from '../core/http/fetcher.js';
import { HttpVerbs } from '../core/http/http-verbs.js';
import type { OAuth2Token } from '../core/token.js';
import { currentRequest } from '../context/request-context.js';
import type { ResolvedClientOptions } from '../config/resolve-client-options.js';
import type {
  OAuthAnyToken,
  OAuthTokenUpdateContext,
} from '../interfaces/oauth-client-options.interface.js';
import type { OAuthTokenUpdatedEvent } from '../events/oauth.events.js';

/**
 * What the registry shares with every app: the module-level callbacks and
 * transport, and the event publisher.
 */
export interface OAuthAppRuntime {
  /** Module-level `fetchToken`. */
  fetchToken?: (name: string, request: any) => unknown;
  /** Module-level `updateToken`. */
  updateToken?: (
    name: string,
    token: OAuth2Token,
    context: OAuthTokenUpdateContext,
    request?: any,
  ) => void | Promise<void>;
  /** Publishes `oauth.token.updated` (a no-op without `EventEmitterModule`). */
  publishTokenUpdated?: (event: OAuthTokenUpdatedEvent) => void;
  /** Module-level `fetch`. */
  fetch?: FetchLike;
  /** Module-level timeout (ms). */
  timeout?: number;
}

/**
 * Shared behaviour of {@link OAuth2App} and {@link OAuth1App}: URL
 * resolution against `apiBaseUrl` and token lookup for the current request.
 */
export abstract class OAuthAppBase<
  TToken extends OAuthAnyToken,
  Init extends RequestInit = RequestInit,
> extends HttpVerbs<Init> {
  /** The client's name. */
  readonly name: string;

  protected constructor(
    /** The resolved options of this client. */
    readonly options: ResolvedClientOptions,
    /**
     * The registry's module-level callbacks and transport.
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
   * The token for an API call: `given` when there is one, else what
   * `fetchToken` (per client, else module-level) returns for the request
   * being served.
   *
   * @throws {MissingTokenError} when there is no request being served, no
   *   `fetchToken`, or it found no token
   */
  async resolveToken(given?: TToken | null): Promise<TToken> {
    if (given) return given;
    const request = currentRequest();
    if (request === undefined) throw this.missingToken('no request is being served');
    let token: unknown;
    if (this.options.fetchToken) token = await this.options.fetchToken(request);
    else if (this.runtime.fetchToken) token = await this.runtime.fetchToken(this.name, request);
    else throw this.missingToken('no fetchToken is configured');
    if (!token || typeof token !== 'object') throw this.missingToken('fetchToken found none');
    return token as TToken;
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
