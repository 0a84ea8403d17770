/**
 * Bodies for {@link nodeHttpFetch}: the request bodies it sends itself
 * (encoded once, so a 307/308 can resend them), and the response body as a
 * web `ReadableStream` fed chunk by chunk from the `IncomingMessage`,
 * decompressed first (so a byte cap counts inflated bytes, as with undici).
 */
import type { IncomingMessage } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import {
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  type ZlibOptions,
} from 'node:zlib';

/** A request body {@link nodeHttpFetch} sends itself: bytes (or none) and the content type fetch would give it. */
export interface EncodedBody {
  bytes: Uint8Array | null;
  contentType?: string;
}

/**
 * Encodes a body the way `fetch` does: a string as UTF-8 (`text/plain`), a
 * `URLSearchParams` as a form, bytes copied as they are. `undefined` for any
 * other body (a stream, `Blob`, `FormData`): {@link nodeHttpFetch} hands
 * those to the platform `fetch`.
 */
export function encodeBody(body: RequestInit['body']): EncodedBody | undefined {
  if (body === null || body === undefined) return { bytes: null };
  if (typeof body === 'string') {
    return { bytes: Buffer.from(body, 'utf8'), contentType: 'text/plain;charset=UTF-8' };
  }
  if (body instanceof URLSearchParams) {
    return {
      bytes: Buffer.from(body.toString(), 'utf8'),
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
    };
  }
  if (body instanceof ArrayBuffer) return { bytes: Buffer.from(new Uint8Array(body)) };
  if (ArrayBuffer.isView(body)) {
    return { bytes: Buffer.from(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)) };
  }
  return undefined;
}

/** zlib settles for what arrived on a truncated stream (as undici does) rather than failing the read. */
const LENIENT: ZlibOptions = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

const DECODERS: Record<string, () => Transform> = {
  gzip: () => createGunzip(LENIENT),
  'x-gzip': () => createGunzip(LENIENT),
  deflate: () => createInflate(LENIENT),
  br: () =>
    createBrotliDecompress({
      flush: constants.BROTLI_OPERATION_FLUSH,
      finishFlush: constants.BROTLI_OPERATION_FLUSH,
    }),
};

/**
 * The response body, decoded as `Content-Encoding` says (a list is undone
 * last coding first). A coding it does not know leaves the body as it came.
 * Destroying the returned stream destroys the response (and its socket).
 */
export function decodedBody(res: IncomingMessage, contentEncoding: string | null): Readable {
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter(Boolean)
    .reverse();
  if (codings.some((coding) => !DECODERS[coding])) return res;
  let body: Readable = res;
  for (const coding of codings) body = pipeline(body, DECODERS[coding](), () => undefined);
  return body;
}

/** What {@link webStream} tells its owner. */
export interface StreamHooks {
  /** The error the web stream errors with, for an error of the Node stream. */
  error(err: unknown): unknown;
  /** The reader cancelled the stream: tear the connection down. */
  cancel(reason: unknown): void;
  /** The stream ended, failed or was cancelled (called once). */
  settled(): void;
}

/**
 * A web `ReadableStream` over a Node stream that holds at most one chunk
 * beyond what the reader asked for: the Node stream is paused whenever the
 * web stream's queue is full, so an endless body costs bounded memory and a
 * reader that stops reading stops the download (TCP backpressure).
 */
export function webStream(source: Readable, hooks: StreamHooks): ReadableStream<Uint8Array> {
  let settled = false;
  const settle = (): boolean => {
    if (settled) return false;
    settled = true;
    hooks.settled();
    return true;
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      source.on('data', (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      });
      source.once('end', () => settle() && controller.close());
      source.on('error', (err) => settle() && controller.error(hooks.error(err)));
      source.once('close', () => {
        if (!source.readableEnded && settle()) {
          controller.error(hooks.error(new Error('the connection closed before the body ended')));
        }
      });
    },
    pull() {
      source.resume();
    },
    cancel(reason) {
      if (settle()) hooks.cancel(reason);
    },
  });
}

/** Drops a body nobody will read: a small one is drained (the socket is reused), a large one cut. */
export function discard(res: IncomingMessage): void {
  let left = 64 * 1024;
  res.on('data', (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) res.destroy();
  });
  res.on('error', () => undefined);
}
