export { OAuth1App } from './oauth1-app.js';
export { OAuth2App } from './oauth2-app.js';
export type { OAuthApp } from './oauth-app.type.js';
export type { OAuthAppRuntime } from './oauth-app-runtime.interface.js';
