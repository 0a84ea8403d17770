import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { getOAuthLoginResult } from '../context/login-result.js';

const resultOf = (context: ExecutionContext) =>
  getOAuthLoginResult(context.switchToHttp().getRequest());

/**
 * The token obtained by `OAuthCallbackGuard` (OAuth 2 token with `userinfo`,
 * or OAuth 1 credentials).
 *
 * @example
 * ```ts
 * @Get('callback') @UseGuards(OAuthCallbackGuard('google'))
 * done(@OAuthToken() token: OAuth2Token) {}
 * ```
 */
export const OAuthToken = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return resultOf(context)?.token;
});

/**
 * The user's claims found by `OAuthCallbackGuard` (ID token claims, or the
 * profile mapped through the client's `profile`); with a key, one claim.
 *
 * @example
 * ```ts
 * done(@OAuthUser() user: Record<string, unknown>, @OAuthUser('email') email?: string) {}
 * ```
 */
export const OAuthUser = createParamDecorator(
  (key: string | undefined, context: ExecutionContext) => {
    const userinfo = resultOf(context)?.userinfo;
    return key ? userinfo?.[key] : userinfo;
  },
);

/** The sanitized `returnTo` path given to the login route (a same-site path), if any. */
export const OAuthReturnTo = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return resultOf(context)?.returnTo;
});

/** The whole login result: `{ name, token, userinfo, returnTo }`. */
export const OAuthLogin = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return resultOf(context);
});
