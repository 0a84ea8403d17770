import type { OAuth1App } from './oauth1-app.js';
import type { OAuth2App } from './oauth2-app.js';

/** An injected client: OAuth 2 / OpenID Connect, or OAuth 1. Tell them apart by `kind`. */
export type OAuthApp = OAuth2App | OAuth1App;
