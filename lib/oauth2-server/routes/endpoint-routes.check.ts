/**
 * The start-up check that the app's decorated routes are where the metadata
 * says the endpoints are: a token endpoint advertised at `/token` but routed
 * at `/oauth/token` would send every client to a 404, and client assertions
 * are checked against the advertised URL.
 */
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_PATH, PATH_METADATA } from '@nestjs/common/constants.js';
import { OAuthConfigError } from '../../errors/oauth-config.error.js';
import type { ResolvedEndpoints } from '../../server/oauth2/index.js';
import {
  OAUTH2_ENDPOINT_METADATA,
  type OAuth2EndpointKind,
} from '../decorators/oauth2-endpoint.metadata.js';

/** A decorated route handler, as discovered in the app. */
export interface EndpointHandler {
  /** The controller class. */
  controller: Type;
  /** The handler's name. */
  method: string;
  /** The handler function. */
  handler: (...args: unknown[]) => unknown;
  /** The module the controller belongs to (for a `RouterModule` path). */
  module?: Type;
}

/** How the app prefixes routes. */
export interface RoutePrefixes {
  /** `app.setGlobalPrefix()`, if any. */
  globalPrefix?: string;
  /** Whether some routes are excluded from the global prefix. */
  prefixExclusions?: boolean;
  /** Nest's application id (the key of `RouterModule` paths). */
  applicationId?: string;
  /** Whether URI versioning or another kind is on (route paths then carry versions). */
  versioning?: boolean;
}

const DECORATORS: Record<OAuth2EndpointKind, string> = {
  authorization: '@AuthorizeEndpoint()',
  token: '@TokenEndpoint()',
  revocation: '@RevokeEndpoint()',
  introspection: '@IntrospectEndpoint()',
};

const EXAMPLES: Record<OAuth2EndpointKind, string> = {
  authorization:
    "@Get('authorize') @AuthorizeEndpoint() and @Post('authorize') @AuthorizeEndpoint()",
  token: "@Post('token') @TokenEndpoint()",
  revocation: "@Post('revoke') @RevokeEndpoint()",
  introspection: "@Post('introspect') @IntrospectEndpoint()",
};

/**
 * Checks the decorated routes against the configured endpoints: each on a
 * route with the right HTTP method, at the advertised path; every advertised
 * endpoint on this origin served by some route.
 *
 * @param handlers - the app's controller methods
 * @param endpoints - the server's endpoint URLs
 * @param origin - the issuer's origin
 * @param prefixes - how the app prefixes routes
 * @throws {OAuthConfigError} naming the endpoint setting and the fix
 * @internal
 */
export function checkEndpointRoutes(
  handlers: readonly EndpointHandler[],
  endpoints: Readonly<ResolvedEndpoints>,
  origin: string,
  prefixes: RoutePrefixes,
): void {
  const seen = new Set<OAuth2EndpointKind>();
  for (const entry of handlers) {
    const kind: OAuth2EndpointKind | undefined = Reflect.getMetadata(
      OAUTH2_ENDPOINT_METADATA,
      entry.handler,
    );
    if (!kind) continue;
    seen.add(kind);
    const where = `${entry.controller.name}.${entry.method}`;
    const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, entry.handler);
    const allowed =
      kind === 'authorization' ? [RequestMethod.GET, RequestMethod.POST] : [RequestMethod.POST];
    if (method === undefined || !allowed.includes(method)) {
      throw new OAuthConfigError(
        `OAuth2ServerModule: ${DECORATORS[kind]} on ${where} must be on ${kind === 'authorization' ? 'a @Get() or @Post()' : 'a @Post()'} route`,
        `endpoints.${kind}`,
      );
    }
    const url = endpoints[kind];
    if (!url) {
      throw new OAuthConfigError(
        `OAuth2ServerModule: ${DECORATORS[kind]} is on ${where}, but endpoints.${kind} is false: remove the route, or the setting`,
        `endpoints.${kind}`,
      );
    }
    if (new URL(url).origin !== origin || prefixes.versioning) continue;
    const expected = new URL(url).pathname;
    const paths = routePaths(entry, prefixes);
    if (!paths.includes(expected)) {
      throw new OAuthConfigError(
        `OAuth2ServerModule: ${DECORATORS[kind]} is on ${where} at ${paths.join(' or ')}, ` +
          `but the metadata advertises ${expected}: set endpoints.${kind} to '${paths[0]}' (under the issuer) or move the route`,
        `endpoints.${kind}`,
      );
    }
  }
  for (const kind of Object.keys(DECORATORS) as OAuth2EndpointKind[]) {
    const url = endpoints[kind];
    if (seen.has(kind) || !url || new URL(url).origin !== origin) continue;
    const off =
      kind === 'revocation' || kind === 'introspection' ? `, or set endpoints.${kind}: false` : '';
    throw new OAuthConfigError(
      `OAuth2ServerModule: the metadata advertises the ${kind} endpoint at ${new URL(url).pathname}, ` +
        `but no route has ${DECORATORS[kind]}: add ${EXAMPLES[kind]}${off}`,
      `endpoints.${kind}`,
    );
  }
}

/** Every full path of a route: global prefix, `RouterModule` path, controller path, method path. */
function routePaths(entry: EndpointHandler, prefixes: RoutePrefixes): string[] {
  const list = (value: unknown): string[] =>
    Array.isArray(value) ? value.map(String) : value === undefined ? [''] : [String(value)];
  const modulePath: unknown = entry.module
    ? (Reflect.getMetadata(MODULE_PATH + (prefixes.applicationId ?? ''), entry.module) ??
      Reflect.getMetadata(MODULE_PATH, entry.module))
    : undefined;
  const globals = prefixes.globalPrefix
    ? prefixes.prefixExclusions
      ? [prefixes.globalPrefix, '']
      : [prefixes.globalPrefix]
    : [''];
  const paths: string[] = [];
  for (const prefix of globals) {
    for (const controller of list(Reflect.getMetadata(PATH_METADATA, entry.controller))) {
      for (const path of list(Reflect.getMetadata(PATH_METADATA, entry.handler))) {
        paths.push(join(prefix, String(modulePath ?? ''), controller, path));
      }
    }
  }
  return [...new Set(paths)];
}

function join(...parts: string[]): string {
  return `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}
