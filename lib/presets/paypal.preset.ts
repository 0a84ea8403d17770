import { oidcProfile } from './oidc.preset.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';

/** Options of `presets.paypal()`. */
export interface PayPalPresetOptions extends PresetOptions<'www' | 'api'> {
  /** Use the sandbox (`www.sandbox.paypal.com`, `api-m.sandbox.paypal.com`). */
  sandbox?: boolean;
}

/**
 * Client options for Log in with PayPal (OpenID Connect). Env keys:
 * `PAYPAL_CLIENT_ID`, `PAYPAL_CLIENT_SECRET`. Hosts for `baseUrls`: `www`
 * (https://www.paypal.com), `api` (https://api-m.paypal.com).
 *
 * Quirks: `sandbox: true` moves every endpoint to the sandbox hosts; the
 * login page and the API are on different hosts; the user is a URL-shaped
 * `user_id` and `payer_id`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { paypal: presets.paypal({ sandbox: true }) } });
 * ```
 * @see https://developer.paypal.com/docs/log-in-with-paypal/integrate/
 */
export const paypal = definePreset<'www' | 'api', PayPalPresetOptions>({
  name: 'paypal',
  title: 'PayPal',
  docs: 'https://developer.paypal.com/docs/log-in-with-paypal/integrate/',
  protocol: 'oidc',
  hosts: { www: 'https://www.paypal.com', api: 'https://api-m.paypal.com' },
  pkce: false,
  scope: 'openid email profile',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified'],
  quirks: [
    { id: 'paypal-sandbox', summary: '`sandbox: true` moves every endpoint to the sandbox hosts' },
  ],
  params: ['sandbox'],
  endpoints: (h, { sandbox }) => {
    const www = sandbox ? h.www.replace('://www.paypal.com', '://www.sandbox.paypal.com') : h.www;
    const api = sandbox
      ? h.api.replace('://api-m.paypal.com', '://api-m.sandbox.paypal.com')
      : h.api;
    return {
      serverMetadataUrl: `${www}/.well-known/openid-configuration`,
      authorizeUrl: `${www}/signin/authorize`,
      accessTokenUrl: `${api}/v1/oauth2/token`,
      userinfoEndpoint: `${api}/v1/identity/openidconnect/userinfo?schema=openid`,
      apiBaseUrl: `${api}/`,
      authorizeParams: { flowEntry: 'static' },
    };
  },
  profile: (user) => ({
    ...oidcProfile(user),
    payer_id: user.payer_id,
    verified_account: user.verified_account,
  }),
});
