import {
  InvalidResponseError,
  OAuthError,
  OAuthNetworkError,
  OAuthTimeoutError,
  ResponseTooLargeError,
} from '../errors.js';
import { describeEndpoint, Redactor } from '../util/redact.js';

/** A `fetch`-compatible function; the platform `fetch` by default. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Default timeout of every network call, in milliseconds. */
export const DEFAULT_TIMEOUT = 30_000;

/** Default cap on a provider's response body: 1 MiB, counted after decompression. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** Transport settings shared by every client. */
export interface HttpOptions {
  /** Replaces the platform `fetch`. */
  fetch?: FetchLike;
  /**
   * Per-request timeout in milliseconds (default 30 000): until the response
   * headers for API calls, the whole exchange for OAuth endpoints. `0` turns
   * it off (no `AbortSignal` is given to `fetch`, the fastest path).
   */
  timeout?: number;
  /**
   * The largest body read from a provider's endpoint (token, refresh,
   * discovery, JWKS, UserInfo, revocation, introspection, OAuth 1
   * credentials), in bytes, counted after decompression; default 1 MiB.
   * A larger body is aborted with {@link ResponseTooLargeError}. Bodies of
   * API calls (`get`, `post`, ...) are yours to read and are not capped.
   */
  maxResponseBytes?: number;
}

/** What a failure needs to be reported: where, how long, and which values to keep out of messages. */
export interface CallContext {
  /** The endpoint as errors name it (origin and path only, see `describeEndpoint`). */
  endpoint: string;
  /** The timeout that applied, in milliseconds (reported by {@link OAuthTimeoutError}). */
  timeout: number;
  /** Values (tokens, codes, secrets) redacted from every field of a provider's error. */
  secrets?: Iterable<string | undefined>;
  /**
   * The body cap in bytes (default: the `maxResponseBytes` the response was
   * sent with, else {@link DEFAULT_MAX_RESPONSE_BYTES}).
   */
  maxBytes?: number;
}

/** What a response's body read needs from its request: the controller (to abort) and the cap. */
interface SentWith {
  controller?: AbortController;
  maxBytes?: number;
}
const sentWith = new WeakMap<Response, SentWith>();

/** Decodes whole bodies (never streaming, so one instance serves every call). */
const utf8 = new TextDecoder();

/**
 * Sends a request with a timeout that runs until the response headers arrive
 * (a body read by {@link readOAuthResponse} gets its own). A network failure
 * becomes {@link OAuthNetworkError}, a timeout {@link OAuthTimeoutError}; both
 * name the endpoint (origin and path only). An abort by the caller's own
 * signal is rethrown as it is.
 *
 * A plain timer and `AbortController` cost well under a microsecond, against
 * about 14 µs for `AbortSignal.timeout()`: this sits on every API call.
 */
export async function sendRequest(
  url: string | URL,
  init: RequestInit,
  options: HttpOptions = {},
): Promise<Response> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const fetcher = options.fetch ?? fetch;
  if (!(timeout > 0 && timeout < Infinity)) {
    // Timeout off: no signal at all (giving fetch one costs a few percent per request).
    let response: Response;
    try {
      response = await fetcher(url, init);
    } catch (err) {
      throw toTransportError(err, { endpoint: describeEndpoint(url), timeout }, init.signal);
    }
    if (options.maxResponseBytes !== undefined) {
      sentWith.set(response, { maxBytes: options.maxResponseBytes });
    }
    return response;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutReason()), timeout);
  const signal = init.signal
    ? AbortSignal.any([init.signal, controller.signal])
    : controller.signal;
  try {
    const response = await fetcher(url, { ...init, signal });
    sentWith.set(response, { controller, maxBytes: options.maxResponseBytes });
    return response;
  } catch (err) {
    throw toTransportError(err, { endpoint: describeEndpoint(url), timeout }, init.signal);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends a request to one of the provider's own endpoints (token, revocation,
 * introspection, discovery, JWKS, UserInfo, OAuth 1 credentials): like
 * {@link sendRequest}, but redirects are never followed. A 3xx answer is an
 * {@link InvalidResponseError} naming the endpoint, and the redirect target
 * receives nothing (no code, verifier, secret or token travels on).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.11
 */
export async function sendToEndpoint(
  url: string | URL,
  init: RequestInit,
  options: HttpOptions = {},
): Promise<Response> {
  const response = await sendRequest(url, { ...init, redirect: 'manual' }, options);
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    discardBody(response);
    throw new InvalidResponseError(
      describeEndpoint(url),
      `HTTP ${response.status || 'redirect'}: redirects from this endpoint are not followed`,
      { status: response.status },
    );
  }
  return response;
}

/** Drops a body that will not be read, releasing its connection. */
export function discardBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/**
 * Reads a body as UTF-8 within `timeout` ms and `maxBytes` bytes (counted as
 * the bytes arrive, after decompression), aborting the request when it
 * stalls or grows past the cap.
 */
