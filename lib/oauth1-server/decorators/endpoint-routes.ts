/**
 * How each endpoint route is answered, settled when the module starts.
 *
 * The consent page (`@Get() @OAuth1AuthorizeEndpoint()`) is an ordinary
 * route: its guard checks the request token, then the handler's result is
 * sent the way Nest sends any result (`@Render()`, the app's interceptors).
 * The other endpoints — the decision (`@Post() @OAuth1AuthorizeEndpoint()`),
 * `@RequestTokenEndpoint()`, `@AccessTokenEndpoint()` — are answered by the
 * module's interceptor with the core's response, byte for byte: their route
 * is marked as answering itself (an extra `@Res()` parameter after the
 * handler's own), so that neither Nest nor a global interceptor of the app
 * (an envelope around every result) changes it.
 *
 * Decorators run before `@Get()`/`@Post()` (they are listed below them), so
 * the HTTP method is only known once every class is defined: the module's
 * constructor calls {@link prepareOAuth1EndpointRoutes} with the app's
 * controllers, after Nest scanned the modules and before it builds the routes. (The guard, interceptor and filter are put on every endpoint
 * route by the decorator itself: Nest collects a module's enhancers when it
 * scans the module, before any constructor runs.)
 */
import { RequestMethod, Res, type Type } from '@nestjs/common';
import { MetadataScanner } from '@nestjs/core';
import {
  METHOD_METADATA,
  RESPONSE_PASSTHROUGH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { OAuthConfigError } from '../../errors/oauth-config.error.js';

/** Which endpoint a route is. */
export type OAuth1EndpointKind = 'request_token' | 'authorize' | 'access_token';

/** How a route is answered: the handler's result (`consent`), or the module (`answered`). */
export type OAuth1RouteMode = 'consent' | 'answered';

/** Metadata key: the endpoint kind, on the handler. */
export const OAUTH1_ENDPOINT_METADATA = 'nestjs-oauth:oauth1-endpoint';
/** Metadata key: the route mode, on the handler, once prepared. */
export const OAUTH1_ROUTE_MODE_METADATA = 'nestjs-oauth:oauth1-route-mode';

/**
 * Settles how every endpoint route of the app's controllers is answered
 * (once per route).
 *
 * @param controllers - the app's controller classes
 * @throws {OAuthConfigError} for an endpoint on a method that is not a
 *   route, an authorization endpoint on a method other than GET and POST, or
 *   an answered route with `@Res({ passthrough: true })`
 * @internal
 */
export function prepareOAuth1EndpointRoutes(controllers: Iterable<Type>): void {
  const scanner = new MetadataScanner();
  for (const controller of controllers) {
    for (const key of scanner.getAllMethodNames(controller.prototype)) {
      const handler = controller.prototype[key];
      const kind: OAuth1EndpointKind | undefined = Reflect.getMetadata(
        OAUTH1_ENDPOINT_METADATA,
        handler,
      );
      if (kind !== undefined && !Reflect.hasMetadata(OAUTH1_ROUTE_MODE_METADATA, handler)) {
        prepare(controller, key, handler, kind);
      }
    }
  }
}

function prepare(
  controller: Type,
  key: string,
  handler: (...args: never[]) => unknown,
  kind: OAuth1EndpointKind,
): void {
  const where = `${controller.name}.${key}`;
  const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, handler);
  if (method === undefined) {
    throw new OAuthConfigError(
      `OAuth1ServerModule: ${where} has an OAuth 1 endpoint decorator but no route: add @Get() or @Post()`,
    );
  }
  let mode: OAuth1RouteMode = 'answered';
  if (kind === 'authorize') {
    if (method === RequestMethod.GET) mode = 'consent';
    else if (method !== RequestMethod.POST) {
      throw new OAuthConfigError(
        `OAuth1ServerModule: @OAuth1AuthorizeEndpoint() on ${where} must be on a @Get() route (the consent page) or a @Post() route (the decision)`,
      );
    }
  }
  if (mode === 'answered') {
    if (Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, controller, key)) {
      throw new OAuthConfigError(
        `OAuth1ServerModule: ${where} is answered by the module: remove @Res({ passthrough: true })`,
      );
    }
    answeredByModule(controller.prototype, key, handler);
  }
  Reflect.defineMetadata(OAUTH1_ROUTE_MODE_METADATA, mode, handler);
}

/** Adds a `@Res()` parameter after the handler's own, so that Nest leaves the response to the module. */
function answeredByModule(
  target: object,
  key: string | symbol,
  handler: (...args: never[]) => unknown,
): void {
  const args: Record<string, { index: number }> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, target.constructor, key) ?? {};
  const index = Math.max(handler.length, ...Object.values(args).map((arg) => arg.index + 1));
  Res()(target, key, index);
}
