import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { mergeMap, type Observable } from 'rxjs';
import { OAuth2ResponseException } from '../../errors/oauth2-response.exception.js';
import { prepareServerResponse } from '../../http/server-exchange.js';
import type { OAuth2AuthorizationDecision } from '../../server/oauth2/index.js';
import { getOAuthAuthorization } from '../context/authorization-request.store.js';
import { OAuth2EndpointBase } from '../oauth2-endpoint.base.js';

/**
 * The second half of `@AuthorizeEndpoint()`: when the handler returns a
 * decision (`true`/`false`, or an object with a boolean `allow`), the core
 * turns it into the redirect back to the client, thrown as an
 * {@link OAuth2ResponseException} for the route's filter to send. Anything
 * else the handler returns (the login or consent page) goes out the way Nest
 * sends any result.
 *
 * @internal
 */
@Injectable()
export class OAuth2AuthorizeInterceptor extends OAuth2EndpointBase implements NestInterceptor {
  /**
   * @param context - the request
   * @param next - the route handler
   * @returns the handler's page, or an error carrying the decision's redirect
   */
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest();
    const authorization = getOAuthAuthorization(request);
    if (!authorization) {
      // The route's guard validates first; without it this is a programming error.
      throw new Error('@AuthorizeEndpoint(): the request was not validated by its guard');
    }
    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        if (!isDecision(result)) return result;
        const allows = result === true || (typeof result === 'object' && result.allow);
        const named = typeof result === 'object' ? result.user : undefined;
        const user =
          allows && !named
            ? ((await this.registry.options.resourceOwner(request)) ?? undefined)
            : undefined;
        if (allows && !named && !user) {
          throw new TypeError(
            '@AuthorizeEndpoint(): the handler allowed, but names no user and none is signed in: ' +
              'return { allow: true, user }, or set the module option resourceOwner (default: request.user with a sub)',
          );
        }
        const response = await this.registry.server.createAuthorizationResponse(
          authorization,
          result,
          user,
        );
        prepareServerResponse(this.adapterHost.httpAdapter, http.getResponse(), response);
        throw new OAuth2ResponseException(response);
      }),
    );
  }
}

/** `true`/`false`, or `{ allow: boolean, ... }`: what the seed's `authorize_handler` returns to decide. */
function isDecision(result: unknown): result is OAuth2AuthorizationDecision {
  return (
    typeof result === 'boolean' ||
    (!!result &&
      typeof result === 'object' &&
      !Array.isArray(result) &&
      typeof (result as { allow?: unknown }).allow === 'boolean')
  );
}
