/**
 * Sending a request to a protected resource once its bearer token is known:
 * the caller's headers with ours, through the `protectedRequest` compliance
 * hooks when there are any.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-2.1
 */
import { sendRequest } from '../http/fetcher.js';
import type { OAuth2Context } from './oauth2-context.js';
import type { ProtectedRequest } from './oauth2-types.js';

/**
 * Sends `init` to `url` with `Authorization: <authorization>` (when given),
 * replacing any `Authorization` of the caller's.
 *
 * @param ctx - the client's context (fetch settings, hooks)
 * @param method - the HTTP method
 * @param url - the resource
 * @param init - the fetch init without the client's own options
 * @param authorization - `Bearer <token>`, or `undefined` for a call without the token
 * @returns the response, unread
 * @internal
 */
export async function sendProtectedRequest(
  ctx: OAuth2Context,
  method: string,
  url: string,
  init: RequestInit,
  authorization: string | undefined,
): Promise<Response> {
  const hooks = ctx.hooks.protectedRequest;
  if (hooks.length === 0) {
    // No hook to hand a Headers object to: plain objects (a Headers costs fetch more).
    const given = init.headers;
    if (given === undefined) {
      const headers = authorization ? { authorization } : undefined;
      return sendRequest(url, { ...init, method, headers }, ctx.http);
    }
    if (isPlainObject(given)) {
      const headers: Record<string, string> = {};
      for (const key of Object.keys(given)) {
        // Ours replaces the caller's, whatever its case (as Headers#set does).
        if (authorization === undefined || key.toLowerCase() !== 'authorization') {
          headers[key] = (given as Record<string, string>)[key];
        }
      }
      if (authorization) headers.authorization = authorization;
      return sendRequest(url, { ...init, method, headers }, ctx.http);
    }
  }
  const headers = new Headers(init.headers);
  if (authorization) headers.set('Authorization', authorization);
  let request: ProtectedRequest = { url, headers, body: init.body };
  for (const hook of hooks) request = await hook(request);
  return sendRequest(
    request.url,
    { ...init, method, headers: request.headers, body: request.body },
    ctx.http,
  );
}

/** A `{ name: value }` record (not a `Headers`, not an array of pairs). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
