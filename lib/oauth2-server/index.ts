// The OAuth 2.0 / OpenID Connect authorization server module (issue 13).
export { OAuth2ServerModule } from './oauth2-server.module.js';
export { OAuth2ServerService } from './oauth2-server.service.js';
export { OAUTH2_SERVER_OPTIONS } from './oauth2-server.constants.js';
export {
  AuthorizeEndpoint,
  IntrospectEndpoint,
  RevokeEndpoint,
  TokenEndpoint,
} from './decorators/oauth2-endpoint.decorators.js';
export { OAuthAuthorization } from './decorators/oauth-authorization.decorator.js';
export { getOAuthAuthorization } from './context/authorization-request.store.js';
export { OAuth2ResponseFilter } from './filters/oauth2-response.filter.js';
export { OAUTH2_PROVIDER_CONFIG_NAMES } from './config/oauth2-server-config-keys.js';
export type {
  OAuth2ServerModuleAsyncOptions,
  OAuth2ServerModuleOptions,
  OAuth2ServerOptionsFactory,
  OAuth2ServerRoutes,
  OAuth2ServerStorageOption,
} from './interfaces/oauth2-server-module-options.interface.js';
