import { definePreset } from './define-preset.js';

/**
 * Client options for WordPress.com (OAuth 2). Env keys:
 * `WORDPRESS_CLIENT_ID`, `WORDPRESS_CLIENT_SECRET`. Host for `baseUrls`:
 * `api` (https://public-api.wordpress.com).
 *
 * Quirks: the token answer names the blog the user chose (`blog_id`,
 * `blog_url`); tokens do not expire; scope `auth` is enough for `/me`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { wordpress: presets.wordpress() } });
 * ```
 * @see https://developer.wordpress.com/docs/oauth2/
 */
export const wordpress = definePreset<'api'>({
  name: 'wordpress',
  title: 'WordPress.com',
  docs: 'https://developer.wordpress.com/docs/oauth2/',
  protocol: 'oauth2',
  hosts: { api: 'https://public-api.wordpress.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'auth',
  refresh: false,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username', 'profile'],
  endpoints: (h) => ({
    authorizeUrl: `${h.api}/oauth2/authorize`,
    accessTokenUrl: `${h.api}/oauth2/token`,
    apiBaseUrl: `${h.api}/rest/v1.1/`,
    userinfoEndpoint: `${h.api}/rest/v1.1/me`,
  }),
  profile: (user) => ({
    sub: user.ID,
    name: user.display_name,
    preferred_username: user.username,
    email: user.email,
    email_verified: user.email_verified,
    picture: user.avatar_URL,
    profile: user.profile_URL,
  }),
});
