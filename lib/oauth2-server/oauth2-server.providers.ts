import type { FactoryProvider, InjectionToken, Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { OAUTH2_SERVER_OPTIONS } from './oauth2-server.constants.js';
import { createOAuth2ServerRegistry } from './oauth2-server-registry.factory.js';
import { OAuth2ServerRegistry } from './oauth2-server.registry.js';
import { OAuth2ServerService } from './oauth2-server.service.js';

/** The registry, built from the options once they exist (after a `forRootAsync` factory). */
const registryProvider: FactoryProvider = {
  provide: OAuth2ServerRegistry,
  useFactory: (options: unknown, moduleRef: ModuleRef, config?: ConfigService) =>
    createOAuth2ServerRegistry({ options, moduleRef, config }),
  inject: [OAUTH2_SERVER_OPTIONS, ModuleRef, { token: ConfigService, optional: true }],
};

/** Every provider the module adds next to its options provider. @internal */
export const OAUTH2_SERVER_PROVIDERS: Provider[] = [registryProvider, OAuth2ServerService];

/** What the module exports: the service, and what the endpoint decorators' guard and interceptors need. @internal */
export const OAUTH2_SERVER_EXPORTS: InjectionToken[] = [OAuth2ServerService, OAuth2ServerRegistry];
