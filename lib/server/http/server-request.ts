/**
 * The framework-neutral request and response the provider side works on
 * (authorization server, OAuth 1 provider, resource protection). The Nest
 * layer and the plain-Node adapter build a {@link ServerRequest} from their
 * own request objects and write a {@link ServerResponse} back; the protocol
 * code never sees Express, Fastify or `node:http`.
 */

/** An incoming HTTP request, as the protocol code reads it. */
export interface ServerRequest {
  /** The HTTP method, upper-case (`GET`, `POST`). */
  method: string;
  /**
   * The absolute URL the client addressed (scheme, host, path and query), as
   * the app sees it behind its trusted proxy. OAuth 1 signatures and RFC 9207
   * issuers are computed from it.
   */
  url: string;
  /**
   * Request headers with lower-case names; a header sent more than once is an
   * array (Node's `IncomingHttpHeaders` shape, which Express and Fastify share).
   */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The body as the framework parsed it (a form or JSON object), or the raw
   * text. Never trusted for its shape: read it with `formParameters()`.
   */
  body?: unknown;
  /** The body's media type without parameters (`application/x-www-form-urlencoded`), when known. */
  contentType?: string;
}

/** The response the protocol code decided on. */
export interface ServerResponse {
  /** The HTTP status. */
  status: number;
  /** Response headers (`Content-Type`, `Cache-Control`, `WWW-Authenticate`, `Location`, ...). */
  headers: Record<string, string>;
  /** The serialized body, or `undefined` for none (a redirect). */
  body?: string;
}

/**
 * The parameters of a request part as name → every value sent, in order
 * (a repeated parameter keeps all its values, so callers can refuse it).
 */
export type RequestParameters = Map<string, string[]>;

/**
 * Reads a form (or flat JSON) body into {@link RequestParameters}.
 *
 * Frameworks parse forms differently (Express's `qs` builds nested objects from
 * `a[b]=c`, arrays from repeats; Fastify's `querystring` gives arrays). Every
 * value must be a string or an array of strings; anything else means the body
 * is not a flat form and `undefined` is returned (the caller answers
 * `invalid_request`).
 *
 * @param body - the framework's parsed body, a raw `x-www-form-urlencoded` string, or `undefined`
 * @returns the parameters, an empty map for no body, or `undefined` for a body that is not a flat form
 */
export function formParameters(body: unknown): RequestParameters | undefined {
  const params: RequestParameters = new Map();
  if (body === undefined || body === null || body === '') return params;
  if (typeof body === 'string') {
    for (const [name, value] of new URLSearchParams(body)) append(params, name, value);
    return params;
  }
  if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) return undefined;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') append(params, name, value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      for (const v of value as string[]) append(params, name, v);
    } else return undefined;
  }
  return params;
}

/**
 * Reads the query string of a request URL into {@link RequestParameters}.
 * @param url - the request's absolute URL
 */
export function queryParameters(url: string): RequestParameters {
  const params: RequestParameters = new Map();
  for (const [name, value] of new URL(url).searchParams) append(params, name, value);
  return params;
}

/**
 * The one value of a header; `undefined` when absent, and when sent more than
 * once (the caller decides whether that is an error).
 */
export function singleHeader(request: ServerRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

function append(params: RequestParameters, name: string, value: string): void {
  const values = params.get(name);
  if (values) values.push(value);
  else params.set(name, [value]);
}
