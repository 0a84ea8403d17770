import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OAuth2ResponseException } from '../../errors/oauth2-response.exception.js';
import { sendServerResponse } from '../../http/server-exchange.js';

/**
 * Sends the authorization server's response carried by an
 * {@link OAuth2ResponseException} unchanged. `@AuthorizeEndpoint()` puts it on
 * its route: a route's filters are asked before the app's global ones, so a
 * catch-all `@Catch()` filter of the app never turns the redirect back to the
 * client, or an RFC 6749 error, into a page or JSON of its own.
 */
@Catch(OAuth2ResponseException)
export class OAuth2ResponseFilter implements ExceptionFilter<OAuth2ResponseException> {
  /** Nest's HTTP adapter host (injected by Nest). */
  @Inject(HttpAdapterHost) private readonly adapterHost!: HttpAdapterHost;

  /**
   * Sends the response.
   *
   * @param exception - the answer
   * @param host - the request's arguments
   */
  catch(exception: OAuth2ResponseException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse();
    sendServerResponse(this.adapterHost.httpAdapter, response, exception.serverResponse);
  }
}
