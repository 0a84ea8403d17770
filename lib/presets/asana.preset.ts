import { definePreset } from './define-preset.js';

/**
 * Client options for Asana (OAuth 2 with PKCE). Env keys:
 * `ASANA_CLIENT_ID`, `ASANA_CLIENT_SECRET`. Host for `baseUrls`: `app`
 * (https://app.asana.com).
 *
 * Quirks: the endpoints live under `/-/` (`/-/oauth_authorize`,
 * `/-/oauth_token`); API answers are wrapped in `data`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { asana: presets.asana() } });
 * ```
 * @see https://developers.asana.com/docs/oauth
 */
export const asana = definePreset<'app'>({
  name: 'asana',
  title: 'Asana',
  docs: 'https://developers.asana.com/docs/oauth',
  protocol: 'oauth2',
  hosts: { app: 'https://app.asana.com' },
  pkce: 'S256',
  clientAuth: 'client_secret_post',
  scope: 'users:read',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture'],
  endpoints: (h) => ({
    authorizeUrl: `${h.app}/-/oauth_authorize`,
    accessTokenUrl: `${h.app}/-/oauth_token`,
    revocationEndpoint: `${h.app}/-/oauth_revoke`,
    apiBaseUrl: `${h.app}/api/1.0/`,
    userinfoEndpoint: `${h.app}/api/1.0/users/me`,
  }),
  profile: ({ data: user = {} }) => ({
    sub: user.gid,
    name: user.name,
    email: user.email,
    picture: user.photo?.image_128x128,
  }),
});
