import { Inject, Injectable, NotFoundException, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OAuthError } from '../core/errors.js';
import type { OAuth1Token, OAuth2Token } from '../core/token.js';
import { setOAuthLoginResult, type OAuthLoginResult } from '../context/login-result.js';
import { OAUTH_LOGIN_EVENT, OAuthLoginEvent } from '../events/oauth.events.js';
import { OAuthException, toHttpException } from '../exceptions/oauth.exception.js';
import { OAuthRegistry, type OAuthApp } from '../oauth.registry.js';
import { flowCookiePath } from '../state/cookies.js';
import { InvalidStateError } from '../state/invalid-state.error.js';
import type { OAuthStateData, StateCookieOptions } from '../state/state-store.interface.js';
import { sanitizeReturnTo } from '../utils/return-to.util.js';
import { HttpExchange } from './http-exchange.js';

/**
 * The login and callback steps behind {@link OAuthLoginGuard} and
 * {@link OAuthCallbackGuard}. Every failure becomes an `HttpException`
 * through `toHttpException` and is logged (warn) with the client name and
 * error code only.
 *
 * @internal
 */
@Injectable()
export class OAuthFlowService {
  constructor(
    @Inject(OAuthRegistry) private readonly registry: OAuthRegistry,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * The client a guard works for: `name`, else the `:provider` route parameter.
   * @throws {NotFoundException} when the route parameter names no client
   */
  resolveApp(context: ExecutionContext, name: string | undefined): OAuthApp {
    if (name !== undefined) {
      const app = this.registry.get(name);
      if (!app) throw new Error(`OAuth client "${name}" used by a guard is not registered`);
      return app;
    }
    const param = context.switchToHttp().getRequest()?.params?.provider;
    const app = typeof param === 'string' ? this.registry.get(param) : undefined;
    if (!app) throw new NotFoundException('Unknown OAuth client');
    return app;
  }

  /**
   * Starts a login: saves the flow's state (cookie or cache) and redirects to
   * the provider with a 302.
   *
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
   */
  async login(context: ExecutionContext, name: string | undefined): Promise<void> {
    const app = this.resolveApp(context, name);
    const http = new HttpExchange(context, this.adapterHost);
    try {
      const returnTo = sanitizeReturnTo(firstValue(http.query(), 'returnTo'));
      const redirectUri = this.redirectUri(app, http);
      const cookie = this.cookieOptions(app, http);
      let url: string;
      let data: OAuthStateData;
      if (app.kind === 'oauth2') {
        const auth = await app.createAuthorizationUrl(redirectUri ? { redirectUri } : {});
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
        const auth = await app.createAuthorizationUrl(redirectUri);
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
      http.redirect(url);
    } catch (err) {
      throw this.fail(app.name, 'login', err);
    }
  }

  /**
   * Completes a login: checks the state, exchanges the code (or verifier),
   * loads the user, publishes `oauth.login` and attaches the result to the request.
   *
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2
   */
  async callback(context: ExecutionContext, name: string | undefined): Promise<OAuthLoginResult> {
    const app = this.resolveApp(context, name);
    const http = new HttpExchange(context, this.adapterHost);
    try {
      const result =
        app.kind === 'oauth2' ? await this.callback2(app, http) : await this.callback1(app, http);
      setOAuthLoginResult(http.request, result);
      this.registry.publish(
        OAUTH_LOGIN_EVENT,
        new OAuthLoginEvent(app.name, result.token, result.userinfo, http.request),
      );
      return result;
    } catch (err) {
      throw this.fail(app.name, 'callback', err);
    }
  }

  private async callback2(
    app: Extract<OAuthApp, { kind: 'oauth2' }>,
    http: HttpExchange,
  ): Promise<OAuthLoginResult<OAuth2Token>> {
    const query = http.callbackParams();
    const state = single(query, 'state');
    const error = single(query, 'error');
    if (!state) throw new InvalidStateError('missing');
    const data = await this.registry.stateStore.consume(
      http,
      app.name,
      state,
      this.cookieOptions(app, http),
    );
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
    return stripUndefined({ name: app.name, token, userinfo, returnTo: data.returnTo });
  }

  private async callback1(
    app: Extract<OAuthApp, { kind: 'oauth1' }>,
    http: HttpExchange,
  ): Promise<OAuthLoginResult<OAuth1Token>> {
    const query = http.query();
    const oauthToken = single(query, 'oauth_token');
    const denied = single(query, 'denied');
    const key = oauthToken || denied;
    if (!key) throw new InvalidStateError('missing');
    const data = await this.registry.stateStore.consume(
      http,
      app.name,
      key,
      this.cookieOptions(app, http),
    );
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
    if (
      !requestToken ||
      typeof requestToken.oauth_token_secret !== 'string' ||
      requestToken.oauth_token !== data.state
    ) {
      throw new InvalidStateError('unknown');
    }
    const token = await app.fetchAccessToken(requestToken, verifier);
    const userinfo = await app.loadUser(token);
    return stripUndefined({ name: app.name, token, userinfo, returnTo: data.returnTo });
  }

  private redirectUri(app: OAuthApp, http: HttpExchange): string | undefined {
    const configured = app.options.redirectUri;
    if (!configured) return undefined;
    if (/^https?:\/\//i.test(configured)) return configured;
    return new URL(configured, http.origin()).toString();
  }

  private cookieOptions(app: OAuthApp, http: HttpExchange): StateCookieOptions {
    const secure = http.protocol === 'https';
    // A form_post callback is a cross-site POST: only a SameSite=None cookie (which must be Secure) comes with it.
    const formPost = app.options.authorizeParams?.response_mode === 'form_post';
    return {
      path: flowCookiePath(http.rawUrl, app.options.redirectUri),
      secure,
      ...(formPost && secure ? { sameSite: 'None' as const } : {}),
    };
  }

  private fail(name: string, step: string, err: unknown): unknown {
    const mapped = toHttpException(err);
    if (mapped instanceof OAuthException) {
      this.registry.logger.warn(
        `OAuth ${step} for "${name}" failed: ${mapped.error} (${mapped.getStatus()})`,
      );
    }
    return mapped;
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

function firstValue(query: URLSearchParams, key: string): string | undefined {
  return query.get(key) ?? undefined;
}

function stripUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
