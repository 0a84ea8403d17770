import { apiQuery, oauth2Fix, tokenInQuery } from './compliance.util.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { first } from './preset.util.js';

/** Options of `presets.vk()`. */
export interface VkPresetOptions extends PresetOptions<'oauth' | 'api'> {
  /** The API version every call names (default `5.199`). */
  apiVersion?: string;
}

/**
 * Client options for VK (VKontakte, OAuth 2). Env keys: `VK_CLIENT_ID` (the
 * app id), `VK_CLIENT_SECRET` (the protected key). Hosts for `baseUrls`:
 * `oauth` (https://oauth.vk.com), `api` (https://api.vk.com).
 *
 * Quirks: the e-mail is only in the token answer (`email`, next to
 * `user_id`), where the mapping reads it; every API call names its version
 * (`v`) and carries the token as `access_token` in the query; API errors
 * come with HTTP 200 as `{ error: { error_code, error_msg } }`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { vk: presets.vk() } });
 * ```
 * @see https://dev.vk.com/en/api/access-token/authcode-flow-user
 */
export const vk = definePreset<'oauth' | 'api', VkPresetOptions>({
  name: 'vk',
  title: 'VK',
  docs: 'https://dev.vk.com/en/api/access-token/authcode-flow-user',
  protocol: 'oauth2',
  hosts: { oauth: 'https://oauth.vk.com', api: 'https://api.vk.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'email',
  refresh: false,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username', 'profile'],
  quirks: [
    { id: 'vk-email-in-token', summary: 'the e-mail is only in the token answer' },
    {
      id: 'vk-api-version',
      summary: 'API calls name the version (`v`) and carry `access_token` in the query',
    },
  ],
  params: ['apiVersion'],
  endpoints: (h, { apiVersion = '5.199' }) => ({
    authorizeUrl: `${h.oauth}/authorize`,
    accessTokenUrl: `${h.oauth}/access_token`,
    apiBaseUrl: `${h.api}/method/`,
    userinfoEndpoint: `${h.api}/method/users.get?fields=photo_200,screen_name`,
    authorizeParams: { display: 'page', v: apiVersion },
  }),
  profile: (raw, token) => {
    const user = first(raw.response) ?? {};
    return {
      sub: user.id ?? token.user_id,
      name: [user.first_name, user.last_name].filter(Boolean).join(' '),
      given_name: user.first_name,
      family_name: user.last_name,
      preferred_username: user.screen_name,
      email: token.email,
      picture: user.photo_200,
      profile: user.screen_name
        ? `https://vk.com/${encodeURIComponent(user.screen_name)}`
        : undefined,
    };
  },
  complianceFix: oauth2Fix(
    tokenInQuery('access_token'),
    apiQuery((o) => ({ v: o.apiVersion ?? '5.199' })),
  ),
});
