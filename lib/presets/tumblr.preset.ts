import { definePreset } from './define-preset.js';
import { first } from './preset.util.js';

/**
 * Client options for Tumblr (OAuth 1.0a). Env keys: `TUMBLR_CLIENT_ID` (the
 * OAuth consumer key), `TUMBLR_CLIENT_SECRET`. Hosts for `baseUrls`: `www`
 * (https://www.tumblr.com), `api` (https://api.tumblr.com).
 *
 * Quirks: the user has no id: `sub` is the primary blog's `uuid` (stable),
 * `preferred_username` the (renamable) user name; answers are wrapped in
 * `{ meta, response }`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { tumblr: presets.tumblr() } });
 * ```
 * @see https://www.tumblr.com/docs/en/api/v2#oauth1-authorization
 */
export const tumblr = definePreset<'www' | 'api'>({
  name: 'tumblr',
  title: 'Tumblr (OAuth 1.0a)',
  docs: 'https://www.tumblr.com/docs/en/api/v2#oauth1-authorization',
  protocol: 'oauth1',
  hosts: { www: 'https://www.tumblr.com', api: 'https://api.tumblr.com' },
  refresh: false,
  fields: ['sub', 'name', 'picture', 'preferred_username', 'profile'],
  quirks: [{ id: 'tumblr-blog-uuid', summary: "no user id: `sub` is the primary blog's `uuid`" }],
  endpoints: (h) => ({
    requestTokenUrl: `${h.www}/oauth/request_token`,
    authorizeUrl: `${h.www}/oauth/authorize`,
    accessTokenUrl: `${h.www}/oauth/access_token`,
    apiBaseUrl: `${h.api}/v2/`,
    userinfoEndpoint: `${h.api}/v2/user/info`,
  }),
  profile: (raw) => {
    const user = raw.response?.user ?? {};
    const blogs: any[] = Array.isArray(user.blogs) ? user.blogs : [];
    const blog = blogs.find((b) => b?.primary) ?? first(blogs);
    return {
      sub: blog?.uuid,
      name: blog?.title || user.name,
      preferred_username: user.name,
      picture: first(blog?.avatar)?.url,
      profile: blog?.url,
    };
  },
});
