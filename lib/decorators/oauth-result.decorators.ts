import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { getOAuthCallbackResult } from '../context/callback-result.js';
import type { OAuthAnyToken } from '../interfaces/oauth-client-options.interface.js';

/**
 * What a successful callback yields: read it whole with
 * `@OAuthCallbackResult()`, or one part with `@OAuthToken()`, `@OAuthUser()`,
 * `@OAuthReturnTo()`.
 */
export interface OAuthCallbackResult<TToken extends OAuthAnyToken = OAuthAnyToken> {
  /** The client's name. */
  name: string;
  /** The token obtained (OAuth 2 with `userinfo` for OpenID Connect, or OAuth 1 credentials). */
  token: TToken;
  /** The user's claims (ID token claims, or the mapped profile), if any. */
  userinfo?: Record<string, unknown>;
  /** The sanitized `returnTo` path given to the login route, if any. */
  returnTo?: string;
}

const resultOf = (context: ExecutionContext) =>
  getOAuthCallbackResult(context.switchToHttp().getRequest());

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

/**
 * The whole result of `OAuthCallbackGuard`: `{ name, token, userinfo, returnTo }`.
 *
 * @example
 * ```ts
 * @Get('callback/:provider') @UseGuards(OAuthCallbackGuard())
 * done(@OAuthCallbackResult() result: OAuthCallbackResult) { return result.userinfo; }
 * ```
 */
export const OAuthCallbackResult = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => {
    return resultOf(context);
  },
);
