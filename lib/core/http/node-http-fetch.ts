/**
 * An opt-in `fetch` on `node:http` / `node:https`, for the `fetch` option of
 * every client (the platform `fetch` stays the default, SPEC §1).
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchLike } from './fetcher.js';
import { decodedBody, discard, encodeBody, webStream, type EncodedBody } from './node-http-body.js';
import { requestHeaders, type HeaderRecord } from './node-http-headers.js';

/** Options of {@link nodeHttpFetch}. */
export interface NodeHttpFetchOptions {
  /**
   * The agents to send with (default: one keep-alive pair per
   * {@link nodeHttpFetch} call). Give your own for a private CA, client
   * certificates or socket limits; TLS is verified unless your agent says
   * otherwise.
   */
  agent?: {
    /** The agent for `http:` URLs. */
    http?: HttpAgent;
    /** The agent for `https:` URLs. */
    https?: HttpsAgent;
  };
  /** How many redirects `redirect: 'follow'` follows before failing (default 20, as fetch). */
  maxRedirects?: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
/** Headers that describe a body: dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = [
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
  'content-length',
];
/** Credentials that never travel to another origin on a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization', 'host'];
/** Methods that may be sent twice (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** Methods fetch writes in upper case whatever case they were given in. */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/**
 * A `fetch`-compatible function on `node:http` / `node:https`, with
 * keep-alive agents, for the `fetch` option of every client. With logins
 * running concurrently it costs about 0.3 ms of CPU less per call than the
 * platform `fetch` (undici); one call at a time, about the same
 * (bench/README.md):
 *
 * ```ts
 * const client = new OAuth2Client({ clientId, clientSecret, fetch: nodeHttpFetch() });
 * ```
 *
 * It behaves as `fetch` does where the library relies on it: the body is a
 * stream read as it arrives (never buffered whole), decompressed first
 * (gzip, deflate, br), so `maxResponseBytes` counts inflated bytes; the
 * `signal` aborts the request or the body read (timeouts); `redirect`
 * `'manual'` returns the 3xx itself (nothing is sent to its target),
 * `'error'` rejects, `'follow'` follows up to `maxRedirects` with fetch's
 * rules (303 and POST after 301/302 become a GET without body; credentials
 * are dropped on a cross-origin hop); a network error rejects with
 * `TypeError('fetch failed', { cause })`.
 *
 * What it does not do itself goes to the platform `fetch` unchanged: a
 * `Request` object as input, a URL that is not http(s), a body that is not
 * a string, `URLSearchParams`, `ArrayBuffer` or a typed array (a stream,
 * `Blob`, `FormData`). No cookies, cache or CORS (a server-side client has
 * none either).
 */
export function nodeHttpFetch(options: NodeHttpFetchOptions = {}): FetchLike {
  const transport: Transport = {
    agents: {
      'http:': options.agent?.http ?? new HttpAgent({ keepAlive: true }),
      'https:': options.agent?.https ?? new HttpsAgent({ keepAlive: true }),
    },
    maxRedirects: options.maxRedirects ?? 20,
  };
  return (input, init) => {
    const body = encodeBody(init?.body);
    const url = typeof input === 'string' || input instanceof URL ? String(input) : undefined;
    if (!body || url === undefined || !/^https?:/i.test(url)) return globalThis.fetch(input, init);
    return send(transport, url, init ?? {}, body);
  };
}

interface Transport {
  agents: Record<string, HttpAgent>;
  maxRedirects: number;
}

/** One request as it goes through its redirects. */
interface Hop {
  url: URL;
  method: string;
  headers: HeaderRecord;
  bytes: Uint8Array | null;
}

async function send(
  transport: Transport,
  input: string,
  init: RequestInit,
  body: EncodedBody,
): Promise<Response> {
  init.signal?.throwIfAborted();
  const hop: Hop = {
    url: new URL(input),
    method: normalizeMethod(init.method ?? 'GET'),
    headers: requestHeaders(init.headers),
    bytes: body.bytes,
  };
  if (hop.url.username || hop.url.password) {
    throw new TypeError('Request cannot be constructed from a URL that includes credentials');
  }
  if (hop.bytes && (hop.method === 'GET' || hop.method === 'HEAD')) {
    throw new TypeError('Request with GET/HEAD method cannot have body.');
  }
  const headers = hop.headers;
  if (body.contentType && headers['content-type'] === undefined) {
    headers['content-type'] = body.contentType;
  }
  headers.accept ??= '*/*';
  headers['accept-encoding'] ??= 'gzip, deflate, br';

  const mode = init.redirect ?? 'follow';
  const exchange = new Exchange(transport, init.signal ?? undefined);
  try {
    for (let redirects = 0; ; redirects++) {
      const res = await exchange.request(hop);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (
        !REDIRECT_STATUSES.has(status) ||
        mode === 'manual' ||
        (mode === 'follow' && location === undefined)
      ) {
        return exchange.respond(res, hop, redirects > 0);
      }
      discard(res);
      if (mode === 'error' || location === undefined) {
        throw networkError(new Error('unexpected redirect'));
      }
      redirect(hop, status, location);
      if (redirects >= transport.maxRedirects)
        throw networkError(new Error('redirect count exceeded'));
    }
  } catch (err) {
    exchange.settled();
    throw err;
  }
}

/** Turns `hop` into the request a redirect asks for (fetch's HTTP-redirect fetch). */
function redirect(hop: Hop, status: number, location: string): void {
  let next: URL;
  try {
    next = new URL(location, hop.url);
  } catch (cause) {
    throw networkError(cause);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw networkError(new Error('URL scheme must be a HTTP(S) scheme'));
  }
  if (
    ((status === 301 || status === 302) && hop.method === 'POST') ||
    (status === 303 && hop.method !== 'GET' && hop.method !== 'HEAD')
  ) {
    hop.method = 'GET';
    hop.bytes = null;
    for (const name of BODY_HEADERS) delete hop.headers[name];
  }
  if (next.origin !== hop.url.origin) {
    for (const name of CREDENTIAL_HEADERS) delete hop.headers[name];
  }
  hop.url = next;
}

/**
 * The life of one call: its requests (one per redirect), the response body,
 * and the caller's signal, whose listener is removed once the call settles.
 */
class Exchange {
  private req?: ClientRequest;
  private body?: { destroy(): void };
  private rejectPending?: (reason: unknown) => void;
  private readonly onAbort = (): void => {
    const reason: unknown = this.signal?.reason;
    this.req?.destroy();
    this.body?.destroy();
    this.rejectPending?.(reason);
    this.rejectPending = undefined;
    this.settled();
  };

