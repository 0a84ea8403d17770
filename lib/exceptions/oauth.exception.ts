import { HttpException, HttpStatus } from '@nestjs/common';
import {
  InvalidResponseError,
  InvalidTokenError,
  MismatchingStateError,
  MissingTokenError,
  OAuthError,
  OAuthNetworkError,
  OAuthTimeoutError,
  TokenExpiredError,
} from '../core/errors.js';

/** The body of an {@link OAuthException}: `{ statusCode, error, message }`. */
export interface OAuthExceptionBody {
  /** The HTTP status. */
  statusCode: number;
  /** A stable error code (`mismatching_state`, `access_denied`, `invalid_grant`, ...). */
  error: string;
  /** Fixed, human-readable text: never a code, token, secret or query string. */
  message: string;
}

/**
 * What the guards throw for a failed login: a normal `HttpException` (so app
 * exception filters can override it) with the body `{ statusCode, error, message }`.
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

/** RFC 6749 error codes the provider may echo; anything else is reported as `invalid_request`. */
const ERROR_CODE = /^[a-z0-9_.-]{1,64}$/i;

/** Token-endpoint errors that mean this app's own setup is wrong, not the user's request. */
const SERVER_SIDE = new Set(['invalid_client', 'unauthorized_client', 'unsupported_grant_type']);

/**
 * Maps any error of a login flow to an HTTP exception (one table for the
 * whole module):
 *
 * | error                                               | status |
 * | --------------------------------------------------- | ------ |
 * | `HttpException` (incl. `OAuthException`)            | itself |
 * | missing / forged / replayed / expired state         | 400    |
 * | error returned on the callback (`access_denied`...) | 400    |
 * | token endpoint `invalid_grant` and other user-side  | 400    |
 * | token endpoint `invalid_client`, `unauthorized_client` | 502 |
 * | invalid ID token (`InvalidTokenError`)              | 401    |
 * | no token for an API call, expired token             | 401    |
 * | provider unreachable (`OAuthNetworkError`)          | 502    |
 * | provider timeout (`OAuthTimeoutError`)              | 504    |
 * | garbage / 5xx from the provider                     | 502    |
 *
 * Anything else is returned unchanged (a programming error stays a 500).
 *
 * @param err - the error
 * @returns an `HttpException`, or `err` itself when it is not an OAuth error
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.2
 */
export function toHttpException(err: unknown): HttpException | unknown {
  if (err instanceof HttpException) return err;
  if (!(err instanceof OAuthError)) return err;
  const cause = { cause: err };
  if (err instanceof MismatchingStateError) {
    return new OAuthException(HttpStatus.BAD_REQUEST, 'mismatching_state', err.message, cause);
  }
  if (err instanceof InvalidTokenError) {
    return new OAuthException(
      HttpStatus.UNAUTHORIZED,
      'invalid_token',
      'The ID token from the provider is not valid',
      cause,
    );
  }
  if (err instanceof OAuthTimeoutError) {
    return new OAuthException(
      HttpStatus.GATEWAY_TIMEOUT,
      'timeout',
      'The OAuth provider did not answer in time',
      cause,
    );
  }
  if (err instanceof OAuthNetworkError) {
    return new OAuthException(
      HttpStatus.BAD_GATEWAY,
      'network_error',
      'The OAuth provider could not be reached',
      cause,
    );
  }
  if (err instanceof InvalidResponseError) {
    return new OAuthException(
      HttpStatus.BAD_GATEWAY,
      'invalid_response',
      'The OAuth provider sent an invalid response',
      cause,
    );
  }
  if (err instanceof MissingTokenError) {
    // From a token response (it names its endpoint): the provider misbehaved.
    return err.endpoint
      ? new OAuthException(
          HttpStatus.BAD_GATEWAY,
          'invalid_response',
          'The OAuth provider sent no access token',
          cause,
        )
      : new OAuthException(
          HttpStatus.UNAUTHORIZED,
          'missing_token',
          'No access token is available',
          cause,
        );
  }
  if (err instanceof TokenExpiredError) {
    return new OAuthException(
      HttpStatus.UNAUTHORIZED,
      'token_expired',
      'The access token has expired',
      cause,
    );
  }
  const code = ERROR_CODE.test(err.error) ? err.error : 'invalid_request';
  if (err.endpoint === undefined) {
    // Sent back on the callback by the provider (or the browser): the login failed.
    return new OAuthException(
      HttpStatus.BAD_REQUEST,
      code,
      `The authorization failed: ${code}`,
      cause,
    );
  }
  if (SERVER_SIDE.has(code) || (err.status !== undefined && err.status >= 500)) {
    return new OAuthException(
      HttpStatus.BAD_GATEWAY,
      code,
      `The OAuth provider refused this application: ${code}`,
      cause,
    );
  }
  return new OAuthException(
    HttpStatus.BAD_REQUEST,
    code,
    `The OAuth provider refused the request: ${code}`,
    cause,
  );
}
