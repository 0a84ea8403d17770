import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { OAUTH1_ROUTE_MODE_METADATA, type OAuth1RouteMode } from '../decorators/endpoint-routes.js';
import { OAuth1EndpointFlow } from '../flow/oauth1-endpoint.flow.js';

/**
 * The guard of the endpoint decorators. On the consent page (`@Get()
 * @OAuth1AuthorizeEndpoint()`) it checks the request token before the
 * handler renders the page; on the routes the module answers it lets the
 * module's interceptor do the work. A route the module has not prepared
 * (`OAuth1ServerModule` not started) is refused: it fails closed.
 *
 * @internal
 */
@Injectable()
export class OAuth1EndpointGuard implements CanActivate {
  /** The endpoint steps (injected by Nest). */
  @Inject(OAuth1EndpointFlow) private readonly flow!: OAuth1EndpointFlow;

  /**
   * @param context - the request
   * @returns `true` when the handler may run
   * @throws {OAuth1ResponseException} the core's refusal on the consent page
   */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const mode: OAuth1RouteMode | undefined = Reflect.getMetadata(
      OAUTH1_ROUTE_MODE_METADATA,
      context.getHandler(),
    );
    if (mode === 'answered') return true;
    if (mode !== 'consent') {
      throw new Error('OAuth 1 endpoint route not prepared: is OAuth1ServerModule imported?');
    }
    const http = context.switchToHttp();
    await this.flow.consent(http.getRequest(), http.getResponse());
    return true;
  }
}
