import { definePreset } from './define-preset.js';

/**
 * Client options for Box (OAuth 2). Env keys: `BOX_CLIENT_ID`,
 * `BOX_CLIENT_SECRET`. Hosts for `baseUrls`: `account`
 * (https://account.box.com), `api` (https://api.box.com).
 *
 * Quirks: scopes are set on the app, not in the request; refresh tokens are
 * single-use (the new one is in `oauth.token.updated`).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { box: presets.box() } });
 * ```
 * @see https://developer.box.com/guides/authentication/oauth2/
 */
export const box = definePreset<'account' | 'api'>({
  name: 'box',
  title: 'Box',
  docs: 'https://developer.box.com/guides/authentication/oauth2/',
  protocol: 'oauth2',
  hosts: { account: 'https://account.box.com', api: 'https://api.box.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture'],
  endpoints: (h) => ({
    authorizeUrl: `${h.account}/api/oauth2/authorize`,
    accessTokenUrl: `${h.api}/oauth2/token`,
    revocationEndpoint: `${h.api}/oauth2/revoke`,
    apiBaseUrl: `${h.api}/2.0/`,
    userinfoEndpoint: `${h.api}/2.0/users/me`,
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.name,
    email: user.login,
    picture: user.avatar_url,
  }),
});
