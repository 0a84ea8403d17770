import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OAuth1ResponseException } from '../errors/oauth1-response.exception.js';
import { sendServerResponse } from '../../http/server-exchange.js';

/**
 * Sends the core's response carried by an {@link OAuth1ResponseException}
 * unchanged. `@RequireOAuth1()` and `@OAuth1AuthorizeEndpoint()` put it on
 * their route: a route's filters are asked before the app's global ones, so
 * a catch-all `@Catch()` filter of the app never turns a `401
 * oauth_problem=signature_invalid` into its own JSON.
 */
@Catch(OAuth1ResponseException)
export class OAuth1ResponseFilter implements ExceptionFilter<OAuth1ResponseException> {
  /**
   * @param adapterHost - Nest's HTTP adapter host
   */
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  /**
   * Sends the response.
   *
   * @param exception - the refusal
   * @param host - the request's arguments
   */
  catch(exception: OAuth1ResponseException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse();
    sendServerResponse(this.adapterHost.httpAdapter, response, exception.serverResponse);
  }
}
