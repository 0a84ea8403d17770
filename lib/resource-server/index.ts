// Resource protection for Nest (issue 14): `@RequireOAuth()`, `OAuthBearerGuard`, `@OAuthPrincipal()`.
export type { BearerRequest, BearerSource } from './context/bearer-source.js';
export { getOAuthPrincipal } from './context/principal-store.js';
export { OAuthPrincipal } from './decorators/oauth-principal.decorator.js';
export { RequireOAuth } from './decorators/require-oauth.decorator.js';
export { OAuthBearerException } from './errors/oauth-bearer.exception.js';
export { OAuthBearerGuard } from './guards/oauth-bearer.guard.js';
export type {
  OAuthResourceIntrospectionOptions,
  OAuthResourceJwtOptions,
  OAuthResourceModuleAsyncOptions,
  OAuthResourceOptions,
  OAuthResourceOptionsFactory,
} from './interfaces/oauth-resource-options.interface.js';
export { OAuthResourceModule } from './oauth-resource.module.js';
export { OAuthResourceService } from './oauth-resource.service.js';
export { OAUTH_ACCESS_TOKEN_LOOKUP, OAUTH_RESOURCE_OPTIONS } from './resource-server.constants.js';
export {
  authorizationServerTokenLookup,
  type AccessTokenFinder,
} from './storage/authorization-server-lookup.js';
