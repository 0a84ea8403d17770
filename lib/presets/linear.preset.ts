import { definePreset } from './define-preset.js';

const VIEWER_QUERY = '{ viewer { id name displayName email avatarUrl url } }';

/**
 * Client options for Linear (OAuth 2 with PKCE). Env keys:
 * `LINEAR_CLIENT_ID`, `LINEAR_CLIENT_SECRET`. Hosts for `baseUrls`: `web`
 * (https://linear.app), `api` (https://api.linear.app).
 *
 * Quirks: the API is GraphQL only: the profile is the `viewer` query, posted
 * through the client; GraphQL errors come with HTTP 200 and are refused.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { linear: presets.linear() } });
 * ```
 * @see https://linear.app/developers/oauth-2-0-authentication
 */
export const linear = definePreset<'web' | 'api'>({
  name: 'linear',
  title: 'Linear',
  docs: 'https://linear.app/developers/oauth-2-0-authentication',
  protocol: 'oauth2',
  hosts: { web: 'https://linear.app', api: 'https://api.linear.app' },
  pkce: 'S256',
  clientAuth: 'client_secret_post',
  scope: 'read',
  refresh: false,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username', 'profile'],
  quirks: [{ id: 'linear-graphql-profile', summary: 'the profile is the GraphQL `viewer` query' }],
  endpoints: (h) => ({
    authorizeUrl: `${h.web}/oauth/authorize`,
    accessTokenUrl: `${h.api}/oauth/token`,
    revocationEndpoint: `${h.api}/oauth/revoke`,
    apiBaseUrl: `${h.api}/`,
  }),
  profile: async (_raw, _token, context, { endpoints }) => {
    const answer = (await context.request(`${endpoints.apiBaseUrl}graphql`, {
      method: 'POST',
      json: { query: VIEWER_QUERY },
    })) as any;
    const viewer = answer?.data?.viewer ?? {};
    return {
      sub: viewer.id,
      name: viewer.name,
      preferred_username: viewer.displayName,
      email: viewer.email,
      picture: viewer.avatarUrl,
      profile: viewer.url,
      raw: viewer,
    };
  },
});
