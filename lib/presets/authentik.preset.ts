import { IDENTITY_SERVER, issuerEndpoints } from './issuer.util.js';
import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { instanceUrl, presetError } from './preset.util.js';

/** Options of `presets.authentik()`. */
export interface AuthentikPresetOptions extends PresetOptions<'server'> {
  /** The authentik server: `https://auth.example.com`. */
  baseUrl?: string;
  /** The application's slug. */
  slug?: string;
}

/**
 * Client options for authentik (OpenID Connect with PKCE). Env keys:
 * `AUTHENTIK_CLIENT_ID`, `AUTHENTIK_CLIENT_SECRET`. Host for `baseUrls`:
 * `server` (`baseUrl`).
 *
 * Quirks: each application is its own issuer,
 * `{baseUrl}/application/o/{slug}/` (with a trailing slash; both
 * required), while the endpoints are shared by all applications.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without `baseUrl` and `slug`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { authentik: presets.authentik({ baseUrl: 'https://auth.example.com', slug: 'my-app' }) } });
 * ```
 * @see https://docs.goauthentik.io/docs/add-secure-apps/providers/oauth2/
 */
export const authentik = definePreset<'server', AuthentikPresetOptions>({
  name: 'authentik',
  title: 'authentik',
  docs: 'https://docs.goauthentik.io/docs/add-secure-apps/providers/oauth2/',
  ...IDENTITY_SERVER,
  hosts: { server: '{baseUrl}' },
  quirks: [
    {
      id: 'authentik-slug',
      summary: 'issuer `{baseUrl}/application/o/{slug}/` from `baseUrl` and `slug`',
    },
  ],
  params: ['baseUrl', 'slug'],
  example: { baseUrl: 'https://auth.example.com', slug: 'my-app' },
  endpoints: (h, { baseUrl, slug }) => {
    const server = instanceUrl(h.server, baseUrl, 'presets.authentik(): baseUrl');
    if (!slug) throw presetError('presets.authentik(): slug is required');
    // One issuer per application; the endpoints are shared.
    const base = `${server}/application/o`;
    return issuerEndpoints(`${base}/${encodeURIComponent(slug)}`, {
      base,
      authorize: '/authorize/',
      token: '/token/',
      userinfo: '/userinfo/',
      revoke: '/revoke/',
    });
  },
  profile: (user) => oidcProfile(user),
});
