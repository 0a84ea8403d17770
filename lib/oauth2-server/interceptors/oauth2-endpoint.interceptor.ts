import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import { sendServerResponse, toServerRequest } from '../../http/server-exchange.js';
import type { ServerResponse } from '../../server/http/server-request.js';
import {
  OAUTH2_ENDPOINT_METADATA,
  type OAuth2EndpointKind,
} from '../decorators/oauth2-endpoint.metadata.js';
import { OAuth2EndpointBase } from '../oauth2-endpoint.base.js';

/**
 * Answers the token, revocation and introspection endpoints: runs the route
 * handler first (the token handler's extra fields, the seed's
 * `token_handler`), then the core, and sends the core's response as it is.
 * The route is marked as answering itself, so what this returns
 * (`undefined`) is not sent: an app interceptor that maps results cannot
 * change a protocol response.
 *
 * @internal
 */
@Injectable()
export class OAuth2EndpointInterceptor extends OAuth2EndpointBase implements NestInterceptor {
  /**
   * @param context - the request
   * @param next - the route handler
   * @returns an observable of `undefined`, once the response is sent
   */
  intercept(context: ExecutionContext, next: CallHandler): Observable<undefined> {
    const kind: OAuth2EndpointKind = Reflect.getMetadata(
      OAUTH2_ENDPOINT_METADATA,
      context.getHandler(),
    );
    const http = context.switchToHttp();
    return defer(async () => {
      const result: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const request = toServerRequest(http.getRequest(), this.registry.origin);
      const { server } = this.registry;
      let response: ServerResponse;
      if (kind === 'token') {
        response = await server.createTokenResponse(request, extraFields(result));
      } else {
        if (result !== undefined && result !== null) {
          throw new TypeError(
            `OAuth2ServerModule: the ${kind} endpoint's handler must return nothing (the module answers)`,
          );
        }
        response =
          kind === 'revocation'
            ? await server.createRevocationResponse(request)
            : await server.createIntrospectionResponse(request);
      }
      sendServerResponse(this.adapterHost.httpAdapter, http.getResponse(), response);
      return undefined;
    });
  }
}

/** The token handler's result: extra response fields, or none. */
function extraFields(result: unknown): Record<string, unknown> | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result !== 'object' || Array.isArray(result)) {
    throw new TypeError(
      'OAuth2ServerModule: the token endpoint handler must return extra token fields (an object) or nothing',
    );
  }
  return result as Record<string, unknown>;
}
