import { apiHeader, oauth2Fix } from './compliance.util.js';
import { definePreset } from './define-preset.js';

/**
 * Client options for Etsy (Open API v3, OAuth 2 with PKCE, public client).
 * Env key: `ETSY_CLIENT_ID` (the keystring; no secret is sent). Hosts for
 * `baseUrls`: `www` (https://www.etsy.com), `api` (https://api.etsy.com).
 *
 * Quirks: every API call carries the keystring as `x-api-key` (added); the
 * token names the user (`<user_id>.<token>`), and the profile takes two
 * calls (`users/me`, then the user), made through the client.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { etsy: presets.etsy() } });
 * ```
 * @see https://developers.etsy.com/documentation/essentials/authentication
 */
export const etsy = definePreset<'www' | 'api'>({
  name: 'etsy',
  title: 'Etsy',
  docs: 'https://developers.etsy.com/documentation/essentials/authentication',
  protocol: 'oauth2',
  hosts: { www: 'https://www.etsy.com', api: 'https://api.etsy.com' },
  pkce: 'S256',
  clientAuth: 'none',
  scope: 'email_r',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture'],
  quirks: [{ id: 'etsy-api-key', summary: 'API calls carry the keystring as `x-api-key`' }],
  endpoints: (h) => ({
    authorizeUrl: `${h.www}/oauth/connect`,
    accessTokenUrl: `${h.api}/v3/public/oauth/token`,
    apiBaseUrl: `${h.api}/v3/application/`,
    userinfoEndpoint: `${h.api}/v3/application/users/me`,
  }),
  profile: async (me, _token, context, { endpoints }) => {
    const user = (await context.request(
      `${endpoints.apiBaseUrl}users/${encodeURIComponent(String(me.user_id ?? ''))}`,
    )) as Record<string, any>;
    return {
      sub: user?.user_id ?? me.user_id,
      name: [user?.first_name, user?.last_name].filter(Boolean).join(' '),
      email: user?.primary_email,
      picture: user?.image_url_75x75,
      shop_id: me.shop_id,
      raw: { ...me, ...user },
    };
  },
  complianceFix: oauth2Fix(apiHeader('x-api-key', (client) => client.clientId)),
});
