import { definePreset } from './define-preset.js';

/**
 * Client options for Epic Games (Epic Account Services, OpenID Connect).
 * Env keys: `EPICGAMES_CLIENT_ID`, `EPICGAMES_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `www` (https://www.epicgames.com), `api` (https://api.epicgames.dev).
 *
 * Quirks: the login page is on www.epicgames.com, everything else on
 * api.epicgames.dev; Epic shares no e-mail address; the display name is
 * `preferred_username`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { epicgames: presets.epicgames() } });
 * ```
 * @see https://dev.epicgames.com/docs/web-api-ref/authentication
 */
export const epicgames = definePreset<'www' | 'api'>({
  name: 'epicgames',
  title: 'Epic Games',
  docs: 'https://dev.epicgames.com/docs/web-api-ref/authentication',
  protocol: 'oidc',
  hosts: { www: 'https://www.epicgames.com', api: 'https://api.epicgames.dev' },
  pkce: false,
  scope: 'basic_profile openid',
  refresh: true,
  fields: ['sub', 'name', 'preferred_username'],
  endpoints: (h) => ({
    serverMetadataUrl: `${h.api}/epic/oauth/v2/.well-known/openid-configuration`,
    authorizeUrl: `${h.www}/id/authorize`,
    accessTokenUrl: `${h.api}/epic/oauth/v2/token`,
    userinfoEndpoint: `${h.api}/epic/oauth/v2/userinfo`,
    apiBaseUrl: `${h.api}/epic/`,
  }),
  profile: (user) => ({
    sub: user.sub,
    name: user.preferred_username,
    preferred_username: user.preferred_username,
  }),
});
