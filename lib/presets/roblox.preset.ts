import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';

/**
 * Client options for Roblox (OpenID Connect with PKCE). Env keys:
 * `ROBLOX_CLIENT_ID`, `ROBLOX_CLIENT_SECRET`. Host for `baseUrls`: `apis`
 * (https://apis.roblox.com).
 *
 * Quirks: the issuer is `https://apis.roblox.com/oauth/` (with a trailing
 * slash); there is no e-mail.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { roblox: presets.roblox() } });
 * ```
 * @see https://create.roblox.com/docs/cloud/auth/oauth2-reference
 */
export const roblox = definePreset<'apis'>({
  name: 'roblox',
  title: 'Roblox',
  docs: 'https://create.roblox.com/docs/cloud/auth/oauth2-reference',
  protocol: 'oidc',
  hosts: { apis: 'https://apis.roblox.com' },
  pkce: 'S256',
  scope: 'openid profile',
  refresh: true,
  fields: ['sub', 'name', 'picture', 'preferred_username', 'profile'],
  endpoints: (h) => ({
    serverMetadataUrl: `${h.apis}/oauth/.well-known/openid-configuration`,
    authorizeUrl: `${h.apis}/oauth/v1/authorize`,
    accessTokenUrl: `${h.apis}/oauth/v1/token`,
    revocationEndpoint: `${h.apis}/oauth/v1/token/revoke`,
    userinfoEndpoint: `${h.apis}/oauth/v1/userinfo`,
    apiBaseUrl: `${h.apis}/`,
  }),
  profile: (user) => oidcProfile(user),
});
