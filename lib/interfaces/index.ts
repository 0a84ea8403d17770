export type { OAuthCache } from './oauth-cache.interface.js';
export type {
  OAuthAnyToken,
  OAuthClientOptions,
  OAuthProfileMapper,
  OAuthTokenUpdateContext,
} from './oauth-client-options.interface.js';
export type {
  OAuthModuleAsyncOptions,
  OAuthModuleOptions,
  OAuthOptionsFactory,
} from './oauth-module-options.interface.js';
