import { definePreset } from './define-preset.js';

/**
 * Client options for Douban (OAuth 2; one of Flask-OAuthlib's original
 * `contrib.apps`). Env keys: `DOUBAN_CLIENT_ID` (the API Key),
 * `DOUBAN_CLIENT_SECRET`. Hosts for `baseUrls`: `www`
 * (https://www.douban.com), `api` (https://api.douban.com).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { douban: presets.douban() } });
 * ```
 * @see https://developers.douban.com/wiki/?title=oauth2
 */
export const douban = definePreset<'www' | 'api'>({
  name: 'douban',
  title: 'Douban',
  docs: 'https://developers.douban.com/wiki/?title=oauth2',
  protocol: 'oauth2',
  hosts: { www: 'https://www.douban.com', api: 'https://api.douban.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'douban_basic_common',
  refresh: true,
  fields: ['sub', 'name', 'picture', 'preferred_username', 'profile'],
  endpoints: (h) => ({
    authorizeUrl: `${h.www}/service/auth2/auth`,
    accessTokenUrl: `${h.www}/service/auth2/token`,
    apiBaseUrl: `${h.api}/v2/`,
    userinfoEndpoint: `${h.api}/v2/user/~me`,
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.name,
    preferred_username: user.uid,
    picture: user.large_avatar ?? user.avatar,
    profile: user.alt,
  }),
});
