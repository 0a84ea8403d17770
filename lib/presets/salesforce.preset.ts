import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { siteUrl } from './preset.util.js';

/** Options of `presets.salesforce()`. */
export interface SalesforcePresetOptions extends PresetOptions<'login'> {
  /** Your My Domain login host (`acme.my.salesforce.com`), instead of login.salesforce.com. */
  myDomain?: string;
  /** Log in to a sandbox (`test.salesforce.com`). */
  sandbox?: boolean;
}

/**
 * Client options for Salesforce (OpenID Connect with PKCE). Env keys:
 * `SALESFORCE_CLIENT_ID` (the consumer key), `SALESFORCE_CLIENT_SECRET`.
 * Host for `baseUrls`: `login` (https://login.salesforce.com).
 *
 * Quirks: the login host is the org's: `myDomain` or `sandbox: true`
 * (`test.salesforce.com`); API calls go to the token answer's `instance_url`
 * (pass full URLs); a refresh token needs the `refresh_token` scope.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { salesforce: presets.salesforce({ myDomain: 'acme.my.salesforce.com' }) } });
 * ```
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export const salesforce = definePreset<'login', SalesforcePresetOptions>({
  name: 'salesforce',
  title: 'Salesforce',
  docs: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm',
  protocol: 'oidc',
  hosts: { login: 'https://login.salesforce.com' },
  pkce: 'S256',
  scope: 'openid email profile refresh_token',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username', 'profile'],
  quirks: [
    {
      id: 'salesforce-login-host',
      summary: "`myDomain` or `sandbox: true` picks the org's login host",
    },
  ],
  params: ['myDomain', 'sandbox'],
  endpoints: (h, { myDomain, sandbox }) => {
    const site = myDomain
      ? siteUrl(myDomain, 'presets.salesforce(): myDomain')
      : sandbox
        ? h.login.replace('://login.salesforce.com', '://test.salesforce.com')
        : h.login;
    return {
      serverMetadataUrl: `${site}/.well-known/openid-configuration`,
      authorizeUrl: `${site}/services/oauth2/authorize`,
      accessTokenUrl: `${site}/services/oauth2/token`,
      revocationEndpoint: `${site}/services/oauth2/revoke`,
      userinfoEndpoint: `${site}/services/oauth2/userinfo`,
    };
  },
  profile: (user) => ({
    ...oidcProfile(user),
    organization_id: user.organization_id,
    user_id: user.user_id,
  }),
});
