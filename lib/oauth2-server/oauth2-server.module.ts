import {
  Inject,
  Logger,
  Module,
  Optional,
  type DynamicModule,
  type NestModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  ApplicationConfig,
  DiscoveryModule,
  DiscoveryService,
  HttpAdapterHost,
  MetadataScanner,
  ModulesContainer,
} from '@nestjs/core';
import type { OAuth2ServerModuleAsyncOptions } from './interfaces/oauth2-server-module-options.interface.js';
import { OAUTH2_SERVER_LOGGER_CONTEXT } from './oauth2-server.constants.js';
import { ConfigurableModuleClass, OPTIONS_TYPE } from './oauth2-server.module-definition.js';
import { OAUTH2_SERVER_EXPORTS, OAUTH2_SERVER_PROVIDERS } from './oauth2-server.providers.js';
import { OAuth2ServerRegistry } from './oauth2-server.registry.js';
import { checkEndpointRoutes, type EndpointHandler } from './routes/endpoint-routes.check.js';
import { mountModuleRoutes } from './routes/module-routes.js';

/**
 * An OAuth 2.0 / OpenID Connect authorization server for Nest: the seed's
 * `OAuth2Provider` (Flask-OAuthlib), the protocol in the framework-free
 * `AuthorizationServer`, the Nest layer thin. Global by default.
 *
 * The app supplies the storage (`OAuth2ServerStorage`: clients, codes,
 * tokens) and its login and consent pages; its own controller routes become
 * the endpoints with `@AuthorizeEndpoint()`, `@TokenEndpoint()`,
 * `@RevokeEndpoint()` and `@IntrospectEndpoint()`. The module serves the
 * metadata (`/.well-known/openid-configuration`,
 * `/.well-known/oauth-authorization-server`), the JWK set and UserInfo
 * itself. It registers no global guard, interceptor or filter.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [OAuth2ServerModule.forRoot({ issuer: 'https://auth.example.com', storage: MyStorage, keys: [pem] })],
 *   controllers: [OAuthServerController],
 * })
 * export class AuthServerModule {}
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html
 * @see https://openid.net/specs/openid-connect-core-1_0.html
 */
@Module({ imports: [DiscoveryModule] })
export class OAuth2ServerModule
  extends ConfigurableModuleClass
  implements NestModule, OnApplicationBootstrap
{
  private readonly logger = new Logger(OAUTH2_SERVER_LOGGER_CONTEXT);

  /** @internal Built by Nest. */
  constructor(
    @Inject(OAuth2ServerRegistry) private readonly registry: OAuth2ServerRegistry,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
    @Optional() @Inject(ApplicationConfig) private readonly appConfig?: ApplicationConfig,
    @Optional() @Inject(ModulesContainer) private readonly modules?: ModulesContainer,
  ) {
    super();
  }

  /**
   * Configures the server (missing settings are read from `ConfigService` as
   * `OAUTH2_PROVIDER_*`).
   *
   * @param options - the module options
   * @returns the dynamic module
   * @throws {OAuthConfigError} at start-up, naming the key to fix
   */
  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return withProviders(super.forRoot(options));
  }

  /**
   * Configures the server with options from a factory (`useFactory` with
   * `inject: [ConfigService, YourStorage]`, `useClass`, `useExisting`).
   *
   * @param options - the async options
   * @returns the dynamic module
   */
  static forRootAsync(options: OAuth2ServerModuleAsyncOptions): DynamicModule {
    return withProviders(super.forRootAsync(options));
  }

  /**
   * Registers the documents the module serves (metadata, JWK set,
   * UserInfo) on the HTTP adapter, before the app's routes.
   */
  configure(): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter) mountModuleRoutes(adapter, this.registry, this.logger);
  }

  /**
   * Checks, once the app's routes exist, that the decorated endpoint routes
   * are where the metadata says.
   *
   * @throws {OAuthConfigError} naming the endpoint setting and the fix
   */
  onApplicationBootstrap(): void {
    if (!this.adapterHost?.httpAdapter) return;
    const handlers: EndpointHandler[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as EndpointHandler['controller'] | null;
      if (!controller?.prototype) continue;
      for (const method of this.scanner.getAllMethodNames(controller.prototype)) {
        handlers.push({
          controller,
          method,
          handler: controller.prototype[method],
          module: wrapper.host?.metatype as EndpointHandler['module'],
        });
      }
    }
    const config = this.appConfig;
    checkEndpointRoutes(handlers, this.registry.endpoints, this.registry.origin, {
      globalPrefix: config?.getGlobalPrefix() || undefined,
      prefixExclusions: (config?.getGlobalPrefixOptions().exclude?.length ?? 0) > 0,
      applicationId: this.modules?.applicationId,
      versioning: config?.getVersioning() !== undefined,
    });
  }
}

function withProviders(definition: DynamicModule): DynamicModule {
  return {
    ...definition,
    providers: [...(definition.providers ?? []), ...OAUTH2_SERVER_PROVIDERS],
    exports: [...(definition.exports ?? []), ...OAUTH2_SERVER_EXPORTS],
  };
}
