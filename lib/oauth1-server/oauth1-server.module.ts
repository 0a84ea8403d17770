import {
  Inject,
  Module,
  Optional,
  type DynamicModule,
  type NestModule,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { OAuth1ServerStorage } from '../server/oauth1/oauth1-server-storage.interface.js';
import { prepareOAuth1EndpointRoutes } from './decorators/endpoint-routes.js';
import { keepRawFormBodies } from './http/raw-form-body.js';
import type { OAuth1ServerModuleAsyncOptions } from './interfaces/oauth1-server-module-options.interface.js';
import { ConfigurableModuleClass, OPTIONS_TYPE } from './oauth1-server.module-definition.js';
import { createOAuth1ServerProviders, OAUTH1_SERVER_EXPORTS } from './oauth1-server.providers.js';

/**
 * Makes the app an OAuth 1.0a provider (RFC 5849): you supply the storage
 * (`OAuth1ServerStorage`) and the consent page; the endpoints are your own
 * controller methods with `@RequestTokenEndpoint()`,
 * `@OAuth1AuthorizeEndpoint()` and `@AccessTokenEndpoint()`, and your API
 * routes take `@RequireOAuth1(...realms)`. The protocol is the framework-free
 * `OAuth1Provider`; this module only adapts it. Global by default.
 *
 * Settings come from the options, else `ConfigService` as `OAUTH1_PROVIDER_*`
 * (Flask-OAuthlib's names), else secure defaults; anything unknown or
 * malformed stops the app at start-up, naming the key. It registers no
 * global guard, interceptor or filter; on start-up it makes the app keep the
 * raw text of form bodies (which the signature covers) next to what the body
 * parser makes of them.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [ConfigModule.forRoot(), OAuth1ServerModule.forRoot({ storage: PrismaOAuth1Storage })],
 *   controllers: [OAuth1Controller, PhotosController],
 * })
 * export class AppModule {}
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html
 */
@Module({})
export class OAuth1ServerModule extends ConfigurableModuleClass implements NestModule {
  /**
   * Settles how each endpoint route of the app is answered (before Nest builds the routes).
   *
   * @param modules - the app's modules
   * @param adapterHost - Nest's HTTP adapter host
   * @internal Built by Nest.
   */
  constructor(
    @Inject(ModulesContainer) modules: ModulesContainer,
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
  ) {
    super();
    const controllers = [...modules.values()].flatMap((module) =>
      [...module.controllers.values()].map((wrapper) => wrapper.metatype as Type),
    );
    prepareOAuth1EndpointRoutes(controllers.filter((c) => typeof c === 'function'));
  }

  /**
   * Configures the provider with options given in code (missing settings are
   * read from `ConfigService` as `OAUTH1_PROVIDER_*`).
   *
   * @param options - the storage (an injectable class or an instance), settings, origin, hooks
   * @returns the dynamic module
   * @throws {OAuthConfigError} at start-up, naming the key to fix
   */
  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const storage = typeof options?.storage === 'function' ? options.storage : undefined;
    return withProviders(super.forRoot(options), storage);
  }

  /**
   * Configures the provider with options from a factory (`useFactory`,
   * `useClass`, `useExisting`, with `imports` and `inject`). The storage is
   * the factory's `storage`, or the `storage` class given here (built by Nest).
   *
   * @param options - the async options
   * @returns the dynamic module
   */
  static forRootAsync(options: OAuth1ServerModuleAsyncOptions<any>): DynamicModule {
    const { storage, ...rest } = options;
    return withProviders(super.forRootAsync(rest), storage);
  }

  /**
   * Makes the app keep the raw text of form bodies (Express: next to its
   * `urlencoded` parser; Fastify: a `preParsing` hook). Runs after Nest
   * registered its body parsers, before the app serves requests.
   */
  configure(): void {
    keepRawFormBodies(this.adapterHost?.httpAdapter);
  }
}

function withProviders(
  definition: DynamicModule,
  storage: Type<OAuth1ServerStorage<any>> | undefined,
): DynamicModule {
  return {
    ...definition,
    providers: [...(definition.providers ?? []), ...createOAuth1ServerProviders(storage)],
    exports: [...(definition.exports ?? []), ...OAUTH1_SERVER_EXPORTS],
  };
}
