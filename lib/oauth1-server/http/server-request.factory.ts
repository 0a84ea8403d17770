/**
 * The framework request (Express `Request`, `FastifyRequest`) as the
 * provider core reads it: a `ServerRequest` with the absolute URL clients
 * signed, every `Authorization` header sent, and the raw form body.
 */
import {
  FORM_TYPE,
  mediaType,
  requestTarget,
  serverRequestOf,
} from '../../http/framework-request.js';
import { isValidHost } from '../../http/http-exchange.js';
import type { ServerRequest } from '../../server/http/server-request.js';
import { OAuth1ProviderError } from '../../server/oauth1/oauth1-provider-error.js';
import { rawFormBody, readUnparsedFormBody } from './raw-form-body.js';

/** The framework request each `ServerRequest` was built from (for the hooks). */
const httpRequests = new WeakMap<ServerRequest, unknown>();

/**
 * Builds the `ServerRequest` of a framework request.
 *
 * The URL is `origin` (when configured) or the request's own origin — the
 * protocol as the framework reports it (Express `trust proxy`, Fastify
 * `trustProxy`: `X-Forwarded-Proto`), the host as it reports it (`Host`, or
 * `X-Forwarded-Host` when the proxy is trusted) — plus the path and query as
 * received. A request target that is not a path (`GET http://other/`,
 * `GET //other/`) and a malformed `Host` are refused with 400
 * `parameter_rejected`: they would put another origin in the signed URL.
 *
 * @param request - the framework request
 * @param origin - the configured public origin, if any
 * @returns the request for the provider core
 * @throws {OAuth1ProviderError} 400 for a request target or `Host` that makes no URL
 * @internal
 */
export async function toServerRequest(request: any, origin?: string): Promise<ServerRequest> {
  const target = requestTarget(request);
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) {
    throw new OAuth1ProviderError('parameter_rejected', 'the request target must be a path');
  }
  const url = new URL(target, origin ?? requestOrigin(request)).href;
  const body =
    mediaType(request?.headers?.['content-type']) === FORM_TYPE
      ? (rawFormBody(request) ?? (await readUnparsedFormBody(request)) ?? request.body)
      : request?.body;
  const serverRequest = serverRequestOf(request, url, body, withEveryAuthorization(request));
  httpRequests.set(serverRequest, request);
  return serverRequest;
}

/**
 * The framework request a `ServerRequest` was built from.
 *
 * @param request - a request built by {@link toServerRequest}
 * @internal
 */
export function httpRequestOf(request: ServerRequest): unknown {
  return httpRequests.get(request);
}

function requestOrigin(request: any): string {
  const protocol =
    request?.protocol === 'https' || request?.protocol === 'http'
      ? request.protocol
      : (request?.socket ?? request?.raw?.socket)?.encrypted
        ? 'https'
        : 'http';
  const host = typeof request?.host === 'string' ? request.host : request?.headers?.host;
  if (!isValidHost(host)) {
    throw new OAuth1ProviderError('parameter_rejected', 'the Host header is not valid');
  }
  return `${protocol}://${host}`;
}

/**
 * The request's headers, with `authorization` holding every value when the
 * header was sent more than once (Node keeps only the first; the core refuses
 * a repeated OAuth header).
 */
function withEveryAuthorization(request: any): Record<string, string | string[] | undefined> {
  const headers = request?.headers ?? {};
  const raw: unknown = (request?.raw ?? request)?.rawHeaders;
  if (!Array.isArray(raw)) return headers;
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (String(raw[i]).toLowerCase() === 'authorization') values.push(String(raw[i + 1]));
  }
  return values.length > 1 ? { ...headers, authorization: values } : headers;
}
