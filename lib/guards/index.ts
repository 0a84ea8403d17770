export { OAuthCallbackGuard, OAuthCallbackGuardBase } from './oauth-callback.guard.js';
export { OAuthLoginGuard, OAuthLoginGuardBase } from './oauth-login.guard.js';
export { OAuthFlowGuardBase } from './oauth-flow-guard.base.js';
