import { IDENTITY_SERVER, issuerEndpoints } from './issuer.util.js';
import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { instanceUrl } from './preset.util.js';

/** Options of `presets.zitadel()`. */
export interface ZitadelPresetOptions extends PresetOptions<'instance'> {
  /** The instance: `my-instance.zitadel.cloud` or a custom domain. */
  domain?: string;
}

/**
 * Client options for ZITADEL (OpenID Connect with PKCE). Env keys:
 * `ZITADEL_CLIENT_ID`, `ZITADEL_CLIENT_SECRET`. Host for `baseUrls`:
 * `instance` (`https://{domain}`).
 *
 * Quirks: every instance is its own issuer, `https://{domain}` (`domain`
 * is required); UserInfo is under `/oidc/v1`, the rest under `/oauth/v2`.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without a valid `domain`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { zitadel: presets.zitadel({ domain: 'my-instance.zitadel.cloud' }) } });
 * ```
 * @see https://zitadel.com/docs/guides/integrate/login/oidc/login-users
 */
export const zitadel = definePreset<'instance', ZitadelPresetOptions>({
  name: 'zitadel',
  title: 'ZITADEL',
  docs: 'https://zitadel.com/docs/guides/integrate/login/oidc/login-users',
  ...IDENTITY_SERVER,
  hosts: { instance: 'https://{domain}' },
  quirks: [{ id: 'zitadel-domain', summary: 'issuer `https://{domain}` from `domain`' }],
  params: ['domain'],
  example: { domain: 'my-instance.zitadel.cloud' },
  endpoints: (h, { domain }) => {
    const issuer = instanceUrl(h.instance, domain, 'presets.zitadel(): domain');
    return issuerEndpoints(issuer, {
      authorize: '/oauth/v2/authorize',
      token: '/oauth/v2/token',
      userinfo: '/oidc/v1/userinfo',
      revoke: '/oauth/v2/revoke',
    });
  },
  profile: (user) => oidcProfile(user),
});
