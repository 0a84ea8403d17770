import { Inject, Injectable, NotFoundException, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OAuthError, type OAuth1Token, type OAuth2Token } from '../core/index.js';
import type { OAuth1App } from '../apps/oauth1-app.js';
import type { OAuth2App } from '../apps/oauth2-app.js';
import type { OAuthApp } from '../apps/oauth-app.type.js';
import { setOAuthCallbackResult } from '../context/callback-result.js';
import type { OAuthCallbackResult } from '../decorators/oauth-result.decorators.js';
import { setRequestToken } from '../context/request-tokens.js';
import { InvalidStateError } from '../errors/invalid-state.error.js';
import { OAuthConfigError } from '../errors/oauth-config.error.js';
import { OAuthException } from '../errors/oauth.exception.js';
import { toHttpException } from '../errors/to-http-exception.js';
import { OAUTH_LOGIN_EVENT, OAuthLoginEvent } from '../events/oauth.events.js';
import { HttpExchange } from '../http/http-exchange.js';
import type { OAuthAuthorizeParams } from '../interfaces/oauth-login-options.interface.js';
import { OAuthRegistry } from '../oauth.registry.js';
import { flowCookiePath } from '../state/cookies.js';
import type { OAuthStateData, StateCookieOptions } from '../state/state-store.interface.js';
import { sanitizeReturnTo } from '../utils/return-to.util.js';
import { checkAuthorizeParams } from './authorize-params.js';

/**
 * The login and callback steps behind `OAuthLoginGuard` and
 * `OAuthCallbackGuard`, over Nest's HTTP adapter (Express and Fastify alike).
 * The guards decide which client and which parameters; this service runs the
 * protocol and keeps the state.
 *
 * @internal
 */
@Injectable()
export class OAuthFlowService {
  /** `origin + ' ' + configured path` → absolute redirect URI (a `new URL` per login otherwise). */
  private readonly resolvedRedirectUris = new Map<string, string>();

