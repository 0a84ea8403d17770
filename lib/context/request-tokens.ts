import type { OAuthAnyToken } from '../interfaces/oauth-client-options.interface.js';

const tokens = new WeakMap<object, Map<string, OAuthAnyToken>>();

/**
 * Keeps `token` as client `name`'s token for the rest of `request` (the token
 * a callback just obtained, or one just refreshed), as Authlib does: the
 * callback handler's API calls use it without `fetchToken` finding it.
 *
 * @internal
 */
export function setRequestToken(request: unknown, name: string, token: OAuthAnyToken): void {
  if (!request || typeof request !== 'object') return;
  let byName = tokens.get(request);
  if (!byName) tokens.set(request, (byName = new Map()));
  byName.set(name, token);
}

/**
 * The token kept for client `name` during `request`, if any.
 *
 * @internal
 */
export function getRequestToken(request: unknown, name: string): OAuthAnyToken | undefined {
  return request && typeof request === 'object' ? tokens.get(request)?.get(name) : undefined;
}
