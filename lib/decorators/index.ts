export { OAuthClient } from './oauth-client.decorator.js';
export {
  OAuthCallbackResult,
  OAuthReturnTo,
  OAuthToken,
  OAuthUser,
} from './oauth-result.decorators.js';
