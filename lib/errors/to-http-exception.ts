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
import { RedisLockTimeoutError, RedisUnavailableError } from '../redis/redis-errors.js';
import { OAuthException } from './oauth.exception.js';
import { publicErrorCode } from './oauth-error-codes.js';
import { OAuthOriginNotAllowedError } from './origin-not-allowed.error.js';

/** Token-endpoint errors that mean this app's own setup is wrong, not the user's request. */
const SERVER_SIDE = new Set(['invalid_client', 'unauthorized_client', 'unsupported_grant_type']);

/**
 * Maps an error of a login flow or an API call to an HTTP exception (one
 * table for the whole module):
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
 * | a token asked to go to another origin               | 400    |
 * | the shared Redis unreachable, or its refresh lock held too long (`RedisUnavailableError`, `RedisLockTimeoutError`) | 503 `temporarily_unavailable` |
 * | provider unreachable (`OAuthNetworkError`)          | 502    |
 * | provider timeout (`OAuthTimeoutError`)              | 504    |
 * | garbage / 5xx from the provider                     | 502    |
 *
 * The body carries only a registered error code (or `server_error`) and
 * fixed text: never what the provider wrote. Anything else (a programming
 * error, Redis refusing a command: a setup problem) is returned unchanged
 * and stays a 500.
 *
 * @param err - the error
 * @returns an `HttpException`, or `err` itself when it is not an OAuth error
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.2
 */
export function toHttpException(err: unknown): HttpException | unknown {
  if (err instanceof HttpException) return err;
  if (err instanceof RedisUnavailableError || err instanceof RedisLockTimeoutError) {
    return new OAuthException(
      HttpStatus.SERVICE_UNAVAILABLE,
      'temporarily_unavailable',
      err instanceof RedisLockTimeoutError
        ? 'Another instance is refreshing this token: try again'
        : 'The shared store is unavailable: try again shortly',
      { cause: err },
    );
  }
  if (!(err instanceof OAuthError)) return err;
  const fixed = (status: number, code: string, message: string) =>
    new OAuthException(status, code, message, { cause: err });
  if (err instanceof MismatchingStateError) {
    return fixed(HttpStatus.BAD_REQUEST, 'mismatching_state', err.message);
  }
  if (err instanceof InvalidTokenError) {
    return fixed(
      HttpStatus.UNAUTHORIZED,
      'invalid_token',
      'The ID token from the provider is not valid',
    );
  }
  if (err instanceof OAuthTimeoutError) {
    return fixed(
      HttpStatus.GATEWAY_TIMEOUT,
      'timeout',
      'The OAuth provider did not answer in time',
    );
  }
  if (err instanceof OAuthNetworkError) {
    return fixed(
      HttpStatus.BAD_GATEWAY,
      'network_error',
      'The OAuth provider could not be reached',
    );
  }
  if (err instanceof InvalidResponseError) {
    return fixed(
      HttpStatus.BAD_GATEWAY,
      'invalid_response',
      'The OAuth provider sent an invalid response',
    );
  }
  if (err instanceof MissingTokenError) {
    // From a token response (it names its endpoint): the provider misbehaved.
    return err.endpoint
      ? fixed(HttpStatus.BAD_GATEWAY, 'invalid_response', 'The OAuth provider sent no access token')
      : fixed(HttpStatus.UNAUTHORIZED, 'missing_token', 'No access token is available');
  }
  if (err instanceof TokenExpiredError) {
    return fixed(HttpStatus.UNAUTHORIZED, 'token_expired', 'The access token has expired');
  }
  if (err instanceof OAuthOriginNotAllowedError) {
    return fixed(
      HttpStatus.BAD_REQUEST,
      'invalid_request',
      'The URL is not allowed for this OAuth client',
    );
  }
  const code = publicErrorCode(err.error);
  if (err.endpoint === undefined) {
    // Sent back on the callback by the provider (or the browser): the login failed.
    return fixed(HttpStatus.BAD_REQUEST, code, `The authorization failed: ${code}`);
  }
  if (SERVER_SIDE.has(code) || code === 'server_error' || (err.status ?? 0) >= 500) {
    return fixed(
      HttpStatus.BAD_GATEWAY,
      code,
      `The OAuth provider refused this application: ${code}`,
    );
  }
  return fixed(HttpStatus.BAD_REQUEST, code, `The OAuth provider refused the request: ${code}`);
}
