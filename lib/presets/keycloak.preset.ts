import { IDENTITY_SERVER, issuerEndpoints } from './issuer.util.js';
import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { instanceUrl, presetError } from './preset.util.js';

/** Options of `presets.keycloak()`. */
export interface KeycloakPresetOptions extends PresetOptions<'server'> {
  /** The server: `https://sso.example.com` (add `/auth` for Keycloak 16 and older). */
  baseUrl?: string;
  /** The realm. */
  realm?: string;
}

/**
 * Client options for Keycloak (OpenID Connect with PKCE). Env keys:
 * `KEYCLOAK_CLIENT_ID`, `KEYCLOAK_CLIENT_SECRET`. Host for `baseUrls`:
 * `server` (`baseUrl`).
 *
 * Quirks: the issuer is `{baseUrl}/realms/{realm}` (both required), the
 * endpoints are under `protocol/openid-connect/`.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without `baseUrl` and `realm`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { keycloak: presets.keycloak({ baseUrl: 'https://sso.example.com', realm: 'main' }) } });
 * ```
 * @see https://www.keycloak.org/securing-apps/oidc-layers
 */
export const keycloak = definePreset<'server', KeycloakPresetOptions>({
  name: 'keycloak',
  title: 'Keycloak',
  docs: 'https://www.keycloak.org/securing-apps/oidc-layers',
  ...IDENTITY_SERVER,
  hosts: { server: '{baseUrl}' },
  quirks: [
    {
      id: 'keycloak-realm',
      summary: 'issuer `{baseUrl}/realms/{realm}` from `baseUrl` and `realm`',
    },
  ],
  params: ['baseUrl', 'realm'],
  example: { baseUrl: 'https://sso.example.com', realm: 'main' },
  endpoints: (h, { baseUrl, realm }) => {
    const server = instanceUrl(h.server, baseUrl, 'presets.keycloak(): baseUrl');
    if (!realm) throw presetError('presets.keycloak(): realm is required');
    const issuer = `${server}/realms/${encodeURIComponent(realm)}`;
    return issuerEndpoints(issuer, {
      base: `${issuer}/protocol/openid-connect`,
      authorize: '/auth',
      token: '/token',
      userinfo: '/userinfo',
      revoke: '/revoke',
    });
  },
  profile: (user) => oidcProfile(user),
});
