import { definePreset } from './define-preset.js';

/**
 * Client options for Netlify (OAuth 2). Env keys: `NETLIFY_CLIENT_ID`,
 * `NETLIFY_CLIENT_SECRET`. Hosts for `baseUrls`: `app`
 * (https://app.netlify.com), `api` (https://api.netlify.com).
 *
 * Netlify tokens do not expire and there are no scopes.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { netlify: presets.netlify() } });
 * ```
 * @see https://docs.netlify.com/api/get-started/#oauth2
 */
export const netlify = definePreset<'app' | 'api'>({
  name: 'netlify',
  title: 'Netlify',
  docs: 'https://docs.netlify.com/api/get-started/#oauth2',
  protocol: 'oauth2',
  hosts: { app: 'https://app.netlify.com', api: 'https://api.netlify.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  refresh: false,
  fields: ['sub', 'name', 'email', 'picture'],
  endpoints: (h) => ({
    authorizeUrl: `${h.app}/authorize`,
    accessTokenUrl: `${h.api}/oauth/token`,
    apiBaseUrl: `${h.api}/api/v1/`,
    userinfoEndpoint: `${h.api}/api/v1/user`,
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.full_name,
    email: user.email,
    picture: user.avatar_url,
  }),
});
