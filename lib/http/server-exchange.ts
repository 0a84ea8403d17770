/**
 * The provider side's exchange with Nest's HTTP layer, on Express and Fastify
 * alike: a framework request read as the core's `ServerRequest`, and the
 * core's `ServerResponse` sent through Nest's HTTP adapter as it is.
 *
 * One place for both provider modules (OAuth 2 authorization server, OAuth 1
 * provider): the protocol code never sees Express, Fastify or `node:http`.
 */
import type { ServerRequest, ServerResponse } from '../server/http/server-request.js';
import {
  FORM_TYPE,
  mediaType,
  nestRawBody,
  requestTarget,
  serverRequestOf,
} from './framework-request.js';

/** What is used of Nest's HTTP adapter to answer. */
export interface ReplyingAdapter {
  status(response: unknown, statusCode: number): unknown;
  setHeader(response: unknown, name: string, value: string): unknown;
  reply(response: unknown, body: unknown, statusCode?: number): unknown;
}

/**
 * The `ServerRequest` of a framework request (Express `Request`,
 * `FastifyRequest`, or Node's `IncomingMessage` with a parsed `body`).
 *
 * - **URL**: `origin` (the server's configured public origin; the `Host`
 *   header is never trusted) plus the path and query as received. A request
 *   target that is not a path (`GET http://other/x`) keeps only its path and
 *   query; no target can change the origin (`//other`, `/\\other` are paths).
 * - **Body**: a form body as raw text when Nest kept it (`rawBody: true`);
 *   else the parsed form made flat the way a raw parse would read it (see
 *   {@link flatForm}). Other bodies are passed as the framework parsed them
 *   (the core refuses what it does not read).
 *
 * @param request - the framework request
 * @param origin - the public origin (`https://auth.example.com`)
 * @returns the request for the provider core
 * @internal
 */
export function toServerRequest(request: any, origin: string): ServerRequest {
  const target = requestTarget(request);
  const body =
    mediaType(request?.headers?.['content-type']) === FORM_TYPE
      ? (nestRawBody(request) ?? flatForm(request?.body))
      : request?.body;
  return serverRequestOf(
    request,
    absoluteUrl(origin, typeof target === 'string' ? target : '/'),
    body,
  );
}

/**
 * Sends a response of the provider core as it is (status, headers, body)
 * through Nest's HTTP adapter.
 *
 * @param adapter - Nest's HTTP adapter
 * @param response - the framework response (Express `Response`, `FastifyReply`)
 * @param answer - what the core decided
 * @internal
 */
export function sendServerResponse(
  adapter: ReplyingAdapter,
  response: unknown,
  answer: ServerResponse,
): void {
  adapter.status(response, answer.status);
  prepareServerResponse(adapter, response, answer);
  adapter.reply(response, answer.body, answer.status);
}

/**
 * Puts the headers of a core response on the framework response without
 * sending it: before throwing the response as an exception, so that whichever
 * filter answers it keeps `Location`, `Cache-Control`, `WWW-Authenticate`.
 *
 * @param adapter - Nest's HTTP adapter
 * @param response - the framework response
 * @param answer - what the core decided
 * @internal
 */
export function prepareServerResponse(
  adapter: Pick<ReplyingAdapter, 'setHeader'>,
  response: unknown,
  answer: ServerResponse,
): void {
  for (const [name, value] of Object.entries(answer.headers)) {
    adapter.setHeader(response, name, value);
  }
}

/**
 * A parsed form body made flat: every parameter a string, a repeated one an
 * array of strings — what a raw `x-www-form-urlencoded` parse gives.
 *
 * Fastify's parser already gives that. Express's (`qs`, `extended: true`)
 * turns bracketed names into structure: `a[b]=c` into `{ a: { b: 'c' } }`,
 * `a[]=x` into `{ a: ['x'] }`. A raw parse would read parameters named
 * `a[b]` and `a[]` there, which no OAuth request has: so those entries are
 * left out (a one-element array only comes from brackets, as `a=x` gives a
 * string), and `client_secret[]=s` never counts as `client_secret`.
 *
 * @param body - the framework's parsed body
 * @returns the flat form, or the body as it is when it is not an object
 * @internal
 */
export function flatForm(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
    return body;
  }
  const flat: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') flat[name] = value;
    else if (
      Array.isArray(value) &&
      value.length > 1 &&
      value.every((v) => typeof v === 'string')
    ) {
      flat[name] = value as string[];
    }
  }
  return flat;
}

/**
 * `origin` + the request target's path and query. Appended as text to an
 * origin without a path, a target starting with `/` is always read as a path
 * (`//x`, `/\\x` included: the authority has ended); any other target
 * (absolute form, `*`) keeps only its path and query.
 */
function absoluteUrl(origin: string, target: string): string {
  const base = new URL(origin).origin;
  try {
    if (target.startsWith('/')) return new URL(`${base}${target}`).href;
    const url = new URL(target);
    return new URL(`${base}${url.pathname}${url.search}`).href;
  } catch {
    return `${base}/`;
  }
}
