import { definePreset } from './define-preset.js';

/**
 * Client options for Pinterest (OAuth 2, API v5). Env keys:
 * `PINTEREST_CLIENT_ID` (the app id), `PINTEREST_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `www` (https://www.pinterest.com), `api` (https://api.pinterest.com).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { pinterest: presets.pinterest() } });
 * ```
 * @see https://developers.pinterest.com/docs/getting-started/authentication-and-scopes/
 */
export const pinterest = definePreset<'www' | 'api'>({
  name: 'pinterest',
  title: 'Pinterest',
  docs: 'https://developers.pinterest.com/docs/getting-started/authentication-and-scopes/',
  protocol: 'oauth2',
  hosts: { www: 'https://www.pinterest.com', api: 'https://api.pinterest.com' },
  pkce: false,
  scope: 'user_accounts:read',
  refresh: true,
  fields: ['sub', 'name', 'picture', 'preferred_username', 'profile'],
  endpoints: (h) => ({
    authorizeUrl: `${h.www}/oauth/`,
    accessTokenUrl: `${h.api}/v5/oauth/token`,
    apiBaseUrl: `${h.api}/v5/`,
    userinfoEndpoint: `${h.api}/v5/user_account`,
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.business_name ?? user.username,
    preferred_username: user.username,
    picture: user.profile_image,
    profile: user.username
      ? `https://www.pinterest.com/${encodeURIComponent(user.username)}/`
      : undefined,
  }),
});
