import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * How a login route ends: `OAuthLoginGuard` has put `Location` (the
 * provider's authorization URL), `Cache-Control: no-store` and the state
 * cookie on the response, and throws this `302` so that Nest's exception
 * layer sends it. Whatever filter answers it with its status (Nest's own, or
 * an app's catch-all that keeps an `HttpException`'s status) redirects the
 * browser; the route handler never runs and no promise is left pending.
 *
 * Not an error: Nest logs nothing for it, and it carries no stack trace
 * (capturing one was most of its cost on every login). A catch-all filter of
 * yours that logs every exception can skip it with
 * `instanceof OAuthRedirectException`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
 */
export class OAuthRedirectException extends HttpException {
  /** Where the browser is sent (already in the `Location` header). */
  readonly url: string;

  /**
   * @param url - where the browser is sent (already in the `Location` header)
   */
  constructor(url: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(
        { statusCode: HttpStatus.FOUND, message: 'Redirecting to the OAuth provider' },
        HttpStatus.FOUND,
      );
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.url = url;
  }
}
