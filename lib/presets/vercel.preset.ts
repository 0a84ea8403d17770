import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';

/**
 * Client options for Sign in with Vercel (OpenID Connect, PKCE required).
 * Env keys: `VERCEL_CLIENT_ID`, `VERCEL_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `web` (https://vercel.com), `api` (https://api.vercel.com).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { vercel: presets.vercel() } });
 * ```
 * @see https://vercel.com/docs/sign-in-with-vercel/authorization-server-api
 */
export const vercel = definePreset<'web' | 'api'>({
  name: 'vercel',
  title: 'Vercel',
  docs: 'https://vercel.com/docs/sign-in-with-vercel/authorization-server-api',
  protocol: 'oidc',
  hosts: { web: 'https://vercel.com', api: 'https://api.vercel.com' },
  pkce: 'S256',
  scope: 'openid email profile offline_access',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username'],
  endpoints: (h) => ({
    serverMetadataUrl: `${h.web}/.well-known/openid-configuration`,
    authorizeUrl: `${h.web}/oauth/authorize`,
    accessTokenUrl: `${h.api}/login/oauth/token`,
    revocationEndpoint: `${h.api}/login/oauth/token/revoke`,
    userinfoEndpoint: `${h.api}/login/oauth/userinfo`,
    apiBaseUrl: `${h.api}/`,
  }),
  profile: (user) => ({
    ...oidcProfile(user),
    name: user.name ?? user.preferred_username,
  }),
});