async function readText(
  response: Response,
  timeout: number,
  maxBytes: number,
  endpoint: string,
): Promise<string> {
  const body = response.body;
  if (!body) return '';
  const reader = body.getReader();
  const read = readCapped(reader, maxBytes, endpoint, response.status);
  if (!(timeout > 0 && timeout < Infinity)) {
    return read.catch((err: unknown) => {
      abortBody(response, reader, err);
      throw err;
    });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutReason()), timeout);
  });
  try {
    return await Promise.race([read, expired]);
  } catch (err) {
    read.catch(() => undefined);
    abortBody(response, reader, err);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  endpoint: string,
  status: number,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) throw new ResponseTooLargeError(endpoint, maxBytes, { status });
    chunks.push(value);
  }
  // TextDecoder, as Response.text(): UTF-8, a BOM dropped, bad bytes replaced.
  return utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
}

/** Stops a body being read: cancels the reader and aborts the request (its socket goes). */
function abortBody(
  response: Response,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  reason: unknown,
): void {
  reader.cancel(reason).catch(() => undefined);
  sentWith.get(response)?.controller?.abort(reason);
}

function timeoutReason(): DOMException {
  return new DOMException('The operation timed out.', 'TimeoutError');
}

/**
 * Reads an OAuth endpoint's response: JSON or form-encoded (whatever the
 * content type claims, as long as the body is one of them). An `error` member
 * becomes {@link OAuthError}; anything that is not a JSON object or a form
 * (an HTML error page, malformed JSON) becomes {@link InvalidResponseError}.
 */
export async function readOAuthResponse(
  response: Response,
  context: CallContext,
): Promise<Record<string, unknown>> {
  return parseOAuthResponse(await readResponseText(response, context), response, context);
}

/**
 * Reads a response body within the call's timeout and byte cap (the request
 * is aborted when the body stalls or grows past the cap); failures become
 * named errors: {@link OAuthTimeoutError}, {@link ResponseTooLargeError},
 * {@link OAuthNetworkError}.
 */
export async function readResponseText(response: Response, context: CallContext): Promise<string> {
  const maxBytes =
    context.maxBytes ?? sentWith.get(response)?.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  try {
    return await readText(response, context.timeout, maxBytes, context.endpoint);
  } catch (err) {
    throw toTransportError(err, context);
  }
}

/**
 * {@link readOAuthResponse} on a body already read. Every field of the error
 * (`error` itself, description, uri, the attached response) has the call's
 * secrets redacted in all their wire forms: a provider echoing the request
 * cannot put a secret into a message, a log line or an HTTP answer.
 */
export function parseOAuthResponse(
  text: string,
  response: Response,
  context: CallContext,
): Record<string, unknown> {
  const { endpoint } = context;
  const data = parseBody(text, response.headers.get('content-type') ?? '');
  if (data && typeof data.error === 'string') {
    const redactor = new Redactor(context.secrets ?? []);
    throw new OAuthError(redactor.text(data.error), {
      description:
        typeof data.error_description === 'string'
          ? redactor.text(data.error_description)
          : undefined,
      uri: typeof data.error_uri === 'string' ? redactor.text(data.error_uri) : undefined,
      endpoint,
      status: response.status,
      response: redactor.value(data),
    });
  }
  if (!response.ok) {
    throw new InvalidResponseError(endpoint, `HTTP ${response.status}`, {
      status: response.status,
      response: new Redactor(context.secrets ?? []).value(data),
    });
  }
  if (!data) {
    throw new InvalidResponseError(
      endpoint,
      `body is neither a JSON object nor a form (${mediaType(response, context)})`,
      {
        status: response.status,
      },
    );
  }
  return data;
}

/** The response's media type as a message may show it: a well-formed type, redacted, or a placeholder. */
function mediaType(response: Response, context: CallContext): string {
  const header = response.headers.get('content-type');
  if (header === null) return 'no content type';
  const type = header.split(';')[0].trim();
  return /^[\w.+-]{1,64}\/[\w.+-]{1,64}$/.test(type)
    ? new Redactor(context.secrets ?? []).text(type)
    : 'an unrecognized content type';
}

/**
 * Parses a body as a JSON object or an `application/x-www-form-urlencoded`
 * form; `undefined` when it is neither.
 */
export function parseBody(text: string, contentType: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      return value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  if (contentType.includes('json') || trimmed === '' || /[\s<>]/.test(trimmed)) return undefined;
  if (!trimmed.includes('=')) return undefined;
  return Object.fromEntries(new URLSearchParams(trimmed));
}

/** Maps an error thrown by `fetch` or a body read to a named transport error. */
export function toTransportError(
  err: unknown,
  context: CallContext,
  callerSignal?: AbortSignal | null,
): unknown {
  if (err instanceof OAuthError) return err;
  if (callerSignal?.aborted) return err;
  const name = (err as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new OAuthTimeoutError(context.endpoint, context.timeout, { cause: err });
  }
  return new OAuthNetworkError(context.endpoint, { cause: err });
}
