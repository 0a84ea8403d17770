export { OAuthCallbackGuard } from './oauth-callback.guard.js';
export { OAuthLoginGuard } from './oauth-login.guard.js';
export { OAuthFlowService } from './oauth-flow.service.js';
