import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import {
  OAUTH1_ENDPOINT_METADATA,
  OAUTH1_ROUTE_MODE_METADATA,
  type OAuth1EndpointKind,
} from '../decorators/endpoint-routes.js';
import { OAuth1EndpointFlow } from '../flow/oauth1-endpoint.flow.js';
import { sendServerResponse } from '../../http/server-exchange.js';

/**
 * On every endpoint route; the consent page's request goes through it
 * untouched. Answers the endpoints the module answers (request token,
 * decision, access token): runs the core's call, calls the route handler where the call needs
 * it, and sends the core's response as it is. The route is marked as
 * answering itself, so Nest sends nothing more, and what this returns
 * (`undefined`) is not sent: a global interceptor of the app that maps
 * results cannot change a protocol response.
 *
 * @internal
 */
@Injectable()
export class OAuth1EndpointInterceptor implements NestInterceptor {
  /** The endpoint steps (injected by Nest). */
  @Inject(OAuth1EndpointFlow) private readonly flow!: OAuth1EndpointFlow;
  /** Nest's HTTP adapter host (injected by Nest). */
  @Inject(HttpAdapterHost) private readonly adapterHost!: HttpAdapterHost;

  /**
   * @param context - the request
   * @param next - the route handler
   * @returns an observable of `undefined`, once the response is sent (the consent page: the handler's)
   */
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (Reflect.getMetadata(OAUTH1_ROUTE_MODE_METADATA, context.getHandler()) !== 'answered') {
      return next.handle();
    }
    const kind: OAuth1EndpointKind = Reflect.getMetadata(
      OAUTH1_ENDPOINT_METADATA,
      context.getHandler(),
    );
    const http = context.switchToHttp();
    return defer(async () => {
      const answer = await this.flow.answer(kind, http.getRequest(), () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      );
      sendServerResponse(this.adapterHost.httpAdapter, http.getResponse(), answer);
      return undefined;
    });
  }
}
