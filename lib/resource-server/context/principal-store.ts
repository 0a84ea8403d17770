import type { ExecutionContext } from '@nestjs/common';
import type { OAuthPrincipal } from '../decorators/oauth-principal.decorator.js';

const principals = new WeakMap<object, OAuthPrincipal>();

/**
 * What a principal is kept with in each context: the HTTP request, the
 * WebSocket client, or the microservice message's context (else its data).
 *
 * @param context - the execution context
 * @internal
 */
export function principalHolder(context: ExecutionContext): object | undefined {
  const type = context.getType<string>();
  const holder =
    type === 'ws'
      ? context.switchToWs().getClient()
      : type === 'rpc'
        ? (context.switchToRpc().getContext() ?? context.switchToRpc().getData())
        : context.switchToHttp().getRequest();
  return holder !== null && typeof holder === 'object' ? holder : undefined;
}

/**
 * Attaches a verified principal to a request (done by `OAuthBearerGuard`).
 * @internal
 */
export function setOAuthPrincipal(holder: object, principal: OAuthPrincipal): void {
  principals.set(holder, principal);
}

/**
 * The principal `OAuthBearerGuard` verified for `request` (the object `@Req()`
 * gives; for a WebSocket, the client), if any: for code outside a handler,
 * such as an interceptor.
 *
 * @param request - the request
 * @returns the principal, or `undefined` when the request did not pass the guard
 */
export function getOAuthPrincipal(request: unknown): OAuthPrincipal | undefined {
  return request !== null && typeof request === 'object' ? principals.get(request) : undefined;
}
