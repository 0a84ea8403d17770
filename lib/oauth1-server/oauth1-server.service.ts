import { Inject, Injectable } from '@nestjs/common';
import type { ServerRequest } from '../server/http/server-request.js';
import type { OAuth1Provider } from '../server/oauth1/oauth1-provider.js';
import type { ResolvedOAuth1ServerSettings } from '../server/oauth1/oauth1-server-settings.js';
import type { OAuth1RequestAuthorization } from '../server/oauth1/resource-request.js';
import { toServerRequest } from './http/server-request.factory.js';
import { OAuth1ServerRegistry } from './oauth1-server.registry.js';

/**
 * The OAuth 1 provider for your own code: verify a signed request where a
 * decorator does not fit (a WebSocket handshake, a route that is public for
 * some requests), or reach the provider core.
 *
 * @typeParam U - the app's user type
 * @example
 * ```ts
 * constructor(private readonly oauth1: OAuth1ServerService<User>) {}
 *
 * async photos(@Req() req: Request, @Res() res: Response) {
 *   try {
 *     const { user } = await this.oauth1.verifyRequest(req, ['photos']);
 *     res.json(await this.photosOf(user));
 *   } catch (err) {
 *     if (!(err instanceof OAuth1ProviderError)) throw err;
 *     res.status(err.response.status).set(err.response.headers).send(err.response.body);
 *   }
 * }
 * ```
 */
@Injectable()
export class OAuth1ServerService<U = unknown> {
  /**
   * @param registry - what the module built at start-up
   * @internal
   */
  constructor(@Inject(OAuth1ServerRegistry) private readonly registry: OAuth1ServerRegistry<U>) {}

  /** The provider core (`requestToken`, `authorizationRequest`, `authorize`, `accessToken`, `verifyRequest`). */
  get provider(): OAuth1Provider<U> {
    return this.registry.provider;
  }

  /** The settings in force (code, then `OAUTH1_PROVIDER_*`, then the defaults). */
  get settings(): ResolvedOAuth1ServerSettings {
    return this.registry.provider.settings;
  }

  /**
   * The request as the provider core reads it: the absolute URL clients
   * signed (the configured `origin`, else the request's protocol and host),
   * the headers and the raw form body.
   *
   * @param request - the request `@Req()` gives (Express `Request`, `FastifyRequest`)
   * @returns the `ServerRequest`
   * @throws {OAuth1ProviderError} 400 for a request target or `Host` that makes no URL
   */
  serverRequest(request: unknown): Promise<ServerRequest> {
    return toServerRequest(request, this.registry.origin);
  }

  /**
   * Verifies a signed protected-resource request (RFC 5849 §3), running the
   * `beforeRequest`, `afterRequest` and `invalidResponse` hooks, as
   * `@RequireOAuth1(...realms)` does.
   *
   * @param request - the request `@Req()` gives
   * @param realms - the realms the resource requires (none by default)
   * @returns the client, the resource owner, the token's realms, its record and the transport
   * @throws {OAuth1ProviderError} a refusal, with the response to send (`err.response`)
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.2
   */
  async verifyRequest(
    request: unknown,
    realms: readonly string[] = [],
  ): Promise<OAuth1RequestAuthorization<U>> {
    return this.registry.provider.verifyRequest(await this.serverRequest(request), realms);
  }
}
