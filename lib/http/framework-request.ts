/**
 * What every part of the Nest layer reads alike of a framework request
 * (Express `Request`, `FastifyRequest`, Node's `IncomingMessage`): the request
 * target as received, the body's media type, the raw body Nest kept, and the
 * core's `ServerRequest` put together from them.
 *
 * Each provider module keeps its own rules on top (the URL's origin, which
 * form body is read): see `server-exchange.ts` (OAuth 2) and
 * `oauth1-server/http/server-request.factory.ts` (OAuth 1).
 */
import type { ServerRequest } from '../server/http/server-request.js';

/**
 * The media type of form bodies.
 *
 * @internal
 */
export const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The request target as received (path and query, `/callback?code=...`):
 * Express's `originalUrl` (not changed by mounted routers), Fastify's raw URL,
 * else `url`. Not checked: may be absent or not a path.
 *
 * @param request - the framework request
 * @internal
 */
export function requestTarget(request: any): unknown {
  return request?.originalUrl ?? request?.raw?.url ?? request?.url;
}

/**
 * The media type of a `Content-Type` header value, lower case, without
 * parameters (`application/x-www-form-urlencoded; charset=utf-8` gives
 * `application/x-www-form-urlencoded`); `undefined` when there is none.
 *
 * @param header - the header value (the first one when it is an array)
 * @internal
 */
export function mediaType(header: unknown): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return undefined;
  return value.split(';')[0]!.trim().toLowerCase() || undefined;
}

/**
 * The body Nest kept as it was sent (`rawBody: true`), as text.
 *
 * @param request - the framework request
 * @internal
 */
export function nestRawBody(request: any): string | undefined {
  const raw: unknown = request?.rawBody;
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : undefined;
}

/**
 * The core's `ServerRequest` of a framework request, from what the module
 * decided: the method upper case, the `Content-Type` media type when there
 * is one.
 *
 * @param request - the framework request
 * @param url - the absolute URL of the request
 * @param body - the body as the core should read it
 * @param headers - the headers (default: the request's)
 * @internal
 */
export function serverRequestOf(
  request: any,
  url: string,
  body: unknown,
  headers: ServerRequest['headers'] = request?.headers ?? {},
): ServerRequest {
  const contentType = mediaType(request?.headers?.['content-type']);
  return {
    method: String(request?.method ?? 'GET').toUpperCase(),
    url,
    headers,
    body,
    ...(contentType ? { contentType } : {}),
  };
}