  constructor(
    @Inject(OAuthRegistry) private readonly registry: OAuthRegistry,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Start-up check of a guard's static client name (none: the route parameter, checked per request).
   *
   * @throws {OAuthConfigError} naming the guard and the registered clients
   */
  assertRegistered(name: string | undefined, guard: string): void {
    if (name === undefined || this.registry.get(name)) return;
    const registered = [...this.registry.apps.keys()].join(', ') || 'none';
    throw new OAuthConfigError(
      `${guard}('${String(name).slice(0, 64)}') names an OAuth client that is not registered (registered: ${registered})`,
      `clients.${name}`,
    );
  }

  /** A guard's client: its static name, else the `:provider` route parameter, if any. */
  clientName(context: ExecutionContext, name: string | undefined): string | undefined {
    if (name !== undefined) return name;
    const value = context.switchToHttp().getRequest()?.params?.provider;
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * The client registered as `name`.
   *
   * @throws {NotFoundException} when there is none (a route parameter naming no client)
   */
  client(name: string | undefined): OAuthApp {
    const app = name === undefined ? undefined : this.registry.get(name);
    if (!app) throw new NotFoundException('Unknown OAuth client');
    return app;
  }

  /** The query of the request, parsed from the raw URL (the same on Express and Fastify). */
  query(context: ExecutionContext): URLSearchParams {
    return new HttpExchange(context, this.adapterHost).query();
  }

  /** The module's `authorizeParams(name, request)` hook's answer, checked. */
  async moduleAuthorizeParams(name: string, request: unknown): Promise<OAuthAuthorizeParams> {
    const hook = this.registry.options.authorizeParams;
    if (!hook) return {};
    return checkAuthorizeParams(await hook(name, request), 'OAuthModule authorizeParams()');
  }

  /**
   * Starts a login: saves the flow's state (cookie or cache) and puts the
   * redirect to the provider on the response (`Location`, no-store).
   *
   * @param context - the login request
   * @param app - the client
   * @param params - this login's authorization parameters (checked)
   * @returns the authorization URL
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
   */
  async startLogin(
    context: ExecutionContext,
    app: OAuthApp,
    params: OAuthAuthorizeParams,
  ): Promise<string> {
    const http = new HttpExchange(context, this.adapterHost);
    const { redirectUri: perLogin, ...extra } = checkAuthorizeParams(
      params,
      'authorize parameters',
    );
    const returnTo = sanitizeReturnTo(http.query().get('returnTo') ?? undefined);
    const configured = (perLogin as string | undefined) ?? app.options.redirectUri;
    const redirectUri = this.redirectUri(configured, http);
    const cookie = this.cookieOptions(app, http, configured);
    let url: string;
    let data: OAuthStateData;
    if (app.kind === 'oauth2') {
      const auth = await app.createAuthorizationUrl({
        ...extra,
        ...(redirectUri ? { redirectUri } : {}),
      });
      url = auth.url;
      data = {
        name: app.name,
        state: auth.state,
        codeVerifier: auth.codeVerifier,
        nonce: auth.nonce,
        maxAge: auth.maxAge,
        redirectUri,
        returnTo,
      };
    } else {
      const auth = await app.createAuthorizationUrl(redirectUri, extra);
      url = auth.url;
      data = { name: app.name, state: auth.requestToken.oauth_token, redirectUri, returnTo };
      if (app.options.saveRequestToken) {
        await app.options.saveRequestToken(auth.requestToken, http.request);
      } else {
        data.requestToken = {
          oauth_token: auth.requestToken.oauth_token,
          oauth_token_secret: auth.requestToken.oauth_token_secret,
        };
      }
    }
    await this.registry.stateStore.save(http, stripUndefined(data), cookie);
    http.prepareRedirect(url);
    return url;
  }

  /**
   * Completes a login: checks the state, exchanges the code (or verifier),
   * loads the user, attaches the result to the request (and keeps its token
   * for the rest of the request), publishes `oauth.login`.
   *
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2
   */
  async completeLogin(context: ExecutionContext, app: OAuthApp): Promise<OAuthCallbackResult> {
    const http = new HttpExchange(context, this.adapterHost);
    const result =
      app.kind === 'oauth2' ? await this.callback2(app, http) : await this.callback1(app, http);
    setOAuthCallbackResult(http.request, result);
    setRequestToken(http.request, app.name, result.token);
    this.registry.events.publish(
      OAUTH_LOGIN_EVENT,
      new OAuthLoginEvent(app.name, result.token, result.userinfo, http.request),
    );
    return result;
  }

  /**
   * Maps a failure of a login step to an HTTP exception (`toHttpException`)
   * and logs it (warn) with the client name and error code only.
   *
   * @returns what the guard throws
   */
  toException(name: string, step: 'login' | 'callback', err: unknown): unknown {
    const mapped = toHttpException(err);
    if (mapped instanceof OAuthException) {
      this.registry.logger.warn(
        `OAuth ${step} for "${name}" failed: ${mapped.error} (${mapped.getStatus()})`,
      );
    }
    return mapped;
  }

  private async callback2(
    app: OAuth2App,
    http: HttpExchange,
  ): Promise<OAuthCallbackResult<OAuth2Token>> {
    const query = http.callbackParams();
    const state = single(query, 'state');
    const error = single(query, 'error');
    if (!state) throw new InvalidStateError('missing');
    // Consuming deletes the cookie with the Path kept in the flow: only `Secure` is needed here.
    const data = await this.registry.stateStore.consume(http, app.name, state, {
      secure: http.protocol === 'https',
    });
    if (error !== undefined)
      throw new OAuthError(error, { message: 'the provider returned an error' });
    if (!single(query, 'code')) {
      throw new OAuthError('invalid_request', {
        message: 'the authorization response has no code',
      });
    }
    const token = await app.fetchToken({
      authorizationResponse: http.callbackUrl(query),
      state: data.state,
      codeVerifier: data.codeVerifier,
      nonce: data.nonce,
      maxAge: data.maxAge,
      redirectUri: data.redirectUri,
    });
    const userinfo = await app.loadUser(token);
    return this.result(app, token, userinfo, data);
  }

  private async callback1(
    app: OAuth1App,
    http: HttpExchange,
  ): Promise<OAuthCallbackResult<OAuth1Token>> {
    const query = http.query();
    const oauthToken = single(query, 'oauth_token');
    const denied = single(query, 'denied');
    const key = oauthToken || denied;
    if (!key) throw new InvalidStateError('missing');
    const data = await this.registry.stateStore.consume(http, app.name, key, {
      secure: http.protocol === 'https',
    });
    if (denied !== undefined || single(query, 'oauth_problem') !== undefined) {
      throw new OAuthError('access_denied', {
        message: 'the user or the provider refused the authorization',
      });
    }
    const verifier = single(query, 'oauth_verifier');
    if (!verifier) {
      throw new OAuthError('invalid_request', {
        message: 'the authorization response has no oauth_verifier',
      });
    }
    let requestToken = data.requestToken;
    if (app.options.fetchRequestToken) {
      requestToken = (await app.options.fetchRequestToken(data.state, http.request)) ?? undefined;
    }
    // The request token exchanged must be the one this flow started with (RFC 5849 §2.3).
    if (
      !requestToken ||
      typeof requestToken.oauth_token_secret !== 'string' ||
      requestToken.oauth_token !== data.state
    ) {
      throw new InvalidStateError('unknown');
    }
    const token = await app.fetchAccessToken(requestToken, verifier);
    const userinfo = await app.loadUser(token);
    return this.result(app, token, userinfo, data);
  }

  private result<T extends OAuth1Token | OAuth2Token>(
    app: OAuthApp,
    token: T,
    userinfo: Record<string, unknown> | undefined,
    data: OAuthStateData,
  ): OAuthCallbackResult<T> {
    // Checked again on the way out: a state minted elsewhere (a leaked secret) must not
    // turn the app into an open redirect.
    const returnTo = sanitizeReturnTo(data.returnTo);
    return stripUndefined({ name: app.name, token, userinfo, returnTo });
  }

  private redirectUri(configured: string | undefined, http: HttpExchange): string | undefined {
    if (!configured) return undefined;
    if (/^https?:\/\//i.test(configured)) return configured;
    const origin = http.origin();
    const key = `${origin} ${configured}`;
    let resolved = this.resolvedRedirectUris.get(key);
    if (resolved === undefined) {
      resolved = new URL(configured, origin).toString();
      // Bounded: one entry per origin (Host header) and configured path seen.
      if (this.resolvedRedirectUris.size >= 256) this.resolvedRedirectUris.clear();
      this.resolvedRedirectUris.set(key, resolved);
    }
    return resolved;
  }

  private cookieOptions(
    app: OAuthApp,
    http: HttpExchange,
    redirectUri = app.options.redirectUri,
  ): StateCookieOptions {
    const secure = http.protocol === 'https';
    // A form_post callback is a cross-site POST: only a SameSite=None cookie (which must be Secure) comes with it.
    const formPost = app.options.authorizeParams?.response_mode === 'form_post';
    return {
      path: flowCookiePath(http.rawUrl, redirectUri),
      secure,
      ...(formPost && secure ? { sameSite: 'None' as const } : {}),
    };
  }
}

/**
 * The only value of `key`, `undefined` when absent.
 * @throws {OAuthError} `invalid_request` when the parameter is repeated (RFC 6749 §3.1)
 */
function single(query: URLSearchParams, key: string): string | undefined {
  const values = query.getAll(key);
  if (values.length > 1) {
    throw new OAuthError('invalid_request', { message: `the parameter ${key} is repeated` });
  }
  return values[0];
}

function stripUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
