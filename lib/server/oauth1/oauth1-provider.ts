/**
 * OAuth1Provider: an OAuth 1.0a provider (RFC 5849) without a framework, the
 * counterpart of Flask-OAuthlib's `OAuth1Provider`. It reads a
 * {@link ServerRequest} and answers a {@link ServerResponse}; the Nest layer
 * and the plain-Node adapter only translate.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html
 */
import type { ServerRequest, ServerResponse } from '../http/server-request.js';
import {
  decideAuthorization,
  readPendingAuthorization,
  type OAuth1AuthorizationDecision,
  type OAuth1AuthorizationResult,
  type OAuth1PendingAuthorization,
} from './authorization-endpoint.js';
import type { OAuth1ServerStorage } from './oauth1-server-storage.interface.js';
import {
  resolveOAuth1ServerSettings,
  type OAuth1ConfigReader,
  type OAuth1ServerSettings,
  type ResolvedOAuth1ServerSettings,
} from './oauth1-server-settings.js';
import { OAuth1ProviderError, refuse } from './oauth1-provider-error.js';
import {
  createProviderContext,
  generateOAuth1Token,
  type OAuth1TokenGenerator,
  type ProviderContext,
} from './provider-context.js';
import { verifyResourceRequest, type OAuth1RequestAuthorization } from './resource-request.js';
import {
  issueAccessToken,
  issueRequestToken,
  type OAuth1AccessTokenHandler,
} from './token-endpoints.js';

/**
 * Hooks around protected-resource requests, as Flask-OAuthlib's
 * `before_request`, `after_request` and `invalid_response`.
 *
 * @typeParam U - the app's user type
 */
export interface OAuth1ProviderHooks<U = unknown> {
  /** Runs before a protected-resource request is checked. */
  beforeRequest?(request: ServerRequest): void | Promise<void>;
  /**
   * Runs after the check, with its outcome. Returning `false` refuses a valid
   * request (403 `permission_denied`); a refused request stays refused
   * whatever it returns.
   */
  afterRequest?(
    valid: boolean,
    oauth: OAuth1RequestAuthorization<U> | undefined,
    request: ServerRequest,
  ): boolean | void | Promise<boolean | void>;
  /** Builds the response to a refused protected-resource request; nothing keeps the default. */
  invalidResponse?(
    error: OAuth1ProviderError,
    request: ServerRequest,
  ): ServerResponse | void | Promise<ServerResponse | void>;
}

/**
 * Options of {@link OAuth1Provider}: the storage, the settings (each also
 * readable from `config` as `OAUTH1_PROVIDER_*`) and the hooks.
 *
 * @typeParam U - the app's user type
 */
export interface OAuth1ProviderOptions<U = unknown>
  extends OAuth1ServerSettings, OAuth1ProviderHooks<U> {
  /** Where clients, tokens, verifiers and nonces live. */
  storage: OAuth1ServerStorage<U>;
  /** Reads `OAUTH1_PROVIDER_*` settings not given here (`ConfigService.get`, `process.env`). */
  config?: OAuth1ConfigReader;
  /** The clock in epoch seconds (default: the real one). */
  now?: () => number;
  /** Makes token keys, secrets and verifiers (default: CSPRNG, base64url). */
  generateToken?: OAuth1TokenGenerator;
}

/**
 * An OAuth 1.0a provider: the three credential endpoints of RFC 5849 §2 and
 * the verification of signed requests of §3.
 *
 * Every refusal is thrown as an {@link OAuth1ProviderError} whose `response`
 * is ready to send: 400 for a malformed request, an unsupported signature
 * method or a missing or repeated parameter; 401 for an unknown client, a bad
 * token, verifier or signature, a used nonce or a stale timestamp; 403 for a
 * token without the realms a resource needs. Other errors (the storage
 * failing, a stored RSA key that cannot be read) are not the caller's fault
 * and propagate as they are.
 *
 * @typeParam U - the app's user type
 * @example
 * ```ts
 * const provider = new OAuth1Provider({ storage: new InMemoryOAuth1ServerStorage({ clients }) });
 * createServer(async (req, res) => {
 *   const request = await readNodeRequest(req, { origin: 'https://photos.example.net' });
 *   try {
 *     if (request.url.endsWith('/initiate')) return writeNodeResponse(res, await provider.requestToken(request));
 *     // ...
 *   } catch (err) {
 *     if (err instanceof OAuth1ProviderError) return writeNodeResponse(res, err.response);
 *     throw err;
 *   }
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html
 */
export class OAuth1Provider<U = unknown> {
  /** The settings in force. */
  readonly settings: ResolvedOAuth1ServerSettings;
  /** The storage. */
  readonly storage: OAuth1ServerStorage<U>;
  readonly #ctx: ProviderContext<U>;
  readonly #hooks: OAuth1ProviderHooks<U>;

