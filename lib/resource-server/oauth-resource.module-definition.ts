import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { OAuthResourceOptions } from './interfaces/oauth-resource-options.interface.js';
import { OAUTH_RESOURCE_OPTIONS } from './resource-server.constants.js';

/** The `ConfigurableModuleBuilder` output behind {@link OAuthResourceModule} (global by default). */
export const { ConfigurableModuleClass: ResourceModuleClass, OPTIONS_TYPE: RESOURCE_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<OAuthResourceOptions>({
    optionsInjectionToken: OAUTH_RESOURCE_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createOAuthResourceOptions')
    .setExtras({ isGlobal: true }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();
