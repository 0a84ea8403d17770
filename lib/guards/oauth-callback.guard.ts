import { Injectable, mixin, type ExecutionContext, type Type } from '@nestjs/common';
import type { OAuthCallbackResult } from '../decorators/oauth-result.decorators.js';
import { OAuthFlowGuardBase } from './oauth-flow-guard.base.js';
import { memoize } from '../utils/memoize.util.js';

/**
 * The class every `OAuthCallbackGuard(...)` extends. Its protected hooks are
 * what a subclass overrides: which client
 * ({@link OAuthCallbackGuardBase.getClientName}), what to do with the result
 * ({@link OAuthCallbackGuardBase.handleResult}: refuse a user, start a
 * session) or with an error ({@link OAuthCallbackGuardBase.handleError}).
 *
 * @example
 * ```ts
 * @Injectable()
 * export class MembersOnly extends OAuthCallbackGuard('github') {
 *   protected override async handleResult(result: OAuthCallbackResult) {
 *     const res = await this.github.get('user/memberships/orgs/acme', { token: result.token as OAuth2Token });
 *     return res.ok; // false: 403
 *   }
 *   @OAuthClient('github') private readonly github!: OAuth2App;
 * }
 * ```
 */
@Injectable()
export class OAuthCallbackGuardBase extends OAuthFlowGuardBase {
  /** @internal */
  protected readonly step = 'callback' as const;

  /**
   * Checks the state, exchanges the code (or verifier), validates the ID
   * token, loads the user, attaches the result to the request (read it with
   * `@OAuthToken()`, `@OAuthUser()`, `@OAuthCallbackResult()`), keeps the
   * token for the rest of the request, publishes `oauth.login`; then asks
   * `handleResult`.
   *
   * @param context - the callback request
   * @returns what `handleResult` (or `handleError`) says
   * @throws {NotFoundException} when `:provider` names no client
   */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const app = this.flow.client(await this.getClientName(context));
    let result: OAuthCallbackResult;
    try {
      result = await this.flow.completeLogin(context, app);
    } catch (err) {
      return this.handleError(err, context, app.name);
    }
    return this.handleResult(result, context);
  }

  /**
   * What to do with a completed login. Default: let the handler run. Return
   * `false` to refuse the user (Nest answers 403), or throw your own exception.
   *
   * @param result - the token, the user's claims, `returnTo`
   * @param context - the callback request
   * @returns whether the handler runs
   */
  protected handleResult(
    result: OAuthCallbackResult,
    context: ExecutionContext,
  ): boolean | Promise<boolean> {
    void result;
    void context;
    return true;
  }
}

/**
 * A guard for the redirect route: checks the state (bound to this browser,
 * single use, expiring), exchanges the code (or verifier), validates the ID
 * token, loads the user, publishes `oauth.login`, and lets the handler read
 * the result with `@OAuthToken()`, `@OAuthUser()`, `@OAuthReturnTo()` and
 * `@OAuthCallbackResult()`. The token is also used by injected clients for the
 * rest of the request. Bad callbacks get a 4xx `OAuthException` (provider
 * down: 502, timeout: 504). Extend the returned class to override its hooks
 * ({@link OAuthCallbackGuardBase}).
 *
 * @param name - the client's name; without it, the `:provider` route
 *   parameter. A name that is not registered fails at start-up.
 * @returns a guard class (the same one for the same name)
 * @example
 * ```ts
 * @Get('callback/:provider')
 * @UseGuards(OAuthCallbackGuard())
 * done(@OAuthUser() user: Record<string, unknown>) { return user; }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2
 */
export const OAuthCallbackGuard: (name?: string) => Type<OAuthCallbackGuardBase> = memoize(
  (name?: string) => {
    class CallbackGuard extends OAuthCallbackGuardBase {
      protected override readonly clientName = name;
    }
    return mixin(CallbackGuard);
  },
);
