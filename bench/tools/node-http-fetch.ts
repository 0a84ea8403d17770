/**
 * An experiment, not part of the library: a `fetch`-compatible function over
 * `node:http` / `node:https` with keep-alive agents, to measure how much of a
 * login is the platform `fetch` itself (bench/README.md, "Hot spots").
 * The body is read whole before the `Response` is returned.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Builds the experimental fetch. */
export function nodeHttpFetch(): FetchLike {
  const http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: 64 });
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url =
        typeof input === 'string'
          ? new URL(input)
          : input instanceof URL
            ? input
            : new URL(input.url);
      const headers: Record<string, string> = {};
      const given = init.headers;
      if (given instanceof Headers) given.forEach((v, k) => (headers[k] = v));
      else if (Array.isArray(given)) for (const [k, v] of given) headers[k.toLowerCase()] = v;
      else if (given)
        for (const [k, v] of Object.entries(given)) headers[k.toLowerCase()] = String(v);
      let body: string | undefined;
      if (typeof init.body === 'string') body = init.body;
      else if (init.body instanceof URLSearchParams) {
        body = init.body.toString();
        headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
      }
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const secure = url.protocol === 'https:';
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          agent: secure ? https : http,
          signal: init.signal ?? undefined,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const h = new Headers();
            for (let i = 0; i < res.rawHeaders.length; i += 2)
              h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
            const status = res.statusCode ?? 0;
            const nullBody =
              status === 204 ||
              status === 304 ||
              (status >= 300 && status < 400 && chunks.length === 0);
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: h }));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}
