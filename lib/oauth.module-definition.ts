import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { OAuthModuleOptions } from './interfaces/oauth-module-options.interface.js';
import { OAUTH_MODULE_OPTIONS } from './oauth.constants.js';

/** The `ConfigurableModuleBuilder` output behind {@link OAuthModule} (global by default). */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<OAuthModuleOptions>({ optionsInjectionToken: OAUTH_MODULE_OPTIONS })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createOAuthOptions')
    .setExtras({ isGlobal: true }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();
