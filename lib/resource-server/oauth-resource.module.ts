import { Module, type DynamicModule } from '@nestjs/common';
import type { OAuthResourceModuleAsyncOptions } from './interfaces/oauth-resource-options.interface.js';
import { OAuthResourceCoreModule, resourceSourceProvider } from './oauth-resource-core.module.js';
import { RESOURCE_OPTIONS_TYPE, ResourceModuleClass } from './oauth-resource.module-definition.js';
import { OAUTH_RESOURCE_OPTIONS } from './resource-server.constants.js';

/**
 * Resource protection for an app that only protects its API (no OAuth
 * client, no login): configures what `@RequireOAuth()` validates tokens
 * with. An app that also logs users in can give the same options as
 * `OAuthModule.forRoot({ resource })` instead; configuring both fails at
 * start-up. Missing keys are read from `ConfigService` as `OAUTH_RESOURCE_*`;
 * an `OAUTH_ACCESS_TOKEN_LOOKUP` provider adds this app's own tokens.
 *
 * @example
 * ```ts
 * @Module({ imports: [OAuthResourceModule.forRoot({ issuer: 'https://auth.example.com', audience: 'https://api.example.com' })] })
 * export class ApiModule {}
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750.html
 */
@Module({})
export class OAuthResourceModule extends ResourceModuleClass {
  /**
   * Configures resource protection with options given in code.
   *
   * @param options - issuer, audience, validators (all may come from `OAUTH_RESOURCE_*` instead)
   * @returns the dynamic module
   * @throws {OAuthConfigError} at start-up, naming the key to fix
   */
  static forRoot(options: typeof RESOURCE_OPTIONS_TYPE = {}): DynamicModule {
    return withSource(super.forRoot(options));
  }

  /**
   * Configures resource protection with options from a factory.
   *
   * @param options - `useFactory` / `useClass` / `useExisting`, `imports`, `inject`, `isGlobal`
   * @returns the dynamic module
   */
  static forRootAsync(options: OAuthResourceModuleAsyncOptions): DynamicModule {
    return withSource(super.forRootAsync(options));
  }
}

function withSource(definition: DynamicModule): DynamicModule {
  return {
    ...definition,
    imports: [...(definition.imports ?? []), OAuthResourceCoreModule],
    providers: [
      ...(definition.providers ?? []),
      resourceSourceProvider('OAuthResourceModule', [OAUTH_RESOURCE_OPTIONS], (options) => ({
        code: options ?? {},
      })),
    ],
  };
}
