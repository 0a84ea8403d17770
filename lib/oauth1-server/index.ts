// The OAuth 1.0a provider's Nest layer (issue 15): re-exported by the package root.
export { OAuth1ServerModule } from './oauth1-server.module.js';
export { OAuth1ServerService } from './oauth1-server.service.js';
export { OAUTH1_SERVER_OPTIONS, OAUTH1_PROVIDER_ORIGIN_KEY } from './oauth1-server.constants.js';
export {
  AccessTokenEndpoint,
  OAuth1AuthorizeEndpoint,
  RequestTokenEndpoint,
} from './decorators/oauth1-endpoint.decorators.js';
export { RequireOAuth1 } from './decorators/require-oauth1.decorator.js';
export {
  OAuth1AccessTokenRequest,
  OAuth1AuthorizationRequest,
  OAuth1Principal,
} from './decorators/oauth1-params.decorators.js';
export { getOAuth1Principal } from './context/oauth1-request-data.js';
export { OAuth1ResourceGuard } from './guards/oauth1-resource.guard.js';
export { OAuth1ResponseException } from './errors/oauth1-response.exception.js';
export { OAuth1ResponseFilter } from './filters/oauth1-response.filter.js';
export type {
  OAuth1ServerHooks,
  OAuth1ServerModuleAsyncOptions,
  OAuth1ServerModuleOptions,
  OAuth1ServerOptionsFactory,
  OAuth1ServerStorageOption,
} from './interfaces/oauth1-server-module-options.interface.js';
