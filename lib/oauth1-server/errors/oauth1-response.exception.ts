import { HttpException } from '@nestjs/common';
import type { ServerResponse } from '../../server/http/server-request.js';

/**
 * A request the OAuth 1 provider refused, on a route whose handler runs only
 * for valid requests (`@RequireOAuth1()`, the consent page of
 * `@OAuth1AuthorizeEndpoint()`): the guard throws it with the core's ready
 * response, and {@link OAuth1ResponseFilter} — which those decorators put on
 * the route, ahead of any global filter of the app — sends that response
 * unchanged (status, headers, `oauth_problem` body or error page).
 *
 * Its status is the response's, and its headers (`WWW-Authenticate`,
 * `Location`, ...) are already on the response when it is thrown, so a
 * filter of yours that answers it first still keeps them. Not an error of
 * the app: Nest logs nothing for it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.2
 */
export class OAuth1ResponseException extends HttpException {
  /**
   * @param serverResponse - the response to send
   */
  constructor(readonly serverResponse: ServerResponse) {
    const problem = serverResponse.body?.startsWith('oauth_problem=')
      ? (new URLSearchParams(serverResponse.body).get('oauth_problem') ?? undefined)
      : undefined;
    super(
      { statusCode: serverResponse.status, error: problem ?? 'oauth1_refused' },
      serverResponse.status,
    );
  }
}
