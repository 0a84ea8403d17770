import { applyDecorators, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { OAuth1ResponseFilter } from '../filters/oauth1-response.filter.js';
import { OAUTH1_REALMS_METADATA, OAuth1ResourceGuard } from '../guards/oauth1-resource.guard.js';

/**
 * Protects a route (or every route of a controller) with OAuth 1.0a: the
 * request must be signed with client and token credentials whose token
 * covers every one of `realms` (RFC 5849 §3). A refused request gets the
 * core's answer unchanged — 400 for a malformed one, 401 for a bad
 * signature, token, nonce or timestamp, 403 for a missing realm, with an
 * `oauth_problem` body — whatever global filter the app has. The handler
 * reads the verified request with `@OAuth1Principal()`.
 *
 * @param realms - the realms required (on a controller and a handler: both sets)
 * @returns the class or method decorator
 * @example
 * ```ts
 * @Get('photos') @RequireOAuth1('photos')
 * photos(@OAuth1Principal('user') user: User) {
 *   return this.photosOf(user);
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3
 */
export function RequireOAuth1(...realms: string[]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(OAUTH1_REALMS_METADATA, realms),
    UseGuards(OAuth1ResourceGuard),
    UseFilters(OAuth1ResponseFilter),
  );
}
