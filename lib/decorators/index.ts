export { OAuthClient } from './oauth-client.decorator.js';
export { OAuthLogin, OAuthReturnTo, OAuthToken, OAuthUser } from './oauth-result.decorators.js';
