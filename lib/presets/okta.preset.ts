import { IDENTITY_SERVER, issuerEndpoints } from './issuer.util.js';
import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { instanceUrl } from './preset.util.js';

/** Options of `presets.okta()`. */
export interface OktaPresetOptions extends PresetOptions<'org'> {
  /** The Okta org: `dev-123456.okta.com` or `https://login.example.com`. */
  domain?: string;
  /**
   * The custom authorization server (default `default`); `null` for the org
   * authorization server (`https://{domain}` itself).
   */
  authorizationServerId?: string | null;
}

/**
 * Client options for Okta (OpenID Connect with PKCE). Env keys:
 * `OKTA_CLIENT_ID`, `OKTA_CLIENT_SECRET`. Host for `baseUrls`: `org`
 * (`https://{domain}`).
 *
 * Quirks: every org is its own issuer, `https://{domain}/oauth2/{server}`
 * (`domain` is required); the ID token of the code flow carries few claims,
 * the rest comes from UserInfo (merged by the client).
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without a valid `domain`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { okta: presets.okta({ domain: 'dev-123456.okta.com' }) } });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/
 */
export const okta = definePreset<'org', OktaPresetOptions>({
  name: 'okta',
  title: 'Okta',
  docs: 'https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/',
  ...IDENTITY_SERVER,
  hosts: { org: 'https://{domain}' },
  scope: 'openid email profile offline_access',
  quirks: [
    { id: 'okta-domain', summary: 'issuer `https://{domain}/oauth2/{server}` from `domain`' },
  ],
  params: ['domain', 'authorizationServerId'],
  example: { domain: 'dev-123456.okta.com' },
  endpoints: (h, { domain, authorizationServerId = 'default' }) => {
    const org = instanceUrl(h.org, domain, 'presets.okta(): domain');
    const issuer = authorizationServerId
      ? `${org}/oauth2/${encodeURIComponent(authorizationServerId)}`
      : org;
    return {
      ...issuerEndpoints(issuer, {
        base: authorizationServerId ? `${issuer}/v1` : `${org}/oauth2/v1`,
        authorize: '/authorize',
        token: '/token',
        userinfo: '/userinfo',
        revoke: '/revoke',
      }),
      apiBaseUrl: `${org}/api/v1/`,
    };
  },
  profile: (user) => oidcProfile(user),
});
