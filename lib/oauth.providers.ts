import type { FactoryProvider, InjectionToken, Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { OAuthFlowService } from './flow/oauth-flow.service.js';
import type { OAuthModuleOptions } from './interfaces/oauth-module-options.interface.js';
import { OAUTH_MODULE_OPTIONS, OAUTH_STATIC_CLIENT_NAMES } from './oauth.constants.js';
import { createOAuthRegistry } from './oauth-registry.factory.js';
import { OAuthRegistry } from './oauth.registry.js';
import { OAuthService } from './oauth.service.js';
import { resourceSourceProvider } from './resource-server/oauth-resource-core.module.js';
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

/** The registry, built from the options once they exist (after a `forRootAsync` factory). */
const registryProvider: FactoryProvider = {
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
};

/** Hands the module's `resource` options (and its `fetch` / `timeout`) to resource protection. */
const resourceProvider = resourceSourceProvider(
  'resource',
  [OAuthRegistry],
  (registry: OAuthRegistry) => ({
    code: registry.options.resource,
    defaults: { fetch: registry.options.fetch, timeout: registry.settings.timeout },
  }),
);

/** Every provider the module adds next to its options provider. */
export function createOAuthProviders(names: string[]): Provider[] {
  return [
    { provide: OAUTH_STATIC_CLIENT_NAMES, useValue: names },
    registryProvider,
    OAuthService,
    OAuthFlowService,
    resourceProvider,
    ...names.map(createClientProvider),
  ];
}

/** What the module exports: the service, what the guards need, and the clients. */
export function oauthExports(names: string[]): InjectionToken[] {
  return [OAuthService, OAuthRegistry, OAuthFlowService, ...names.map(getOAuthClientToken)];
}
