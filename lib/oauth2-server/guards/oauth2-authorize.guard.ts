import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { OAuth2ResponseException } from '../../errors/oauth2-response.exception.js';
import { prepareServerResponse, toServerRequest } from '../../http/server-exchange.js';
import { setOAuthAuthorization } from '../context/authorization-request.store.js';
import { OAuth2EndpointBase } from '../oauth2-endpoint.base.js';

/**
 * The first half of `@AuthorizeEndpoint()`: validates the authorization
 * request (client, redirect URI, response type, scope, PKCE, OpenID Connect
 * parameters) before the handler runs. A valid request is attached for
 * `@OAuthAuthorization()`; an invalid one ends here with the core's answer
 * (redirect with `error` to a trusted redirect URI, else a 400 or the
 * `errorUri` page), thrown as an {@link OAuth2ResponseException} with its
 * headers already on the response.
 *
 * @internal
 */
@Injectable()
export class OAuth2AuthorizeGuard extends OAuth2EndpointBase implements CanActivate {
  /**
   * @param context - the request
   * @returns `true` for a valid request
   * @throws {OAuth2ResponseException} with the core's answer to an invalid one
   */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest();
    const validation = await this.registry.server.validateAuthorizationRequest(
      toServerRequest(request, this.registry.origin),
    );
    if (!validation.authorization) {
      prepareServerResponse(this.adapterHost.httpAdapter, http.getResponse(), validation.response);
      throw new OAuth2ResponseException(validation.response);
    }
    setOAuthAuthorization(request, validation.authorization);
    return true;
  }
}
