import { formParameters, type ServerRequest } from '../http/server-request.js';
import { invalidRequest, missingToken } from './bearer-error.js';

/** Options of {@link extractBearerToken}. */
export interface BearerExtractionOptions {
  /**
   * Also accept the token as the `access_token` form parameter of a
   * `application/x-www-form-urlencoded` body (RFC 6750 §2.2; never on GET).
   * Default `false`: the `Authorization` header only. The URI query method
   * (§2.3) is never accepted: URLs end up in logs.
   */
  allowFormBody?: boolean;
  /** Longest token accepted, in characters (default 16 384). */
  maxTokenLength?: number;
}

/** Default of {@link BearerExtractionOptions.maxTokenLength}. */
export const DEFAULT_MAX_TOKEN_LENGTH = 16_384;

/** RFC 6750 §2.1 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * Reads the bearer token of a request as RFC 6750 §2 says, or explains why
 * there is none.
 *
 * - `Authorization: Bearer <b64token>` (scheme case-insensitive, one or more
 *   spaces); an `Authorization` header of another scheme (`Basic`, `DPoP`)
 *   counts as no bearer token.
 * - With `allowFormBody`: the `access_token` parameter of a form body on a
 *   method other than GET/HEAD.
 *
 * @param request - the request (headers with lower-case names; a repeated header is an array)
 * @param options - whether the form-body method is accepted, and the length cap
 * @returns the token
 * @throws {BearerTokenError} `missing_token` (401, no error code) when no bearer token was sent;
 *   `invalid_request` (400) for a malformed `Bearer` header, two `Authorization` headers,
 *   a token sent by two methods or twice in the body, or an oversized token
 * @example
 * ```ts
 * const token = extractBearerToken({ method: 'GET', url, headers: { authorization: 'Bearer abc' } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-2
 */
export function extractBearerToken(
  request: Pick<ServerRequest, 'method' | 'headers' | 'body' | 'contentType'>,
  options: BearerExtractionOptions = {},
): string {
  const max = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  const fromHeader = headerToken(request.headers.authorization, max);
  const fromBody = options.allowFormBody ? bodyToken(request, max) : undefined;
  if (fromHeader !== undefined && fromBody !== undefined) {
    throw invalidRequest('repeated', 'The access token was sent by more than one method');
  }
  const token = fromHeader ?? fromBody;
  if (token === undefined) throw missingToken();
  return token;
}

function headerToken(value: string | string[] | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length > 1) {
      throw invalidRequest('repeated', 'More than one Authorization header was sent');
    }
    return headerToken(value[0], max);
  }
  if (typeof value !== 'string')
    throw invalidRequest('malformed', 'Malformed Authorization header');
  const text = value.trim();
  const space = text.indexOf(' ');
  const scheme = space === -1 ? text : text.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  const credentials = space === -1 ? '' : text.slice(space + 1).replace(/^ +/, '');
  return checkBearerTokenSyntax(credentials, max);
}

/**
 * Checks that a token obtained outside an HTTP request (a WebSocket
 * handshake, message metadata) has the RFC 6750 `b64token` syntax and a
 * sane length.
 *
 * @param token - the token
 * @param max - longest accepted (default 16 384)
 * @returns the token
 * @throws {BearerTokenError} `invalid_request` otherwise
 */
export function checkBearerTokenSyntax(token: string, max = DEFAULT_MAX_TOKEN_LENGTH): string {
  if (typeof token === 'string' && token.length > max) invalidLength();
  if (typeof token !== 'string' || !B64TOKEN.test(token)) {
    throw invalidRequest('malformed', 'Malformed bearer token');
  }
  return token;
}

function bodyToken(
  request: Pick<ServerRequest, 'method' | 'headers' | 'body' | 'contentType'>,
  max: number,
): string | undefined {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') return undefined;
  if (mediaType(request) !== FORM_TYPE) return undefined;
  const params = formParameters(request.body);
  if (!params) throw invalidRequest('malformed', 'The form body is malformed');
  const values = params.get('access_token');
  if (!values) return undefined;
  if (values.length > 1) {
    throw invalidRequest('repeated', 'The access_token parameter was sent more than once');
  }
  return checkBearerTokenSyntax(values[0], max);
}

function mediaType(request: Pick<ServerRequest, 'headers' | 'contentType'>): string {
  if (request.contentType) return request.contentType.toLowerCase();
  const header = request.headers['content-type'];
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';')[0].trim().toLowerCase();
}

function invalidLength(): never {
  throw invalidRequest('too_long', 'The access token is longer than this server accepts');
}
