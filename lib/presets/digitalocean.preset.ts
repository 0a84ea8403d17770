import { definePreset } from './define-preset.js';

/**
 * Client options for DigitalOcean (OAuth 2). Env keys:
 * `DIGITALOCEAN_CLIENT_ID`, `DIGITALOCEAN_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `cloud` (https://cloud.digitalocean.com), `api` (https://api.digitalocean.com).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { digitalocean: presets.digitalocean() } });
 * ```
 * @see https://docs.digitalocean.com/reference/api/oauth/
 */
export const digitalocean = definePreset<'cloud' | 'api'>({
  name: 'digitalocean',
  title: 'DigitalOcean',
  docs: 'https://docs.digitalocean.com/reference/api/oauth/',
  protocol: 'oauth2',
  hosts: { cloud: 'https://cloud.digitalocean.com', api: 'https://api.digitalocean.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'read',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified'],
  endpoints: (h) => ({
    authorizeUrl: `${h.cloud}/v1/oauth/authorize`,
    accessTokenUrl: `${h.cloud}/v1/oauth/token`,
    revocationEndpoint: `${h.cloud}/v1/oauth/revoke`,
    apiBaseUrl: `${h.api}/v2/`,
    userinfoEndpoint: `${h.api}/v2/account`,
  }),
  profile: ({ account = {} }) => ({
    sub: account.uuid,
    name: account.name,
    email: account.email,
    email_verified: account.email_verified,
    team: account.team,
  }),
});