  constructor(
    private readonly transport: Transport,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /**
   * Sends one request; resolves with the response head. An idempotent
   * request whose kept-alive socket the server had reset is retried once on
   * a new connection; a POST is not (the server may have read it: an
   * authorization code or a refresh token is never sent twice).
   */
  request(hop: Hop, retry = true): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      if (this.signal?.aborted) return reject(this.signal.reason);
      this.rejectPending = reject;
      // The hop's own record (a redirect to GET has dropped its body headers).
      const headers = hop.headers;
      if (hop.bytes) headers['content-length'] = String(hop.bytes.byteLength);
      else if (hop.method === 'POST' || hop.method === 'PUT') headers['content-length'] = '0';
      const secure = hop.url.protocol === 'https:';
      const req = (secure ? httpsRequest : httpRequest)(hop.url, {
        method: hop.method,
        headers,
        agent: this.transport.agents[hop.url.protocol],
      });
      this.req = req;
      req.once('response', (res) => {
        this.rejectPending = undefined;
        resolve(res);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (this.rejectPending !== reject) return;
        if (retry && req.reusedSocket && err.code === 'ECONNRESET' && IDEMPOTENT.has(hop.method)) {
          resolve(this.request(hop, false));
        } else {
          reject(networkError(err));
        }
      });
      req.end(hop.bytes ?? undefined);
    });
  }

  /** The `Response` for a response head; its body streams from `res`. */
  respond(res: IncomingMessage, hop: Hop, redirected: boolean): Response {
    const status = res.statusCode ?? 0;
    try {
      const headers = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        headers.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
      }
      let body: ReadableStream<Uint8Array> | null = null;
      if (hop.method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
        discard(res);
        this.settled();
      } else {
        const source = decodedBody(res, headers.get('content-encoding'));
        this.body = source;
        body = webStream(source, {
          error: (err) => (this.signal?.aborted ? this.signal.reason : terminated(err)),
          cancel: () => {
            source.destroy();
            res.destroy();
          },
          settled: () => this.settled(),
        });
      }
      const response = new Response(body, { status, statusText: res.statusMessage, headers });
      Object.defineProperties(response, {
        url: { value: hop.url.href.replace(/#.*$/, '') },
        redirected: { value: redirected },
      });
      return response;
    } catch (cause) {
      res.destroy();
      this.settled();
      throw networkError(cause);
    }
  }

  /** The call is over: the signal no longer concerns it. */
  settled(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

/** A network error as undici reports it. */
function networkError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

/** A body that stopped before its end, as undici reports it. */
function terminated(cause: unknown): TypeError {
  return new TypeError('terminated', { cause });
}
