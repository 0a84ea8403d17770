import { HttpException } from '@nestjs/common';

/** The body of an {@link OAuthException}: `{ statusCode, error, message }`. */
export interface OAuthExceptionBody {
  /** The HTTP status. */
  statusCode: number;
  /** A registered error code (`mismatching_state`, `access_denied`, `invalid_grant`, ...) or `server_error`. */
  error: string;
  /** Fixed, human-readable text: never a code, token, secret, query string or provider text. */
  message: string;
}

/**
 * What the guards throw for a failed login (and {@link OAuthExceptionFilter}
 * answers for an `OAuthError`): a normal `HttpException`, so app exception
 * filters can render it, with the body `{ statusCode, error, message }`.
 * The original error is its `cause` (for your logs; never sent).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2.1
 */
export class OAuthException extends HttpException {
  /** The error code (also in the body). */
  readonly error: string;

  /**
   * @param status - the HTTP status
   * @param error - the error code
   * @param message - fixed text (no secret)
   * @param options - the underlying error as `cause`
   */
  constructor(status: number, error: string, message: string, options: { cause?: unknown } = {}) {
    super({ statusCode: status, error, message } satisfies OAuthExceptionBody, status, {
      cause: options.cause,
    });
    this.error = error;
  }
}
