import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';

/** Options of `presets.quickbooks()`. */
export interface QuickBooksPresetOptions extends PresetOptions<
  'appcenter' | 'oauth' | 'developer' | 'accounts' | 'api'
> {
  /** Use Intuit's sandbox (its discovery document, UserInfo and API hosts). */
  sandbox?: boolean;
}

/**
 * Client options for QuickBooks Online (Intuit, OpenID Connect). Env keys:
 * `QUICKBOOKS_CLIENT_ID`, `QUICKBOOKS_CLIENT_SECRET`. Hosts for `baseUrls`:
 * `appcenter`, `oauth`, `developer`, `accounts`, `api`.
 *
 * Quirks: the discovery document is at `/.well-known/openid_configuration`
 * (underscore) on another host than the issuer; the company the user
 * connected comes as `realmId` on the callback, which the mapping keeps
 * (`realm_id`: every accounting call needs it); `sandbox: true` switches hosts.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { quickbooks: presets.quickbooks({ sandbox: true }) } });
 * ```
 * @see https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0
 */
export const quickbooks = definePreset<
  'appcenter' | 'oauth' | 'developer' | 'accounts' | 'api',
  QuickBooksPresetOptions
>({
  name: 'quickbooks',
  title: 'QuickBooks (Intuit)',
  docs: 'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0',
  protocol: 'oidc',
  hosts: {
    appcenter: 'https://appcenter.intuit.com',
    oauth: 'https://oauth.platform.intuit.com',
    developer: 'https://developer.api.intuit.com',
    accounts: 'https://accounts.platform.intuit.com',
    api: 'https://quickbooks.api.intuit.com',
  },
  pkce: false,
  scope: 'openid email profile com.intuit.quickbooks.accounting',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified'],
  quirks: [
    {
      id: 'quickbooks-realm-id',
      summary: 'the connected company comes as `realmId` on the callback (kept as `realm_id`)',
    },
  ],
  params: ['sandbox'],
  endpoints: (h, { sandbox }) => {
    const accounts = sandbox
      ? h.accounts.replace('://accounts.', '://sandbox-accounts.')
      : h.accounts;
    const api = sandbox ? h.api.replace('://quickbooks.', '://sandbox-quickbooks.') : h.api;
    return {
      serverMetadataUrl: `${h.developer}/.well-known/${sandbox ? 'openid_sandbox_configuration' : 'openid_configuration'}`,
      authorizeUrl: `${h.appcenter}/connect/oauth2`,
      accessTokenUrl: `${h.oauth}/oauth2/v1/tokens/bearer`,
      revocationEndpoint: `${h.developer}/v2/oauth2/tokens/revoke`,
      userinfoEndpoint: `${accounts}/v1/openid_connect/userinfo`,
      apiBaseUrl: `${api}/v3/`,
    };
  },
  profile: (user, _token, context) => ({
    ...oidcProfile(user),
    realm_id: context.authorizationResponse?.get('realmId') ?? undefined,
  }),
});
