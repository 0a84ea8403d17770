import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { fillHost } from './preset.util.js';

/** Options of `presets.zendesk()`. */
export interface ZendeskPresetOptions extends PresetOptions<'instance'> {
  /** The account's subdomain: `acme` for `https://acme.zendesk.com`. */
  subdomain?: string;
}

/**
 * Client options for Zendesk (OAuth 2 with PKCE). Env keys:
 * `ZENDESK_CLIENT_ID` (the client's unique identifier), `ZENDESK_CLIENT_SECRET`.
 * Host for `baseUrls`: `instance` (`https://{subdomain}.zendesk.com`).
 *
 * Quirks: every account is its own host: `subdomain` is required (a DNS
 * label, so it cannot point the client at another host).
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without a valid `subdomain`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { zendesk: presets.zendesk({ subdomain: 'acme' }) } });
 * ```
 * @see https://developer.zendesk.com/documentation/ticketing/working-with-oauth/creating-and-using-oauth-tokens-with-the-api/
 */
export const zendesk = definePreset<'instance', ZendeskPresetOptions>({
  name: 'zendesk',
  title: 'Zendesk',
  docs: 'https://developer.zendesk.com/documentation/ticketing/working-with-oauth/creating-and-using-oauth-tokens-with-the-api/',
  protocol: 'oauth2',
  hosts: { instance: 'https://{subdomain}.zendesk.com' },
  pkce: 'S256',
  clientAuth: 'client_secret_post',
  scope: 'read',
  refresh: false,
  fields: ['sub', 'name', 'email', 'picture'],
  quirks: [{ id: 'zendesk-subdomain', summary: 'one host per account: `subdomain` is required' }],
  params: ['subdomain'],
  example: { subdomain: 'acme' },
  endpoints: (h, o) => {
    const site = fillHost(h.instance, 'subdomain', o.subdomain, 'presets.zendesk(): subdomain');
    return {
      authorizeUrl: `${site}/oauth/authorizations/new`,
      accessTokenUrl: `${site}/oauth/tokens`,
      apiBaseUrl: `${site}/api/v2/`,
      userinfoEndpoint: `${site}/api/v2/users/me.json`,
    };
  },
  profile: ({ user = {} }) => ({
    sub: user.id,
    name: user.name,
    email: user.email,
    picture: user.photo?.content_url,
  }),
});
