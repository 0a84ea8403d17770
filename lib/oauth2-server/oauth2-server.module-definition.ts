import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { OAuth2ServerModuleOptions } from './interfaces/oauth2-server-module-options.interface.js';
import { OAUTH2_SERVER_OPTIONS } from './oauth2-server.constants.js';

/** The `ConfigurableModuleBuilder` output behind `OAuth2ServerModule` (global by default). */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<OAuth2ServerModuleOptions>({
    optionsInjectionToken: OAUTH2_SERVER_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createOAuth2ServerOptions')
    .setExtras({ isGlobal: true }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();
