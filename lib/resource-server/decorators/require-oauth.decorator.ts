import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { checkRequiredScopes } from '../../server/index.js';
import { OAuthBearerGuard } from '../guards/oauth-bearer.guard.js';
import { OAUTH_SCOPES_METADATA } from '../resource-server.constants.js';

/**
 * Protects a route, or every route of a controller (or WebSocket gateway),
 * with a bearer token (RFC 6750): applies {@link OAuthBearerGuard} and
 * records the scopes the token must grant, all of them.
 *
 * On a controller and on one of its routes, the scopes add up: the route
 * needs both sets (a route cannot need less than its controller). With no
 * scope, any valid token will do.
 *
 * Refusals follow RFC 6750 §3: 401 with a `WWW-Authenticate: Bearer` challenge
 * (with `error="invalid_token"` for a bad, expired or revoked token, without
 * an error code when none was sent), 403 `insufficient_scope` naming the
 * scopes, 400 `invalid_request` for a malformed header or a token sent twice;
 * 502 / 504 when the authorization server fails. See {@link OAuthBearerException}.
 *
 * @param scopes - the scopes needed (RFC 6749 scope tokens)
 * @returns the class or method decorator
 * @throws {TypeError} (`ERR_OAUTH_SCOPE`) at load time for a scope that is not a scope token
 * @example
 * ```ts
 * @Controller('orders') @RequireOAuth('orders')
 * export class OrdersController {
 *   @Get() list(@OAuthPrincipal() principal: OAuthPrincipal) {}   // needs "orders"
 *   @Post() @RequireOAuth('orders:write') create() {}              // needs "orders" and "orders:write"
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750.html
 */
export function RequireOAuth(...scopes: string[]): ClassDecorator & MethodDecorator {
  checkRequiredScopes(scopes);
  return applyDecorators(
    SetMetadata(OAUTH_SCOPES_METADATA, Object.freeze([...new Set(scopes)])),
    UseGuards(OAuthBearerGuard),
  );
}
