/**
 * The raw text of form-encoded request bodies, kept for the OAuth 1
 * signature check, with Nest's default body parsers left in place.
 *
 * An OAuth 1 signature covers every form parameter as it was sent (RFC 5849
 * §3.4.1.3.1). Nest's Express parser reads forms with `qs` (`extended:
 * true`), which turns `a[b]=c` into nested objects and `a[]=1` into an array
 * named `a`: the names the client signed are gone. So the module keeps the
 * bytes the parser reads:
 *
 * - Express: the app's `urlencoded` parser layer (Nest's, or one the app
 *   registered) is wrapped so that the body's chunks are also collected as
 *   the parser reads them; `req.body` stays what the parser makes of it.
 * - Fastify: a `preParsing` hook passes the payload through a stream that
 *   keeps a copy; the content-type parser is untouched.
 *
 * Only `application/x-www-form-urlencoded` bodies without a
 * `Content-Encoding` are kept, up to 1 MiB (the parsers' own limits apply
 * first), for as long as the request object lives. Nest's `rawBody: true`
 * works too (`req.rawBody` is used when nothing was kept).
 */
import { pipeline, Transform, type Readable } from 'node:stream';
import { FORM_TYPE, mediaType, nestRawBody } from '../../http/framework-request.js';
import { DEFAULT_MAX_REQUEST_BODY } from '../../server/http/node-adapter.js';

/** The methods whose body Fastify leaves unread. */
const BODYLESS = new Set(['GET', 'HEAD', 'TRACE']);

/** Raw bodies by Node request (`IncomingMessage`). */
const kept = new WeakMap<object, string>();
/** Express applications and Fastify instances already set up. */
const prepared = new WeakSet<object>();

/** What is used of Nest's HTTP adapter. */
interface AdapterLike {
  getType?(): string;
  getInstance<T = unknown>(): T;
}

/** What is used of an Express application. */
interface ExpressLike {
  router?: { stack?: Array<{ handle?: unknown }> };
  _router?: { stack?: Array<{ handle?: unknown }> };
}

type Middleware = (req: any, res: unknown, next: (error?: unknown) => void) => void;

/** What is used of a Fastify instance. */
interface FastifyLike {
  addHook(
    name: 'preParsing',
    hook: (
      request: { raw: object; method: string; headers: Record<string, unknown> },
      reply: unknown,
      payload: Readable,
      done: (error: Error | null, payload?: Readable) => void,
    ) => void,
  ): unknown;
}

/**
 * Makes the app keep the raw text of form bodies (see the file's comment).
 * Call it after Nest registered its body parsers and before the app serves
 * requests: `OAuth1ServerModule.configure()` does.
 *
 * @param adapter - Nest's HTTP adapter
 * @returns whether the platform is one the module knows how to read raw forms on
 * @internal
 */
export function keepRawFormBodies(adapter: AdapterLike | undefined): boolean {
  const type = adapter?.getType?.();
  const instance = adapter?.getInstance();
  if (!instance || (typeof instance !== 'object' && typeof instance !== 'function')) return false;
  if (prepared.has(instance as object)) return true;
  if (type === 'express') {
    const stack = ((instance as ExpressLike).router ?? (instance as ExpressLike)._router)?.stack;
    for (const layer of stack ?? []) {
      const parse = layer.handle as Middleware | undefined;
      if (typeof parse === 'function' && parse.name === 'urlencodedParser') {
        layer.handle = collecting(parse);
      }
    }
  } else if (type === 'fastify') {
    (instance as FastifyLike).addHook('preParsing', (request, _reply, payload, done) => {
      // Fastify reads no body on GET, HEAD and TRACE: readUnparsedFormBody() does, when asked.
      if (BODYLESS.has(request.method) || !isPlainForm(request.headers)) return done(null, payload);
      // pipeline() ends the copy when the payload fails (a client that goes away).
      done(
        null,
        pipeline(payload, copying(request.raw), () => undefined),
      );
    });
  } else {
    return false;
  }
  prepared.add(instance as object);
  return true;
}

/**
 * The raw text of the request's form body, if it was kept (or Nest's
 * `rawBody` option put it on the request).
 *
 * @param request - the framework request (Express `Request`, `FastifyRequest`)
 * @internal
 */
export function rawFormBody(request: any): string | undefined {
  const raw = request?.raw ?? request;
  const text = raw && typeof raw === 'object' ? kept.get(raw) : undefined;
  return text ?? nestRawBody(request);
}

/**
 * Reads a form body nobody has read (a GET on Fastify, an Express app without
 * a `urlencoded` parser), up to 1 MiB; `undefined` when there is none to read or it is larger.
 *
 * @param request - the framework request
 * @internal
 */
export async function readUnparsedFormBody(request: any): Promise<string | undefined> {
  const raw = request?.raw ?? request;
  if (!isPlainForm(raw?.headers ?? {}) || typeof raw?.on !== 'function') return undefined;
  if (raw.readableEnded || raw.readableDidRead || raw.body !== undefined) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > DEFAULT_MAX_REQUEST_BODY) return undefined;
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  kept.set(raw, text);
  return text;
}

/** A form body the parsers read as it was sent (no compression). */
function isPlainForm(headers: Record<string, unknown>): boolean {
  const encoding = String(headers['content-encoding'] ?? 'identity').toLowerCase();
  return mediaType(headers['content-type']) === FORM_TYPE && encoding === 'identity';
}

/** Wraps an Express `urlencoded` parser so that the chunks it reads are kept too. */
function collecting(parse: Middleware): Middleware {
  const wrapped: Middleware = (req, res, next) => {
    if (isPlainForm(req.headers ?? {}) && !req.readableEnded) {
      // The parser adds its own 'data' listener before this tick ends, so both see every chunk.
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size <= DEFAULT_MAX_REQUEST_BODY) chunks.push(chunk);
      };
      req.on('data', onData);
      req.once('end', () => {
        req.off('data', onData);
        if (size <= DEFAULT_MAX_REQUEST_BODY) kept.set(req, Buffer.concat(chunks).toString('utf8'));
      });
    }
    parse(req, res, next);
  };
  Object.defineProperty(wrapped, 'name', { value: parse.name });
  return wrapped;
}

/** A pass-through stream that keeps a copy of what goes through it for `raw`. */
function copying(raw: object): Transform {
  const chunks: Buffer[] = [];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size <= DEFAULT_MAX_REQUEST_BODY) chunks.push(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      if (size <= DEFAULT_MAX_REQUEST_BODY) kept.set(raw, Buffer.concat(chunks).toString('utf8'));
      callback();
    },
  });
}
