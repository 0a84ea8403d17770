import type { FactoryProvider, InjectionToken, Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { OAuth1ServerStorage } from '../server/oauth1/oauth1-server-storage.interface.js';
import { OAuth1EndpointFlow } from './flow/oauth1-endpoint.flow.js';
import { OAUTH1_SERVER_OPTIONS, OAUTH1_SERVER_STORAGE } from './oauth1-server.constants.js';
import { createOAuth1ServerRegistry } from './oauth1-server-registry.factory.js';
import { OAuth1ServerRegistry } from './oauth1-server.registry.js';
import { OAuth1ServerService } from './oauth1-server.service.js';

/** The registry, built from the options once they exist (after a `forRootAsync` factory). */
const registryProvider: FactoryProvider = {
  provide: OAuth1ServerRegistry,
  useFactory: (
    options: unknown,
    storage: OAuth1ServerStorage<unknown> | undefined,
    moduleRef: ModuleRef,
    config?: ConfigService,
  ) => createOAuth1ServerRegistry({ options, storage, moduleRef, config }),
  inject: [
    OAUTH1_SERVER_OPTIONS,
    { token: OAUTH1_SERVER_STORAGE, optional: true },
    ModuleRef,
    { token: ConfigService, optional: true },
  ],
};

/**
 * Every provider the module adds next to its options provider.
 *
 * @param storage - a storage class for Nest to build, if one was given
 * @internal
 */
export function createOAuth1ServerProviders(storage?: Type<OAuth1ServerStorage<any>>): Provider[] {
  return [
    ...(storage ? [{ provide: OAUTH1_SERVER_STORAGE, useClass: storage }] : []),
    registryProvider,
    OAuth1ServerService,
    OAuth1EndpointFlow,
  ];
}

/** What the module exports: the service, and what its guards and interceptor need. @internal */
export const OAUTH1_SERVER_EXPORTS: InjectionToken[] = [
  OAuth1ServerService,
  OAuth1ServerRegistry,
  OAuth1EndpointFlow,
];
