import { HttpException } from '@nestjs/common';
import type { ServerResponse } from '../server/http/server-request.js';

/**
 * An answer of the authorization server on a route whose handler does not
 * make the response itself: a refused authorization request (a redirect
 * back to the client with `error`, or a 400), or the redirect that carries
 * the user's decision. `@AuthorizeEndpoint()` throws it with the core's ready
 * response, and `OAuth2ResponseFilter` — which the decorator puts on the
 * route, ahead of any global filter of the app — sends that response
 * unchanged (status, `Location`, `Cache-Control: no-store`, body).
 *
 * Its headers are already on the response when it is thrown, so a filter
 * of yours that answers it instead still keeps them. Not an error of the
 * app: Nest logs nothing for it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2.1
 */
export class OAuth2ResponseException extends HttpException {
  /**
   * @param serverResponse - the response to send
   */
  constructor(readonly serverResponse: ServerResponse) {
    super(
      { statusCode: serverResponse.status, error: errorCode(serverResponse) ?? 'redirect' },
      serverResponse.status,
    );
  }
}

/** The `error` of an RFC 6749 JSON body or `Location`, if any. */
function errorCode(response: ServerResponse): string | undefined {
  try {
    if (response.headers.Location) {
      const url = new URL(response.headers.Location);
      const fragment = new URLSearchParams(url.hash.slice(1));
      return url.searchParams.get('error') ?? fragment.get('error') ?? undefined;
    }
    const body = response.body ? (JSON.parse(response.body) as { error?: unknown }) : undefined;
    return typeof body?.error === 'string' ? body.error : undefined;
  } catch {
    return undefined;
  }
}
