import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { getOAuthAuthorization } from '../context/authorization-request.store.js';

/**
 * The authorization request `@AuthorizeEndpoint()` validated (an
 * `OAuth2AuthorizationRequest`): the client, redirect URI, response type,
 * scopes, `state`, `nonce`, PKCE challenge and the OpenID Connect
 * parameters (`prompt`, `max_age`, `login_hint`, ...), plus every request
 * parameter (`parameters`) to repeat as hidden fields of the consent form.
 *
 * @example
 * ```ts
 * @Get('authorize') @AuthorizeEndpoint()
 * consent(@OAuthAuthorization() authorization: OAuth2AuthorizationRequest) {
 *   return consentPage(authorization.client.clientId, authorization.scope);
 * }
 * ```
 */
export const OAuthAuthorization = createParamDecorator(
  (_data: unknown, context: ExecutionContext) =>
    getOAuthAuthorization(context.switchToHttp().getRequest()),
);
