import { issuerEndpoints } from './issuer.util.js';
import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { instanceUrl } from './preset.util.js';

/** Options of `presets.auth0()`. */
export interface Auth0PresetOptions extends PresetOptions<'tenant'> {
  /** The tenant or custom domain: `my-app.eu.auth0.com`. */
  domain?: string;
  /** The API the access token is for (`audience`); without it Auth0 issues an opaque token. */
  audience?: string;
}

/**
 * Client options for Auth0 (OpenID Connect with PKCE). Env keys:
 * `AUTH0_CLIENT_ID`, `AUTH0_CLIENT_SECRET`. Host for `baseUrls`: `tenant`
 * (`https://{domain}`).
 *
 * Quirks: the issuer is `https://{domain}/` with a trailing slash
 * (`domain` is required); an access token for your API needs `audience`;
 * the login name is `nickname`.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without a valid `domain`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { auth0: presets.auth0({ domain: 'my-app.eu.auth0.com' }) } });
 * ```
 * @see https://auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow-with-pkce
 */
export const auth0 = definePreset<'tenant', Auth0PresetOptions>({
  name: 'auth0',
  title: 'Auth0',
  docs: 'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow-with-pkce',
  protocol: 'oidc',
  hosts: { tenant: 'https://{domain}' },
  pkce: 'S256',
  scope: 'openid email profile offline_access',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username'],
  quirks: [
    {
      id: 'auth0-domain',
      summary:
        'issuer `https://{domain}/` (trailing slash) from `domain`; `audience` for API tokens',
    },
  ],
  params: ['domain', 'audience'],
  example: { domain: 'my-app.eu.auth0.com' },
  endpoints: (h, { domain, audience }) => {
    const tenant = instanceUrl(h.tenant, domain, 'presets.auth0(): domain');
    return {
      ...issuerEndpoints(tenant, {
        authorize: '/authorize',
        token: '/oauth/token',
        userinfo: '/userinfo',
        revoke: '/oauth/revoke',
      }),
      ...(audience ? { authorizeParams: { audience } } : {}),
    };
  },
  // Auth0's login name is `nickname`.
  profile: (user) => ({
    ...oidcProfile(user),
    preferred_username: user.preferred_username ?? user.nickname,
  }),
});
