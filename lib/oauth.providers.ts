import type { FactoryProvider, InjectionToken, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR, ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { OAuthRequestContextInterceptor } from './context/request-context.js';
import { OAuthFlowService } from './guards/oauth-flow.service.js';
import type { OAuthModuleOptions } from './interfaces/oauth-module-options.interface.js';
import { OAUTH_MODULE_OPTIONS, OAUTH_STATIC_CLIENT_NAMES } from './oauth.constants.js';
import { createOAuthRegistry, OAuthRegistry } from './oauth.registry.js';
import { OAuthService } from './oauth.service.js';
import { getOAuthClientToken } from './utils/get-oauth-client-token.util.js';

/**
 * The provider of `@OAuthClient(name)`: resolved from {@link OAuthService},
 * which throws a named error when the factory did not configure `name`.
 */
export const createClientProvider = (name: string): FactoryProvider => ({
  provide: getOAuthClientToken(name),
  useFactory: (oauth: OAuthService) => oauth.client(name),
  inject: [OAuthService],
});

/** Every provider the module adds next to its options provider. */
export function createOAuthProviders(names: string[]): Provider[] {
  return [
    { provide: OAUTH_STATIC_CLIENT_NAMES, useValue: names },
    {
      provide: OAuthRegistry,
      useFactory: (
        options: OAuthModuleOptions,
        staticNames: string[],
        moduleRef: ModuleRef,
        config?: ConfigService,
        events?: EventEmitter2,
      ) => createOAuthRegistry({ options, staticNames, moduleRef, config, events }),
      inject: [
        OAUTH_MODULE_OPTIONS,
        OAUTH_STATIC_CLIENT_NAMES,
        ModuleRef,
        { token: ConfigService, optional: true },
        { token: EventEmitter2, optional: true },
      ],
    },
    OAuthService,
    OAuthFlowService,
    ...names.map(createClientProvider),
    { provide: APP_INTERCEPTOR, useClass: OAuthRequestContextInterceptor },
  ];
}

/** What the module exports. */
export function oauthExports(names: string[]): InjectionToken[] {
  return [OAuthService, OAuthRegistry, OAuthFlowService, ...names.map(getOAuthClientToken)];
}
