import { Injectable, mixin, type ExecutionContext, type Type } from '@nestjs/common';
import { OAuthRedirectException } from '../errors/oauth-redirect.exception.js';
import {
  checkAuthorizeParams,
  checkPassThrough,
  passThroughQuery,
} from '../flow/authorize-params.js';
import { OAuthFlowGuardBase } from './oauth-flow-guard.base.js';
import type {
  OAuthAuthorizeParams,
  OAuthLoginGuardOptions,
} from '../interfaces/oauth-login-options.interface.js';

/**
 * The class every `OAuthLoginGuard(...)` extends. Its protected hooks are what
 * a subclass overrides: which client ({@link OAuthLoginGuardBase.getClientName}),
 * which authorization parameters ({@link OAuthLoginGuardBase.getAuthorizeParams}),
 * what to do with an error ({@link OAuthLoginGuardBase.handleError}).
 *
 * How a login ends: the guard saves the flow's state, puts `Location` (the
 * provider's authorization URL), `Cache-Control: no-store` and the state
 * cookie on the response, and throws {@link OAuthRedirectException} (302):
 * Nest's exception layer sends it, the route handler never runs, no promise
 * is left pending. See docs/nest.md, "How a login ends".
 *
 * @example
 * ```ts
 * @Injectable()
 * export class GoogleLoginGuard extends OAuthLoginGuard('google') {
 *   protected override async getAuthorizeParams(context: ExecutionContext, name: string) {
 *     const user = context.switchToHttp().getRequest().user;
 *     return { ...(await super.getAuthorizeParams(context, name)), login_hint: user?.email };
 *   }
 * }
 * ```
 */
@Injectable()
export class OAuthLoginGuardBase extends OAuthFlowGuardBase {
  /** @internal */
  protected readonly step = 'login' as const;
  /** The options given to `OAuthLoginGuard(name, options)`. */
  protected readonly guardOptions: OAuthLoginGuardOptions = {};

  /**
   * Starts the login and ends the request with a 302 to the provider.
   *
   * @param context - the login request
   * @returns never `true`: it throws the redirect (or `handleError`'s answer)
   * @throws {OAuthRedirectException} the 302 to the provider
   * @throws {NotFoundException} when `:provider` names no client
   */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const app = this.flow.client(await this.getClientName(context));
    let url: string;
    try {
      url = await this.flow.startLogin(
        context,
        app,
        await this.getAuthorizeParams(context, app.name),
      );
    } catch (err) {
      return this.handleError(err, context, app.name);
    }
    throw new OAuthRedirectException(url);
  }

  /**
   * The authorization parameters of this login, on top of the client's
   * `authorizeParams`. Default: the module's `authorizeParams(name, request)`
   * hook, then the guard's `authorizeParams` option, then the query
   * parameters the guard's `query` option lets through. `redirectUri` sets
   * this login's redirect URI.
   *
   * @param context - the login request
   * @param name - the client's name
   * @returns the parameters
   * @throws {BadRequestException} for a malformed pass-through query parameter
   */
  protected async getAuthorizeParams(
    context: ExecutionContext,
    name: string,
  ): Promise<OAuthAuthorizeParams> {
    const request = context.switchToHttp().getRequest();
    const names = this.guardOptions.query ?? [];
    return {
      ...(await this.flow.moduleAuthorizeParams(name, request)),
      ...this.guardOptions.authorizeParams,
      // Most guards let nothing through: the query is then not even parsed.
      ...(names.length > 0 ? passThroughQuery(this.flow.query(context), names) : {}),
    };
  }
}

const guards = new Map<string, Type<OAuthLoginGuardBase>>();

/**
 * A guard that starts a login: it saves the state, nonce and PKCE verifier
 * (OAuth 2) or the request token (OAuth 1) and answers 302 to the provider
 * (see {@link OAuthRedirectException}); the route handler never runs. A
 * `returnTo` query parameter that is a same-site path is carried to the
 * callback. Extend the returned class to override its hooks
 * ({@link OAuthLoginGuardBase}).
 *
 * @param name - the client's name; without it, the `:provider` route parameter
 *   (an unknown name gives 404). A name that is not registered fails at start-up.
 * @param options - parameters for every login of this route, and the query
 *   parameters passed through
 * @returns a guard class (the same one for the same arguments)
 * @throws {TypeError} `OAUTH_INVALID_AUTHORIZE_PARAMS` for options the library cannot send
 * @example
 * ```ts
 * @Get('login/:provider')
 * @UseGuards(OAuthLoginGuard())
 * login() {}
 *
 * @Get('login/google/consent')
 * @UseGuards(OAuthLoginGuard('google', { authorizeParams: { prompt: 'consent' }, query: ['login_hint'] }))
 * loginAgain() {}
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
 */
export function OAuthLoginGuard(
  name?: string,
  options: OAuthLoginGuardOptions = {},
): Type<OAuthLoginGuardBase> {
  const key = JSON.stringify([name ?? null, options]);
  let guard = guards.get(key);
  if (!guard) {
    const where = `OAuthLoginGuard(${name === undefined ? '' : JSON.stringify(name)})`;
    const frozen: OAuthLoginGuardOptions = {
      authorizeParams: checkAuthorizeParams(options.authorizeParams, `${where} authorizeParams`),
      query: checkPassThrough(options.query, `${where} query`) as OAuthLoginGuardOptions['query'],
    };
    class LoginGuard extends OAuthLoginGuardBase {
      protected override readonly clientName = name;
      protected override readonly guardOptions = frozen;
    }
    guard = mixin(LoginGuard);
    guards.set(key, guard);
  }
  return guard;
}
