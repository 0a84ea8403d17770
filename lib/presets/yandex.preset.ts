import { authorizationScheme, oauth2Fix } from './compliance.util.js';
import { definePreset } from './define-preset.js';

/**
 * Client options for Yandex ID (OAuth 2 with PKCE). Env keys:
 * `YANDEX_CLIENT_ID`, `YANDEX_CLIENT_SECRET`. Hosts for `baseUrls`: `oauth`
 * (https://oauth.yandex.com), `login` (https://login.yandex.ru).
 *
 * Quirks: the profile API wants `Authorization: OAuth <token>`; the avatar
 * is an id the mapping turns into a URL.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { yandex: presets.yandex() } });
 * ```
 * @see https://yandex.com/dev/id/doc/en/codes/code-url
 */
export const yandex = definePreset<'oauth' | 'login'>({
  name: 'yandex',
  title: 'Yandex',
  docs: 'https://yandex.com/dev/id/doc/en/codes/code-url',
  protocol: 'oauth2',
  hosts: { oauth: 'https://oauth.yandex.com', login: 'https://login.yandex.ru' },
  pkce: 'S256',
  scope: 'login:info login:email login:avatar',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username'],
  quirks: [
    { id: 'yandex-oauth-scheme', summary: 'the profile API wants `Authorization: OAuth <token>`' },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.oauth}/authorize`,
    accessTokenUrl: `${h.oauth}/token`,
    apiBaseUrl: `${h.login}/`,
    userinfoEndpoint: `${h.login}/info?format=json`,
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.real_name ?? user.display_name,
    given_name: user.first_name,
    family_name: user.last_name,
    preferred_username: user.login,
    email: user.default_email,
    picture:
      user.default_avatar_id && !user.is_avatar_empty
        ? `https://avatars.yandex.net/get-yapic/${encodeURIComponent(user.default_avatar_id)}/islands-200`
        : undefined,
  }),
  complianceFix: oauth2Fix(authorizationScheme('OAuth')),
});
