import { Inject, mixin, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { memoize } from '../utils/memoize.util.js';
import { OAuthFlowService } from './oauth-flow.service.js';

/**
 * A guard that starts a login: it saves the state, nonce and PKCE verifier
 * (OAuth 2) or the request token (OAuth 1) and answers 302 to the provider.
 * The route handler never runs (the response is already sent). A `returnTo`
 * query parameter that is a same-site path is carried to the callback.
 *
 * @param name - the client's name; without it, the `:provider` route
 *   parameter (an unknown name gives 404)
 * @returns a guard class (the same one for the same name)
 * @throws {OAuthException} 502/504 when the provider cannot be reached (OAuth 1, discovery)
 * @example
 * ```ts
 * @Get('login/:provider')
 * @UseGuards(OAuthLoginGuard())
 * login() {}
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
 */
export const OAuthLoginGuard: (name?: string) => Type<CanActivate> = memoize(createLoginGuard);

function createLoginGuard(name?: string): Type<CanActivate> {
  class LoginGuard implements CanActivate {
    constructor(@Inject(OAuthFlowService) protected readonly flow: OAuthFlowService) {}

    async canActivate(context: ExecutionContext): Promise<boolean> {
      await this.flow.login(context, name);
      // The 302 is sent: like passport's redirect, the request ends here and
      // the handler must not run (it would answer a second time).
      return new Promise<boolean>(() => undefined);
    }
  }
  return mixin(LoginGuard);
}
