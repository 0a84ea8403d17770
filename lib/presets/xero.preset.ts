import { displayName } from './preset.util.js';
import { definePreset } from './define-preset.js';

/**
 * Client options for Xero (OpenID Connect with PKCE). Env keys:
 * `XERO_CLIENT_ID`, `XERO_CLIENT_SECRET`. Hosts for `baseUrls`: `login`
 * (https://login.xero.com), `identity` (https://identity.xero.com), `api`
 * (https://api.xero.com).
 *
 * Quirks: accounting calls need a `xero-tenant-id` header, from
 * `GET https://api.xero.com/connections`; the ID token has no `name`
 * (given and family names are joined).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { xero: presets.xero() } });
 * ```
 * @see https://developer.xero.com/documentation/guides/oauth2/auth-flow
 */
export const xero = definePreset<'login' | 'identity' | 'api'>({
  name: 'xero',
  title: 'Xero',
  docs: 'https://developer.xero.com/documentation/guides/oauth2/auth-flow',
  protocol: 'oidc',
  hosts: {
    login: 'https://login.xero.com',
    identity: 'https://identity.xero.com',
    api: 'https://api.xero.com',
  },
  pkce: 'S256',
  scope: 'openid profile email offline_access',
  refresh: true,
  fields: ['sub', 'name', 'email', 'preferred_username'],
  endpoints: (h) => ({
    serverMetadataUrl: `${h.identity}/.well-known/openid-configuration`,
    authorizeUrl: `${h.login}/identity/connect/authorize`,
    accessTokenUrl: `${h.identity}/connect/token`,
    revocationEndpoint: `${h.identity}/connect/revocation`,
    userinfoEndpoint: `${h.identity}/connect/userinfo`,
    apiBaseUrl: `${h.api}/`,
  }),
  profile: (user) => ({
    sub: user.sub,
    name: displayName(user),
    given_name: user.given_name,
    family_name: user.family_name,
    email: user.email,
    preferred_username: user.preferred_username,
    xero_userid: user.xero_userid,
  }),
});
