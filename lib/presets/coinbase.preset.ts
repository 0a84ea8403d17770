import { definePreset } from './define-preset.js';

/**
 * Client options for Coinbase (OAuth 2 with PKCE). Env keys:
 * `COINBASE_CLIENT_ID`, `COINBASE_CLIENT_SECRET`. Hosts for `baseUrls`:
 * `login` (https://login.coinbase.com), `api` (https://api.coinbase.com).
 *
 * Quirks: scopes are comma-separated (`wallet:user:read,wallet:user:email`);
 * the user is wrapped in `data`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { coinbase: presets.coinbase() } });
 * ```
 * @see https://docs.cdp.coinbase.com/coinbase-app/oauth2-integration/integrations
 */
export const coinbase = definePreset<'login' | 'api'>({
  name: 'coinbase',
  title: 'Coinbase',
  docs: 'https://docs.cdp.coinbase.com/coinbase-app/oauth2-integration/integrations',
  protocol: 'oauth2',
  hosts: { login: 'https://login.coinbase.com', api: 'https://api.coinbase.com' },
  pkce: 'S256',
  clientAuth: 'client_secret_post',
  scope: 'wallet:user:read,wallet:user:email',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username', 'profile'],
  endpoints: (h) => ({
    authorizeUrl: `${h.login}/oauth2/auth`,
    accessTokenUrl: `${h.login}/oauth2/token`,
    revocationEndpoint: `${h.login}/oauth2/revoke`,
    apiBaseUrl: `${h.api}/v2/`,
    userinfoEndpoint: `${h.api}/v2/user`,
  }),
  profile: ({ data: user = {} }) => ({
    sub: user.id,
    name: user.name,
    preferred_username: user.username,
    email: user.email,
    picture: user.avatar_url,
    profile: user.profile_url,
  }),
});
