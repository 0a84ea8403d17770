import { authorizationScheme, oauth2Fix } from './compliance.util.js';
import { definePreset } from './define-preset.js';

/**
 * Client options for Sina Weibo (OAuth 2). Env keys: `WEIBO_CLIENT_ID` (the
 * App Key), `WEIBO_CLIENT_SECRET` (the App Secret). Host for `baseUrls`:
 * `api` (https://api.weibo.com).
 *
 * Quirks: the token answer names the user (`uid`), which the profile call
 * needs; API calls take `Authorization: OAuth2 <token>`; the credentials go
 * in the body.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { weibo: presets.weibo() } });
 * ```
 * @see https://open.weibo.com/wiki/Oauth2/access_token
 */
export const weibo = definePreset<'api'>({
  name: 'weibo',
  title: 'Weibo',
  docs: 'https://open.weibo.com/wiki/Oauth2/access_token',
  protocol: 'oauth2',
  hosts: { api: 'https://api.weibo.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  refresh: false,
  fields: ['sub', 'name', 'picture', 'profile'],
  quirks: [
    { id: 'weibo-uid', summary: 'the profile call needs the `uid` of the token answer' },
    { id: 'weibo-oauth2-scheme', summary: 'API calls take `Authorization: OAuth2 <token>`' },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.api}/oauth2/authorize`,
    accessTokenUrl: `${h.api}/oauth2/access_token`,
    apiBaseUrl: `${h.api}/2/`,
  }),
  profile: async (_raw, token, context, { endpoints }) => {
    const user = (await context.request(`${endpoints.apiBaseUrl}users/show.json`, {
      query: { uid: String(token.uid ?? '') },
    })) as Record<string, any>;
    return {
      sub: user?.idstr ?? user?.id,
      name: user?.screen_name ?? user?.name,
      picture: user?.avatar_large ?? user?.profile_image_url,
      profile: user?.profile_url ? `https://weibo.com/${user.profile_url}` : undefined,
      raw: user,
    };
  },
  complianceFix: oauth2Fix(authorizationScheme('OAuth2')),
});