  /**
   * @param options - storage, settings, hooks
   * @throws {TypeError} `ERR_OAUTH1_PROVIDER_SETTING` for a setting that cannot be used,
   *   or when there is no storage
   */
  constructor(options: OAuth1ProviderOptions<U>) {
    if (!options?.storage || typeof options.storage.getClient !== 'function') {
      const error = new TypeError('OAuth1Provider needs a storage (an OAuth1ServerStorage)');
      throw Object.assign(error, { code: 'ERR_OAUTH1_PROVIDER_SETTING' });
    }
    const { storage, config, now, generateToken, beforeRequest, afterRequest, invalidResponse } =
      options;
    this.settings = resolveOAuth1ServerSettings(options, config);
    this.storage = storage;
    this.#hooks = { beforeRequest, afterRequest, invalidResponse };
    this.#ctx = createProviderContext(
      storage,
      this.settings,
      now ?? (() => Math.floor(Date.now() / 1000)),
      generateToken ?? generateOAuth1Token,
    );
  }

  /**
   * The temporary credentials endpoint (RFC 5849 §2.1): a request signed with
   * the client credentials, carrying `oauth_callback` (`oob` or one of the
   * client's registered callbacks). Realms may be asked for in the header's
   * `realm` (space-separated); otherwise the client's `defaultRealms` apply.
   *
   * @param request - the request
   * @returns 200 `oauth_token=...&oauth_token_secret=...&oauth_callback_confirmed=true`
   * @throws {OAuth1ProviderError} a refusal, with its response
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.1
   */
  requestToken(request: ServerRequest): Promise<ServerResponse> {
    return issueRequestToken(this.#ctx, request);
  }

  /**
   * The authorization endpoint, first half (RFC 5849 §2.2): reads the
   * request token named by `oauth_token` (query, or form body) for the
   * consent page. Unknown, used or expired tokens are refused, with a
   * response that goes to `errorUri` when it is set.
   *
   * @param request - the resource owner's request
   * @returns what the consent page needs
   * @throws {OAuth1ProviderError} a refusal, with its response
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.2
   */
  authorizationRequest(request: ServerRequest): Promise<OAuth1PendingAuthorization> {
    return readPendingAuthorization(this.#ctx, request);
  }

  /**
   * The authorization endpoint, second half: applies the resource owner's
   * decision on the request token named by `oauth_token`. Approval issues a
   * verifier bound to that token and sends the resource owner to the callback
   * with `oauth_token` and `oauth_verifier` (or, for `oob` without a
   * registered `defaultRedirectUri`, shows the verifier). Denial spends the
   * request token and sends `denied=<oauth_token>` to the callback.
   * Protect the form that posts the decision against CSRF.
   *
   * @param request - the resource owner's request (the consent form's POST)
   * @param decision - `false` to deny, or `{ user, realms? }`
   * @returns the response and what was decided
   * @throws {OAuth1ProviderError} a refusal, with its response
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.2
   */
  authorize(
    request: ServerRequest,
    decision: OAuth1AuthorizationDecision<U>,
  ): Promise<OAuth1AuthorizationResult> {
    return decideAuthorization(this.#ctx, request, decision);
  }

  /**
   * The token credentials endpoint (RFC 5849 §2.3): a request signed with the
   * client credentials and the authorized request token, carrying the
   * `oauth_verifier` issued for it. The request token works once.
   *
   * @param request - the request
   * @param handler - adds fields to the response (`user_id`, ...), as Flask-OAuthlib's
   *   `access_token_handler`
   * @returns 200 `oauth_token=...&oauth_token_secret=...` and the handler's fields
   * @throws {OAuth1ProviderError} a refusal, with its response
   * @throws {TypeError} when the handler returns something else than flat fields,
   *   or tries to set `oauth_token` or `oauth_token_secret`
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.3
   */
  accessToken(
    request: ServerRequest,
    handler?: OAuth1AccessTokenHandler<U>,
  ): Promise<ServerResponse> {
    return issueAccessToken(this.#ctx, request, handler);
  }

  /**
   * Verifies a protected-resource request (RFC 5849 §3): signed with the
   * client credentials and token credentials whose realms include every one
   * of `realms`. Runs the `beforeRequest`, `afterRequest` and
   * `invalidResponse` hooks.
   *
   * @param request - the request
   * @param realms - the realms the resource requires (none by default)
   * @returns the client, the resource owner, the token's realms and its record
   * @throws {OAuth1ProviderError} a refusal, with its response (or the `invalidResponse` hook's)
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.2
   */
  async verifyRequest(
    request: ServerRequest,
    realms: readonly string[] = [],
  ): Promise<OAuth1RequestAuthorization<U>> {
    const hooks = this.#hooks;
    await hooks.beforeRequest?.(request);
    let oauth: OAuth1RequestAuthorization<U> | undefined;
    let error: OAuth1ProviderError | undefined;
    try {
      oauth = await verifyResourceRequest(this.#ctx, request, realms);
    } catch (err) {
      if (!(err instanceof OAuth1ProviderError)) throw err;
      error = err;
    }
    if (hooks.afterRequest) {
      const verdict = await hooks.afterRequest(oauth !== undefined, oauth, request);
      if (verdict === false && oauth !== undefined) error = refuse.permission();
    }
    if (error === undefined) return oauth!;
    const custom = await hooks.invalidResponse?.(error, request);
    if (custom) error.response = custom;
    throw error;
  }
}
