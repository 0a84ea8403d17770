import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { OAuth1ServerModuleOptions } from './interfaces/oauth1-server-module-options.interface.js';
import { OAUTH1_SERVER_OPTIONS } from './oauth1-server.constants.js';

/** The `ConfigurableModuleBuilder` output behind {@link OAuth1ServerModule} (global by default). */
export const { ConfigurableModuleClass, OPTIONS_TYPE } = new ConfigurableModuleBuilder<
  OAuth1ServerModuleOptions<any>
>({
  optionsInjectionToken: OAUTH1_SERVER_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createOAuth1ServerOptions')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
