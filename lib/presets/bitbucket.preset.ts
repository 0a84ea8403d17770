import { definePreset } from './define-preset.js';

/**
 * Client options for Bitbucket Cloud (OAuth 2). Env keys:
 * `BITBUCKET_CLIENT_ID` (the consumer key), `BITBUCKET_CLIENT_SECRET`. Hosts
 * for `baseUrls`: `web` (https://bitbucket.org), `api` (https://api.bitbucket.org).
 *
 * Quirks: the user object has no e-mail: the mapping reads `/2.0/user/emails`
 * through the client (scope `email`) and keeps the primary, confirmed one;
 * `sub` is the account's `uuid` (with braces).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { bitbucket: presets.bitbucket() } });
 * ```
 * @see https://developer.atlassian.com/cloud/bitbucket/oauth-2/
 */
export const bitbucket = definePreset<'web' | 'api'>({
  name: 'bitbucket',
  title: 'Bitbucket',
  docs: 'https://developer.atlassian.com/cloud/bitbucket/oauth-2/',
  protocol: 'oauth2',
  hosts: { web: 'https://bitbucket.org', api: 'https://api.bitbucket.org' },
  pkce: false,
  scope: 'account email',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username', 'profile'],
  quirks: [
    {
      id: 'bitbucket-user-emails',
      summary: 'e-mail read from `/2.0/user/emails` through the client (primary, confirmed)',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.web}/site/oauth2/authorize`,
    accessTokenUrl: `${h.web}/site/oauth2/access_token`,
    apiBaseUrl: `${h.api}/2.0/`,
    userinfoEndpoint: `${h.api}/2.0/user`,
  }),
  profile: async (user, _token, context, { endpoints }) => {
    let email: Record<string, any> | undefined;
    try {
      const list = (await context.request(`${endpoints.apiBaseUrl}user/emails`)) as any;
      const values: any[] = Array.isArray(list?.values) ? list.values : [];
      email = values.find((e) => e?.is_primary && e?.is_confirmed);
    } catch {
      // No `email` scope: the user signs in without an e-mail.
    }
    return {
      sub: user.uuid,
      name: user.display_name,
      preferred_username: user.nickname ?? user.username,
      email: email?.email,
      email_verified: email ? true : undefined,
      picture: user.links?.avatar?.href,
      profile: user.links?.html?.href,
    };
  },
});
