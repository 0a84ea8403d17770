import {
  Inject,
  Module,
  Optional,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { assertClientName } from './config/resolve-client-options.js';
import { linkFastifyRequests } from './context/fastify-request-link.js';
import { OAuthRequestContextMiddleware } from './context/request-context.middleware.js';
import type { OAuthModuleAsyncOptions } from './interfaces/oauth-module-options.interface.js';
import { ConfigurableModuleClass, OPTIONS_TYPE } from './oauth.module-definition.js';
import { createOAuthProviders, oauthExports } from './oauth.providers.js';
import { OAuthRegistry } from './oauth.registry.js';
import { OAuthResourceCoreModule } from './resource-server/oauth-resource-core.module.js';

/** Every route, every method: where the request context is set unless told otherwise. */
const ALL_ROUTES = { path: '{*path}', method: RequestMethod.ALL };

/**
 * OAuth 1.0a, OAuth 2 and OpenID Connect clients for Nest: one injectable
 * client per provider, login and callback guards, state in an encrypted
 * cookie (or a cache), events on `@nestjs/event-emitter`. Global by default.
 *
 * It mounts one middleware, {@link OAuthRequestContextMiddleware}, for every
 * route (`requestContext` changes where, or turns it off), so injected
 * clients find the user's token in guards, interceptors and handlers alike.
 * It registers no global guard, interceptor or filter.
 *
 * @example
 * ```ts
 * @Module({ imports: [
 *   ConfigModule.forRoot(), EventEmitterModule.forRoot(),
 *   OAuthModule.forRoot({ clients: { google: { serverMetadataUrl, clientKwargs: { scope: 'openid email' } } } }),
 * ] })
 * export class AppModule {}
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html
 */
@Module({})
export class OAuthModule
  extends ConfigurableModuleClass
  implements NestModule, OnApplicationShutdown
{
  /** @internal Built by Nest. */
  constructor(
    @Inject(OAuthRegistry) private readonly registry: OAuthRegistry,
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
  ) {
    super();
  }

  /**
   * Registers the clients given in `options.clients` (missing keys are read
   * from `ConfigService` as `{NAME}_{KEY}`).
   *
   * @param options - the module options
   * @returns the dynamic module
   * @throws {OAuthConfigError} at start-up, naming the client and key to fix
   */
  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const names = Object.keys(options?.clients ?? {});
    names.forEach(assertClientName);
    return withProviders(super.forRoot(options), names);
  }

  /**
   * Registers the clients returned by a factory. `clients` names those that
   * get an `@OAuthClient(name)` provider; the factory may add more
   * (reachable through `OAuthService`).
   *
   * @param options - `useFactory` / `useClass` / `useExisting`, `imports`, `inject`, `clients`, `isGlobal`
   * @returns the dynamic module
   */
  static forRootAsync(options: OAuthModuleAsyncOptions): DynamicModule {
    const { clients = [], ...rest } = options;
    clients.forEach(assertClientName);
    return withProviders(super.forRootAsync(rest), [...new Set(clients)]);
  }

  /**
   * Mounts the request context middleware (unless `requestContext.mount` is
   * `false`), and on Fastify links raw requests to `FastifyRequest`s.
   *
   * @param consumer - Nest's middleware consumer
   */
  configure(consumer: MiddlewareConsumer): void {
    linkFastifyRequests(this.adapterHost);
    const context = this.registry.options.requestContext ?? {};
    if (context.mount === false) return;
    const proxy = consumer.apply(OAuthRequestContextMiddleware);
    if (context.exclude?.length) proxy.exclude(...context.exclude);
    proxy.forRoutes(...(context.forRoutes ?? [ALL_ROUTES]));
  }

  /**
   * Closes the module's Redis store (made from `OAUTH_REDIS_URL`, or given
   * as `cache`) once the HTTP server has stopped. An ioredis client given as
   * `cache` stays open: it is yours.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
  }
}

function withProviders(definition: DynamicModule, names: string[]): DynamicModule {
  return {
    ...definition,
    imports: [...(definition.imports ?? []), OAuthResourceCoreModule],
    providers: [...(definition.providers ?? []), ...createOAuthProviders(names)],
    exports: [...(definition.exports ?? []), ...oauthExports(names)],
  };
}
