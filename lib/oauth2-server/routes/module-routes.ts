/**
 * The documents the module serves itself — the metadata (RFC 8414 and
 * OpenID Connect Discovery), the JWK set and UserInfo — registered straight
 * on Nest's HTTP adapter when the app starts (as `@nestjs/swagger` serves its
 * documents). They are outside the app's controllers, guards, interceptors,
 * filters and global prefix: their paths are the ones the metadata
 * advertises, under the issuer, and their answers are the core's, as they are.
 * A GET to the token, revocation or introspection endpoint (the app routes
 * their POST) is answered here too: 405 with `Allow: POST`, not a 404.
 */
import type { HttpServer, LoggerService } from '@nestjs/common';
import { OAuthConfigError } from '../../errors/oauth-config.error.js';
import { sendServerResponse, toServerRequest } from '../../http/server-exchange.js';
import type { ServerRequest, ServerResponse } from '../../server/http/server-request.js';
import { metadataPaths } from '../../server/oauth2/index.js';
import type { OAuth2ServerRegistry } from '../oauth2-server.registry.js';

/** A path a router takes as it is: no parameter, wildcard or group syntax. */
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~/%]*$/;

/** A route the module serves. */
export interface ModuleRoute {
  /** `GET` or `POST`. */
  method: 'GET' | 'POST';
  /** The path, under the issuer's origin. */
  path: string;
  /** The setting that put it there (for error messages). */
  setting: string;
}

/**
 * The routes the module serves, after its `routes` and `endpoints` options
 * (an endpoint on another origin is not served here).
 *
 * @param registry - the module's registry
 * @throws {OAuthConfigError} for a path a router cannot take as it is
 * @internal
 */
export function moduleRoutes(registry: OAuth2ServerRegistry): ModuleRoute[] {
  const { endpoints, options } = registry;
  const routes: ModuleRoute[] = [];
  const local = (url: string | undefined) =>
    url !== undefined && new URL(url).origin === registry.origin
      ? new URL(url).pathname
      : undefined;
  if (options.routes.metadata) {
    for (const path of metadataPaths(registry.issuer)) {
      routes.push({ method: 'GET', path, setting: 'issuer' });
    }
  }
  const jwks = local(endpoints.jwks);
  if (options.routes.jwks && jwks)
    routes.push({ method: 'GET', path: jwks, setting: 'endpoints.jwks' });
  const userinfo = local(endpoints.userinfo);
  if (options.routes.userinfo && userinfo) {
    routes.push({ method: 'GET', path: userinfo, setting: 'endpoints.userinfo' });
    routes.push({ method: 'POST', path: userinfo, setting: 'endpoints.userinfo' });
  }
  for (const kind of ['token', 'revocation', 'introspection'] as const) {
    const path = local(endpoints[kind]);
    if (path) routes.push({ method: 'GET', path, setting: `endpoints.${kind}` });
  }
  for (const route of routes) {
    if (!PLAIN_PATH.test(route.path)) {
      throw new OAuthConfigError(
        `OAuth2ServerModule: the module cannot serve ${route.path} (from ${route.setting}): use letters, digits and - . _ ~ / only`,
        route.setting,
      );
    }
  }
  return routes;
}

/**
 * Registers the module's routes on the HTTP adapter.
 *
 * @param adapter - Nest's HTTP adapter
 * @param registry - the module's registry
 * @param logger - where a failure of the app's own code (a hook) is logged
 * @internal
 */
export function mountModuleRoutes(
  adapter: HttpServer,
  registry: OAuth2ServerRegistry,
  logger: LoggerService,
): void {
  for (const route of moduleRoutes(registry)) {
    const produce = (request: ServerRequest): Promise<ServerResponse> => {
      const { server } = registry;
      switch (route.setting) {
        case 'endpoints.userinfo':
          return server.createUserinfoResponse(request);
        case 'endpoints.jwks':
          return server.createJwksResponse(request);
        case 'endpoints.token':
          return server.createTokenResponse(request);
        case 'endpoints.revocation':
          return server.createRevocationResponse(request);
        case 'endpoints.introspection':
          return server.createIntrospectionResponse(request);
        default:
          return server.createMetadataResponse(request);
      }
    };
    const handler = async (req: unknown, res: unknown) => {
      let response: ServerResponse;
      try {
        response = await produce(toServerRequest(req, registry.origin));
      } catch (err) {
        // Only the app's own code (a hook) throws out of the core.
        logger.error(`${route.method} ${route.path} failed: ${(err as Error)?.name ?? 'error'}`);
        response = {
          status: 500,
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Cache-Control': 'no-store',
          },
          body: JSON.stringify({ error: 'server_error' }),
        };
      }
      sendServerResponse(adapter, res, response);
      return res;
    };
    if (route.method === 'GET') adapter.get(route.path, handler);
    else adapter.post(route.path, handler);
  }
}
