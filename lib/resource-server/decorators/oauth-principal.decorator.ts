import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { BearerPrincipal } from '../../server/index.js';
import { getOAuthPrincipal, principalHolder } from '../context/principal-store.js';

/**
 * Who a verified bearer token speaks for, as `@OAuthPrincipal()` gives it:
 * `sub` (the user, or the client for a client-credentials token),
 * `clientId`, `scope` (a list), `claims` (the JWT payload, the introspection
 * answer or the stored record's claims), the `token` itself (to call another
 * API on the user's behalf; never logged), `expiresAt` and `source` (which
 * validator accepted it).
 */
export type OAuthPrincipal = BearerPrincipal;

/**
 * The principal `@RequireOAuth()` / `OAuthBearerGuard` verified for this
 * request (or WebSocket client, or microservice message); with a key, one of
 * its members.
 *
 * @example
 * ```ts
 * @Get('me') @RequireOAuth('profile')
 * me(@OAuthPrincipal() principal: OAuthPrincipal) { return { sub: principal.sub }; }
 *
 * @Get('scopes') @RequireOAuth()
 * scopes(@OAuthPrincipal('scope') scope: string[]) { return scope; }
 * ```
 */
export const OAuthPrincipal = createParamDecorator(
  (key: keyof OAuthPrincipal | undefined, context: ExecutionContext) => {
    const holder = principalHolder(context);
    const principal = holder ? getOAuthPrincipal(holder) : undefined;
    return key ? principal?.[key] : principal;
  },
);
