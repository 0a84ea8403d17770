import { HttpException } from '@nestjs/common';
import { bearerErrorResponse, BearerTokenError, toBearerError } from '../../server/index.js';

/**
 * The body Nest sends for a request that carried no token: no error code
 * (RFC 6750 §3.1), Nest's usual 401 body.
 */
const MISSING_TOKEN_BODY = Object.freeze({ statusCode: 401, message: 'Unauthorized' });

/**
 * A request to a protected route was refused (RFC 6750 §3), as an
 * `HttpException` that Nest's exception layer answers:
 *
 * | status | `error`                   | when                                                        |
 * | -----: | ------------------------- | ----------------------------------------------------------- |
 * |    401 | (none)                    | no token was sent                                           |
 * |    400 | `invalid_request`         | a malformed `Authorization` header, a token sent twice      |
 * |    401 | `invalid_token`           | an unknown, expired, revoked, forged or foreign token       |
 * |    403 | `insufficient_scope`      | a valid token without every scope the route needs           |
 * |    502 | `temporarily_unavailable` | the authorization server failed (down, garbage, refused us) |
 * |    504 | `temporarily_unavailable` | the authorization server did not answer in time             |
 * |    500 | `server_error`            | anything else (a storage lookup that threw)                 |
 *
 * The body is `{ error, error_description }` (fixed wording, never the token),
 * or `{ statusCode: 401, message: 'Unauthorized' }` when no token was sent.
 * `headers` holds `WWW-Authenticate` (for 400 / 401 / 403) and
 * `Cache-Control: no-store`: `OAuthBearerGuard` puts them on the response
 * before it throws, so they survive any exception filter that keeps an
 * `HttpException`'s status. The original error is the `cause` (for your
 * logs; its message never contains the token).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-3
 */
export class OAuthBearerException extends HttpException {
  /** The RFC 6750 error code (or `temporarily_unavailable` / `server_error`); `undefined` when no token was sent. */
  readonly error?: string;
  /** The headers the answer needs: `WWW-Authenticate`, `Cache-Control`. */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * @param status - the HTTP status
   * @param body - the JSON body
   * @param headers - `WWW-Authenticate` and `Cache-Control`
   * @param cause - the error behind it
   */
  constructor(
    status: number,
    body: Record<string, unknown>,
    headers: Record<string, string>,
    cause?: unknown,
  ) {
    super(body, status, { cause });
    if (typeof body.error === 'string') this.error = body.error;
    this.headers = Object.freeze({ ...headers });
  }
}

/**
 * The exception for an error of resource protection: a `BearerTokenError`,
 * the authorization server failing, or anything else (500).
 *
 * @param err - what verification threw
 * @param realm - the protection space of the challenge
 * @internal
 */
export function toBearerException(err: unknown, realm: string): OAuthBearerException {
  if (err instanceof OAuthBearerException) return err;
  const cause = toBearerError(err);
  const { status, headers, body } = bearerErrorResponse(cause, realm);
  const { 'Content-Type': _json, ...rest } = headers;
  const missing = cause instanceof BearerTokenError && cause.error === 'missing_token';
  const parsed = missing || body === undefined ? MISSING_TOKEN_BODY : JSON.parse(body);
  return new OAuthBearerException(status, { ...parsed }, rest, cause);
}
