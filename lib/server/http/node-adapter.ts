import type { IncomingMessage, ServerResponse as NodeResponse } from 'node:http';
import type { ServerRequest, ServerResponse } from './server-request.js';

/** Default cap on a request body read by {@link readNodeRequest}: 1 MiB. */
export const DEFAULT_MAX_REQUEST_BODY = 1024 * 1024;

/** Options of {@link readNodeRequest}. */
export interface NodeRequestOptions {
  /** The origin the app is reached at (`https://auth.example.com`); default: from the `Host` header over plain HTTP. */
  origin?: string;
  /** Largest body read, in bytes (default 1 MiB); a larger body rejects with a `RangeError`. */
  maxBodyBytes?: number;
}

/**
 * Builds a {@link ServerRequest} from a plain `node:http` request, reading its
 * body (up to `maxBodyBytes`) as text. For apps that use the provider side
 * without Nest, and for tests.
 *
 * @param req - the incoming request
 * @param options - the public origin and the body cap
 */
export async function readNodeRequest(
  req: IncomingMessage,
  options: NodeRequestOptions = {},
): Promise<ServerRequest> {
  const max = options.maxBodyBytes ?? DEFAULT_MAX_REQUEST_BODY;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new RangeError(`request body over ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  const origin = options.origin ?? `http://${req.headers.host ?? 'localhost'}`;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url: new URL(req.url ?? '/', origin).href,
    headers: nodeRequestHeaders(req),
    body: chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined,
    contentType: contentType || undefined,
  };
}

/**
 * The headers of a `node:http` request (also an Express request, or a Fastify
 * request's `raw`) as {@link ServerRequest} wants them. Node keeps only the
 * first of several `Authorization` headers in `req.headers`; here they are
 * all kept, as an array, so a token sent twice can be refused (RFC 6750 §2).
 *
 * @param req - the incoming request
 * @returns `req.headers`, or a copy with `authorization` as an array when it was sent more than once
 */
export function nodeRequestHeaders(req: IncomingMessage): IncomingMessage['headers'] {
  const raw = req.rawHeaders;
  let values: string[] | undefined;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === 13 && raw[i].toLowerCase() === 'authorization') {
      (values ??= []).push(raw[i + 1]);
      count++;
    }
  }
  if (count < 2) return req.headers;
  return { ...req.headers, authorization: values } as IncomingMessage['headers'];
}

/**
 * Writes a {@link ServerResponse} to a plain `node:http` response.
 * @param res - the response to write
 * @param response - what the protocol code decided
 */
export function writeNodeResponse(res: NodeResponse, response: ServerResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
