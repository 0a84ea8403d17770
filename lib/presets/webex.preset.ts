import { definePreset } from './define-preset.js';

/**
 * Client options for Webex (OAuth 2 with PKCE). Env keys: `WEBEX_CLIENT_ID`,
 * `WEBEX_CLIENT_SECRET`. Host for `baseUrls`: `api` (https://webexapis.com).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { webex: presets.webex() } });
 * ```
 * @see https://developer.webex.com/docs/integrations
 */
export const webex = definePreset<'api'>({
  name: 'webex',
  title: 'Webex',
  docs: 'https://developer.webex.com/docs/integrations',
  protocol: 'oauth2',
  hosts: { api: 'https://webexapis.com' },
  pkce: 'S256',
  clientAuth: 'client_secret_post',
  scope: 'spark:people_read',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username'],
  endpoints: (h) => ({
    authorizeUrl: `${h.api}/v1/authorize`,
    accessTokenUrl: `${h.api}/v1/access_token`,
    apiBaseUrl: `${h.api}/v1/`,
    userinfoEndpoint: `${h.api}/v1/people/me`,
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.displayName,
    given_name: user.firstName,
    family_name: user.lastName,
    preferred_username: user.nickName,
    email: Array.isArray(user.emails) ? user.emails[0] : undefined,
    picture: user.avatar,
  }),
});
