import { definePreset } from './define-preset.js';

/**
 * Client options for Dropbox (OAuth 2 with PKCE). Env keys:
 * `DROPBOX_CLIENT_ID` (the app key), `DROPBOX_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `www` (https://www.dropbox.com), `api` (https://api.dropboxapi.com).
 *
 * Quirks: a refresh token needs `token_access_type=offline` (sent); the
 * profile is an RPC call, `POST /2/users/get_current_account` with the JSON
 * body `null`, which the mapping makes through the client.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { dropbox: presets.dropbox() } });
 * ```
 * @see https://developers.dropbox.com/oauth-guide
 */
export const dropbox = definePreset<'www' | 'api'>({
  name: 'dropbox',
  title: 'Dropbox',
  docs: 'https://developers.dropbox.com/oauth-guide',
  protocol: 'oauth2',
  hosts: { www: 'https://www.dropbox.com', api: 'https://api.dropboxapi.com' },
  pkce: 'S256',
  scope: 'account_info.read',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture'],
  quirks: [
    { id: 'dropbox-offline', summary: 'refresh tokens only with `token_access_type=offline`' },
    {
      id: 'dropbox-rpc-profile',
      summary: 'the profile is `POST /2/users/get_current_account` with a `null` JSON body',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.www}/oauth2/authorize`,
    accessTokenUrl: `${h.api}/oauth2/token`,
    apiBaseUrl: `${h.api}/2/`,
    authorizeParams: { token_access_type: 'offline' },
  }),
  profile: async (_raw, _token, context, { endpoints }) => {
    const account = (await context.request(`${endpoints.apiBaseUrl}users/get_current_account`, {
      method: 'POST',
      json: null,
    })) as Record<string, any>;
    return {
      sub: account?.account_id,
      name: account?.name?.display_name,
      email: account?.email,
      email_verified: account?.email_verified,
      picture: account?.profile_photo_url,
      raw: account,
    };
  },
});
