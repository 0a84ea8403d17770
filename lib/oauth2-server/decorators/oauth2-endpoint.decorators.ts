import { Res, SetMetadata, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { RESPONSE_PASSTHROUGH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { OAuthConfigError } from '../../errors/oauth-config.error.js';
import { OAuth2ResponseFilter } from '../filters/oauth2-response.filter.js';
import { OAuth2AuthorizeGuard } from '../guards/oauth2-authorize.guard.js';
import { OAuth2AuthorizeInterceptor } from '../interceptors/oauth2-authorize.interceptor.js';
import { OAuth2EndpointInterceptor } from '../interceptors/oauth2-endpoint.interceptor.js';
import { OAUTH2_ENDPOINT_METADATA, type OAuth2EndpointKind } from './oauth2-endpoint.metadata.js';

/**
 * Makes a route (`@Get()` and `@Post()`, on the path of `endpoints.authorization`)
 * the authorization endpoint, as the seed's `authorize_handler`:
 *
 * 1. the request is validated first — client, redirect URI (exact match),
 *    response type, scope, PKCE, OpenID Connect parameters. An invalid one
 *    never reaches the handler: it is sent back to the client with `error`,
 *    `state` and `iss` when the redirect URI is trusted, else answered with a
 *    400 (or sent to `errorUri`), RFC 6749 §4.1.2.1;
 * 2. the handler runs with the validated request (`@OAuthAuthorization()`).
 *    It returns either a **page** (the login or consent page: a string,
 *    `@Render()`, anything Nest sends), or a **decision**: `true` / `false`, or
 *    `{ allow, user, scope, authTime, acr, amr, error }`. On a decision the
 *    module answers: a redirect to the client with the code (and tokens or
 *    ID token for implicit and hybrid flows), or with `access_denied` (or
 *    the `error` given, `login_required` for `prompt=none`). `true` without a
 *    user approves for the signed-in user (the module's `resourceOwner`,
 *    default `request.user` with a `sub`).
 *
 * Usually the GET handler renders the consent page and the POST handler
 * (the form's submit, which must be protected against CSRF) returns the
 * decision; a GET handler may decide at once (a client the user already
 * approved, `prompt=none`).
 *
 * @returns the method decorator
 * @example
 * ```ts
 * @Get('authorize') @AuthorizeEndpoint()
 * consent(@OAuthAuthorization() authorization: OAuth2AuthorizationRequest) { return consentPage(authorization); }
 *
 * @Post('authorize') @AuthorizeEndpoint()
 * decide(@Body('confirm') confirm: string, @Req() req: { user?: { sub: string } }) {
 *   return { allow: confirm === 'yes', user: req.user };
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1
 */
export function AuthorizeEndpoint(): MethodDecorator {
  return (target, key, descriptor) => {
    SetMetadata(OAUTH2_ENDPOINT_METADATA, 'authorization')(target, key, descriptor);
    UseGuards(OAuth2AuthorizeGuard)(target, key, descriptor);
    UseInterceptors(OAuth2AuthorizeInterceptor)(target, key, descriptor);
    UseFilters(OAuth2ResponseFilter)(target, key, descriptor);
  };
}

/**
 * Makes a `@Post()` route (on the path of `endpoints.token`) the token
 * endpoint, as the seed's `token_handler`: the handler runs first and may
 * return extra fields for a successful token response (`{ tenant: 'acme' }`;
 * a standard field is never replaced), or nothing. Then the module runs every
 * grant and client authentication and answers, RFC 6749 §5.1 / §5.2, with
 * `Cache-Control: no-store`. Your filters and interceptors cannot change the
 * answer (the route answers itself, as with `@Res()`).
 *
 * @returns the method decorator
 * @example
 * ```ts
 * @Post('token') @TokenEndpoint()
 * token() { return undefined; } // or extra token fields
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-3.2
 */
export function TokenEndpoint(): MethodDecorator {
  return answered('token', 'TokenEndpoint');
}

/**
 * Makes a `@Post()` route (on the path of `endpoints.revocation`) the token
 * revocation endpoint (RFC 7009; the seed's `revoke_handler`). The handler
 * runs first (for your logs) and returns nothing; the module answers.
 *
 * @returns the method decorator
 * @example
 * ```ts
 * @Post('revoke') @RevokeEndpoint()
 * revoke() {}
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009.html
 */
export function RevokeEndpoint(): MethodDecorator {
  return answered('revocation', 'RevokeEndpoint');
}

/**
 * Makes a `@Post()` route (on the path of `endpoints.introspection`) the
 * token introspection endpoint (RFC 7662), for authenticated confidential
 * clients. The handler runs first and returns nothing; the module answers.
 *
 * @returns the method decorator
 * @example
 * ```ts
 * @Post('introspect') @IntrospectEndpoint()
 * introspect() {}
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662.html
 */
export function IntrospectEndpoint(): MethodDecorator {
  return answered('introspection', 'IntrospectEndpoint');
}

/**
 * An endpoint the module answers: its interceptor sends the core's response,
 * and a `@Res()` parameter added after the handler's own tells Nest that the
 * route answers itself (so neither Nest nor an app interceptor that maps
 * results sends anything else).
 */
function answered(kind: OAuth2EndpointKind, name: string): MethodDecorator {
  return (target, key, descriptor) => {
    const where = `${target.constructor.name}.${String(key)}`;
    const args: Record<string, { index: number }> =
      Reflect.getMetadata(ROUTE_ARGS_METADATA, target.constructor, key) ?? {};
    const own = Object.keys(args).some((arg) => {
      const type = Number(arg.split(':')[0]);
      return type === RouteParamtypes.RESPONSE || type === RouteParamtypes.NEXT;
    });
    if (own || Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, target.constructor, key)) {
      throw new OAuthConfigError(
        `OAuth2ServerModule: @${name}() on ${where} answers the request itself: remove @Res() / @Next() from the handler`,
      );
    }
    SetMetadata(OAUTH2_ENDPOINT_METADATA, kind)(target, key, descriptor);
    UseInterceptors(OAuth2EndpointInterceptor)(target, key, descriptor);
    const handler = descriptor.value as unknown as (...args: unknown[]) => unknown;
    const index = Math.max(handler.length, ...Object.values(args).map((arg) => arg.index + 1));
    Res()(target, key, index);
  };
}
