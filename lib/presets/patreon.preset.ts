import { definePreset } from './define-preset.js';

const USER_FIELDS = 'email,full_name,image_url,is_email_verified,url,vanity';

/**
 * Client options for Patreon (OAuth 2, API v2). Env keys:
 * `PATREON_CLIENT_ID`, `PATREON_CLIENT_SECRET`. Host for `baseUrls`: `www`
 * (https://www.patreon.com).
 *
 * Quirks: API v2 returns only the fields asked for (`fields[user]=...`, in
 * the profile URL); the answer is a JSON:API document (`data.attributes`).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { patreon: presets.patreon() } });
 * ```
 * @see https://docs.patreon.com/#oauth
 */
export const patreon = definePreset<'www'>({
  name: 'patreon',
  title: 'Patreon',
  docs: 'https://docs.patreon.com/#oauth',
  protocol: 'oauth2',
  hosts: { www: 'https://www.patreon.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'identity identity[email]',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username', 'profile'],
  quirks: [
    { id: 'patreon-fields', summary: 'user fields come only when `fields[user]` names them' },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.www}/oauth2/authorize`,
    accessTokenUrl: `${h.www}/api/oauth2/token`,
    apiBaseUrl: `${h.www}/api/oauth2/v2/`,
    userinfoEndpoint: `${h.www}/api/oauth2/v2/identity?${new URLSearchParams({ 'fields[user]': USER_FIELDS })}`,
  }),
  profile: (raw) => {
    const user = raw.data ?? {};
    const a = user.attributes ?? {};
    return {
      sub: user.id,
      name: a.full_name,
      email: a.email,
      email_verified: a.is_email_verified,
      picture: a.image_url,
      preferred_username: a.vanity,
      profile: a.url,
    };
  },
});
