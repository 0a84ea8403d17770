export { OAuth1App } from './oauth1-app.js';
export { OAuth2App } from './oauth2-app.js';
export { OAuthAppBase, type OAuthAppRuntime } from './oauth-app.runtime.js';
