import { SetMetadata, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { OAuth1ResponseFilter } from '../filters/oauth1-response.filter.js';
import { OAuth1EndpointGuard } from '../guards/oauth1-endpoint.guard.js';
import { OAuth1EndpointInterceptor } from '../interceptors/oauth1-endpoint.interceptor.js';
import { OAUTH1_ENDPOINT_METADATA, type OAuth1EndpointKind } from './endpoint-routes.js';

function endpoint(kind: OAuth1EndpointKind): MethodDecorator {
  return (target, key, descriptor) => {
    SetMetadata(OAUTH1_ENDPOINT_METADATA, kind)(target, key, descriptor);
    UseGuards(OAuth1EndpointGuard)(target, key, descriptor);
    UseInterceptors(OAuth1EndpointInterceptor)(target, key, descriptor);
    UseFilters(OAuth1ResponseFilter)(target, key, descriptor);
  };
}

/**
 * Makes a route the temporary credentials endpoint (RFC 5849 §2.1): the
 * module checks the client's signature and `oauth_callback`, issues a request
 * token and answers `oauth_token`, `oauth_token_secret` and
 * `oauth_callback_confirmed=true` (or the core's 400/401 `oauth_problem`).
 * The handler never runs.
 *
 * @returns the method decorator
 * @example
 * ```ts
 * @Post('request_token') @RequestTokenEndpoint()
 * requestToken() {} // never runs: the module answers
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.1
 */
export function RequestTokenEndpoint(): MethodDecorator {
  return endpoint('request_token');
}

/**
 * Makes a route the resource owner authorization endpoint (RFC 5849 §2.2).
 * Put it on two routes:
 *
 * - `@Get()`: the consent page. The request token named by `oauth_token` is
 *   checked first (unknown, used or expired: the core's error page, or a
 *   redirect to `errorUri`); then the handler runs with the pending
 *   authorization (`@OAuth1AuthorizationRequest()`) and renders the page as
 *   any handler does (`@Render()`, a string, ...).
 * - `@Post()`: the decision. The handler returns it — `false` to deny,
 *   `true` to approve as the signed-in user (`resourceOwner`, default
 *   `request.user`), or `{ user, realms? }` — and the module answers: a 302
 *   to the client's callback with `oauth_token` and `oauth_verifier`
 *   (`denied=` on a denial), or for `oob` a page showing the verifier. Protect
 *   the form against CSRF.
 *
 * @returns the method decorator
 * @example
 * ```ts
 * @Get('authorize') @OAuth1AuthorizeEndpoint() @Render('consent')
 * consent(@OAuth1AuthorizationRequest() pending: OAuth1PendingAuthorization) {
 *   return { client: pending.client.clientKey, realms: pending.realms, token: pending.token };
 * }
 *
 * @Post('authorize') @OAuth1AuthorizeEndpoint()
 * decide(@Body('confirm') confirm: string, @Req() req: { user?: User }) {
 *   return confirm === 'yes' && req.user ? { user: req.user } : false;
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.2
 */
export function OAuth1AuthorizeEndpoint(): MethodDecorator {
  return endpoint('authorize');
}

/**
 * Makes a route the token credentials endpoint (RFC 5849 §2.3): the module
 * checks the signature with the authorized request token and the
 * `oauth_verifier`, then runs the handler (like Flask-OAuthlib's
 * `access_token_handler`) with the approval (`@OAuth1AccessTokenRequest()`);
 * what it returns (`{ user_id, screen_name }`, or nothing) is added to
 * `oauth_token` and `oauth_token_secret`. The request token works once.
 *
 * @returns the method decorator
 * @example
 * ```ts
 * @Post('access_token') @AccessTokenEndpoint()
 * accessToken(@OAuth1AccessTokenRequest() grant: OAuth1AccessTokenContext<User>) {
 *   return { user_id: grant.user.id };
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.3
 */
export function AccessTokenEndpoint(): MethodDecorator {
  return endpoint('access_token');
}
