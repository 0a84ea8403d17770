import { definePreset } from './define-preset.js';

/**
 * Client options for osu! (OAuth 2, API v2). Env keys: `OSU_CLIENT_ID`,
 * `OSU_CLIENT_SECRET`. Host for `baseUrls`: `web` (https://osu.ppy.sh).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { osu: presets.osu() } });
 * ```
 * @see https://osu.ppy.sh/docs/index.html#authorization-code-grant
 */
export const osu = definePreset<'web'>({
  name: 'osu',
  title: 'osu!',
  docs: 'https://osu.ppy.sh/docs/index.html#authorization-code-grant',
  protocol: 'oauth2',
  hosts: { web: 'https://osu.ppy.sh' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'identify',
  refresh: true,
  fields: ['sub', 'name', 'picture', 'preferred_username', 'profile'],
  endpoints: (h) => ({
    authorizeUrl: `${h.web}/oauth/authorize`,
    accessTokenUrl: `${h.web}/oauth/token`,
    apiBaseUrl: `${h.web}/api/v2/`,
    userinfoEndpoint: `${h.web}/api/v2/me`,
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.username,
    preferred_username: user.username,
    picture: user.avatar_url,
    profile: user.id ? `https://osu.ppy.sh/users/${user.id}` : undefined,
  }),
});
