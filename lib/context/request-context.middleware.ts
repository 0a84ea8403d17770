import { Injectable, type NestMiddleware } from '@nestjs/common';
import { runWithRequest } from './request-context.js';

/**
 * Makes the request being served the current one for injected clients, so
 * that `github.get('user')` finds the user's token through
 * `fetchToken(name, request)` without being handed the request — in guards,
 * interceptors, handlers and the services they call. `AsyncLocalStorage`,
 * not request-scoped providers: services stay singletons.
 *
 * `OAuthModule` mounts it for every route (Express and Fastify); with
 * `requestContext: { mount: false }`, mount it yourself where you need it.
 *
 * @example
 * ```ts
 * export class AppModule implements NestModule {
 *   configure(consumer: MiddlewareConsumer) {
 *     consumer.apply(OAuthRequestContextMiddleware).forRoutes(ApiController);
 *   }
 * }
 * ```
 */
@Injectable()
export class OAuthRequestContextMiddleware implements NestMiddleware {
  /**
   * Runs the rest of the request inside its context.
   *
   * @param request - the request (Express `Request`, or Fastify's raw `IncomingMessage`)
   * @param _response - the response
   * @param next - continues the chain
   */
  use(request: unknown, _response: unknown, next: (error?: unknown) => void): void {
    runWithRequest(request, next);
  }
}
