import { definePreset } from './define-preset.js';

/**
 * Client options for Atlassian (Jira, Confluence; OAuth 2.0 "3LO"). Env
 * keys: `ATLASSIAN_CLIENT_ID`, `ATLASSIAN_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `auth` (https://auth.atlassian.com), `api` (https://api.atlassian.com).
 *
 * Quirks: the authorization request must name `audience=api.atlassian.com`
 * and `prompt=consent` (sent); refresh tokens need `offline_access` and
 * rotate; API calls go through `api.atlassian.com/ex/{product}/{cloudid}`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { atlassian: presets.atlassian({ clientKwargs: { scope: 'read:me read:jira-work offline_access' } }) } });
 * ```
 * @see https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/
 */
export const atlassian = definePreset<'auth' | 'api'>({
  name: 'atlassian',
  title: 'Atlassian',
  docs: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
  protocol: 'oauth2',
  hosts: { auth: 'https://auth.atlassian.com', api: 'https://api.atlassian.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'read:me offline_access',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username'],
  quirks: [
    {
      id: 'atlassian-audience',
      summary: 'the authorization request names `audience=api.atlassian.com` and `prompt=consent`',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.auth}/authorize`,
    accessTokenUrl: `${h.auth}/oauth/token`,
    apiBaseUrl: `${h.api}/`,
    userinfoEndpoint: `${h.api}/me`,
    authorizeParams: { audience: 'api.atlassian.com', prompt: 'consent' },
  }),
  profile: (user) => ({
    sub: user.account_id,
    name: user.name,
    preferred_username: user.nickname,
    email: user.email,
    picture: user.picture,
  }),
});
