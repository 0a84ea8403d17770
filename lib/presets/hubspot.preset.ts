import { definePreset } from './define-preset.js';

/**
 * Client options for HubSpot (OAuth 2). Env keys: `HUBSPOT_CLIENT_ID`,
 * `HUBSPOT_CLIENT_SECRET`. Hosts for `baseUrls`: `app`
 * (https://app.hubspot.com), `api` (https://api.hubapi.com).
 *
 * Quirks: the user behind a token is read from
 * `GET /oauth/v1/access-tokens/{token}`: the token is in the path (never
 * shown in an error), and the answer echoes it back (left out of `raw`).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { hubspot: presets.hubspot() } });
 * ```
 * @see https://developers.hubspot.com/docs/api/oauth-quickstart-guide
 */
export const hubspot = definePreset<'app' | 'api'>({
  name: 'hubspot',
  title: 'HubSpot',
  docs: 'https://developers.hubspot.com/docs/api/oauth-quickstart-guide',
  protocol: 'oauth2',
  hosts: { app: 'https://app.hubspot.com', api: 'https://api.hubapi.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'oauth',
  refresh: true,
  fields: ['sub', 'email'],
  quirks: [
    {
      id: 'hubspot-token-in-path',
      summary:
        'the user comes from `/oauth/v1/access-tokens/{token}` (token kept out of errors and `raw`)',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.app}/oauth/authorize`,
    accessTokenUrl: `${h.api}/oauth/v1/token`,
    apiBaseUrl: `${h.api}/`,
  }),
  profile: async (_raw, token, context, { endpoints }) => {
    const url = `${endpoints.apiBaseUrl}oauth/v1/access-tokens/${encodeURIComponent(token.access_token)}`;
    const { token: _echo, ...info } = ((await context.request(url, { withToken: false })) ??
      {}) as Record<string, any>;
    return {
      sub: info.user_id,
      email: info.user,
      hub_id: info.hub_id,
      hub_domain: info.hub_domain,
      raw: info,
    };
  },
});
