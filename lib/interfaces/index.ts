export type { OAuthCache } from './oauth-cache.interface.js';
export type {
  OAuthCacheManager,
  OAuthRedisClient,
  OAuthSharedStore,
} from './oauth-shared-store.interface.js';
export type {
  OAuthAnyToken,
  OAuthClientOptions,
  OAuthProfileMapper,
  OAuthTokenUpdateContext,
} from './oauth-client-options.interface.js';
export type {
  OAuthAuthorizeParams,
  OAuthLoginGuardOptions,
  OAuthPassThroughParam,
} from './oauth-login-options.interface.js';
export type {
  OAuthModuleAsyncOptions,
  OAuthModuleOptions,
  OAuthOptionsFactory,
  OAuthRequestContextOptions,
} from './oauth-module-options.interface.js';
