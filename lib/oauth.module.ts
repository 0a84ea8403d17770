import { Module, type DynamicModule } from '@nestjs/common';
import { assertClientName } from './config/resolve-client-options.js';
import type { OAuthModuleAsyncOptions } from './interfaces/oauth-module-options.interface.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
} from './oauth.module-definition.js';
import { createOAuthProviders, oauthExports } from './oauth.providers.js';

/**
 * OAuth 1.0a, OAuth 2 and OpenID Connect clients for Nest: one injectable
 * client per provider, login and callback guards, state in an encrypted
 * cookie (or a cache), events on `@nestjs/event-emitter`. Global by default.
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
export class OAuthModule extends ConfigurableModuleClass {
  /**
   * Registers the clients given in `options.clients` (missing keys are read
   * from `ConfigService` as `{NAME}_{KEY}`).
   *
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
   */
  static forRootAsync(options: OAuthModuleAsyncOptions): DynamicModule {
    const { clients = [], ...rest } = options;
    clients.forEach(assertClientName);
    return withProviders(super.forRootAsync(rest as typeof ASYNC_OPTIONS_TYPE), [
      ...new Set(clients),
    ]);
  }
}

function withProviders(definition: DynamicModule, names: string[]): DynamicModule {
  return {
    ...definition,
    providers: [...(definition.providers ?? []), ...createOAuthProviders(names)],
    exports: [...(definition.exports ?? []), ...oauthExports(names)],
  };
}
