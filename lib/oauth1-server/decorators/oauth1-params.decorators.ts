import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { getOAuth1RequestData } from '../context/oauth1-request-data.js';

const requestOf = (context: ExecutionContext): unknown => context.switchToHttp().getRequest();

/**
 * The pending authorization on both routes of `@OAuth1AuthorizeEndpoint()`:
 * `{ client, realms, redirectUri, token, expiresAt }` (type
 * `OAuth1PendingAuthorization`): who asks for what, and the `oauth_token`
 * the consent form posts back.
 *
 * @example
 * ```ts
 * consent(@OAuth1AuthorizationRequest() pending: OAuth1PendingAuthorization) {}
 * ```
 */
export const OAuth1AuthorizationRequest = createParamDecorator(
  (_data: unknown, context: ExecutionContext) =>
    getOAuth1RequestData(requestOf(context), 'pending'),
);

/**
 * The verified request on a route of `@RequireOAuth1()` (the seed's
 * `request.oauth`): `{ client, user, realms, token, transport }` (type
 * `OAuth1RequestAuthorization`); with a key, one of them.
 *
 * @example
 * ```ts
 * me(@OAuth1Principal() oauth: OAuth1RequestAuthorization<User>, @OAuth1Principal('user') user: User) {}
 * ```
 */
export const OAuth1Principal = createParamDecorator(
  (
    key: 'client' | 'user' | 'realms' | 'token' | 'transport' | undefined,
    context: ExecutionContext,
  ) => {
    const principal = getOAuth1RequestData(requestOf(context), 'principal');
    return key ? principal?.[key] : principal;
  },
);

/**
 * The approval being exchanged on `@AccessTokenEndpoint()`:
 * `{ client, user, realms, request }` (type `OAuth1AccessTokenContext`),
 * for the handler that adds extra credentials.
 *
 * @example
 * ```ts
 * accessToken(@OAuth1AccessTokenRequest() grant: OAuth1AccessTokenContext<User>) {
 *   return { user_id: grant.user.id };
 * }
 * ```
 */
export const OAuth1AccessTokenRequest = createParamDecorator(
  (_data: unknown, context: ExecutionContext) =>
    getOAuth1RequestData(requestOf(context), 'accessToken'),
);
