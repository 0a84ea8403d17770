import { Inject, mixin, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { memoize } from '../utils/memoize.util.js';
import { OAuthFlowService } from './oauth-flow.service.js';

/**
 * A guard for the redirect route: checks the state (bound to this browser,
 * single use, expiring), exchanges the code (or verifier), validates the ID
 * token, loads the user, publishes `oauth.login`, and lets the handler read
 * the result with `@OAuthToken()`, `@OAuthUser()` and `@OAuthReturnTo()`.
 * Bad callbacks get a 4xx `OAuthException` (provider down: 502, timeout: 504).
 *
 * @param name - the client's name; without it, the `:provider` route parameter
 * @returns a guard class (the same one for the same name)
 * @example
 * ```ts
 * @Get('callback/:provider')
 * @UseGuards(OAuthCallbackGuard())
 * done(@OAuthUser() user: Record<string, unknown>) { return user; }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2
 */
export const OAuthCallbackGuard: (name?: string) => Type<CanActivate> =
  memoize(createCallbackGuard);

function createCallbackGuard(name?: string): Type<CanActivate> {
  class CallbackGuard implements CanActivate {
    constructor(@Inject(OAuthFlowService) protected readonly flow: OAuthFlowService) {}

    async canActivate(context: ExecutionContext): Promise<boolean> {
      await this.flow.callback(context, name);
      return true;
    }
  }
  return mixin(CallbackGuard);
}
