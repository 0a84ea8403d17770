import { definePreset } from './define-preset.js';

/**
 * Client options for Login with Amazon (OAuth 2 with PKCE). Env keys:
 * `AMAZON_CLIENT_ID`, `AMAZON_CLIENT_SECRET`. Hosts for `baseUrls`: `www`
 * (https://www.amazon.com), `api` (https://api.amazon.com; `api.amazon.co.uk`
 * and `api.amazon.co.jp` for the EU and FE regions).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { amazon: presets.amazon({ baseUrls: { api: 'https://api.amazon.co.uk' } }) } });
 * ```
 * @see https://developer.amazon.com/docs/login-with-amazon/authorization-code-grant.html
 */
export const amazon = definePreset<'www' | 'api'>({
  name: 'amazon',
  title: 'Login with Amazon',
  docs: 'https://developer.amazon.com/docs/login-with-amazon/authorization-code-grant.html',
  protocol: 'oauth2',
  hosts: { www: 'https://www.amazon.com', api: 'https://api.amazon.com' },
  pkce: 'S256',
  clientAuth: 'client_secret_post',
  scope: 'profile',
  refresh: true,
  fields: ['sub', 'name', 'email'],
  endpoints: (h) => ({
    authorizeUrl: `${h.www}/ap/oa`,
    accessTokenUrl: `${h.api}/auth/o2/token`,
    apiBaseUrl: `${h.api}/`,
    userinfoEndpoint: `${h.api}/user/profile`,
  }),
  profile: (user) => ({
    sub: user.user_id,
    name: user.name,
    email: user.email,
    postal_code: user.postal_code,
  }),
});
