import type { FactoryProvider, InjectionToken, Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { OAUTH2_SERVER_OPTIONS } from './oauth2-server.constants.js';
import { createOAuth2ServerRegistry } from './oauth2-server-registry.factory.js';
import { OAuth2ServerRegistry } from './oauth2-server.registry.js';
import { OAuth2ServerService } from './oauth2-server.service.js';
import { OAUTH_ACCESS_TOKEN_LOOKUP } from '../resource-server/resource-server.constants.js';
import { authorizationServerTokenLookup } from '../resource-server/storage/authorization-server-lookup.js';

/** The registry, built from the options once they exist (after a `forRootAsync` factory). */
const registryProvider: FactoryProvider = {
  provide: OAuth2ServerRegistry,
  useFactory: (options: unknown, moduleRef: ModuleRef, config?: ConfigService) =>
    createOAuth2ServerRegistry({ options, moduleRef, config }),
  inject: [OAUTH2_SERVER_OPTIONS, ModuleRef, { token: ConfigService, optional: true }],
};

/**
 * This server's tokens for `@RequireOAuth()`: the resource layer finds an
 * `OAUTH_ACCESS_TOKEN_LOOKUP` provider anywhere in the app and checks tokens
 * in the storage (by hash; revoked or expired ones refused).
 */
const accessTokenLookupProvider: FactoryProvider = {
  provide: OAUTH_ACCESS_TOKEN_LOOKUP,
  useFactory: (service: OAuth2ServerService) => authorizationServerTokenLookup(service),
  inject: [OAuth2ServerService],
};

/** Every provider the module adds next to its options provider. @internal */
export const OAUTH2_SERVER_PROVIDERS: Provider[] = [
  registryProvider,
  OAuth2ServerService,
  accessTokenLookupProvider,
];

/** What the module exports: the service, the token lookup, and what the endpoint decorators' guard and interceptors need. @internal */
export const OAUTH2_SERVER_EXPORTS: InjectionToken[] = [
  OAuth2ServerService,
  OAuth2ServerRegistry,
  OAUTH_ACCESS_TOKEN_LOOKUP,
];
