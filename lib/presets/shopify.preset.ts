import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { presetError } from './preset.util.js';

/** Options of `presets.shopify()`. */
export interface ShopifyPresetOptions extends PresetOptions<'shop'> {
  /** The shop: `my-store` or `my-store.myshopify.com`. Required. */
  shop?: string;
  /**
   * `online` (default): a token for the staff member who logs in, with their
   * identity (`associated_user`); `offline`: a shop token with no user.
   */
  accessMode?: 'online' | 'offline';
}

/** A shop's permanent domain, the only form Shopify's OAuth accepts. */
const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The shop's admin URL, from a shop name or `*.myshopify.com` domain.
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) for anything else (a hostile shop parameter)
 */
function shopUrl(shop: unknown): string {
  const value = typeof shop === 'string' ? shop.trim().toLowerCase() : '';
  const domain = value.includes('.') ? value : `${value}.myshopify.com`;
  if (!SHOP.test(domain)) {
    throw presetError(
      'presets.shopify(): shop must be a shop name or a <name>.myshopify.com domain',
    );
  }
  return `https://${domain}`;
}

/**
 * Client options for Shopify apps (OAuth 2, authorization code grant).
 * Env keys: `SHOPIFY_CLIENT_ID` (the API key), `SHOPIFY_CLIENT_SECRET`.
 * Host for `baseUrls`: `shop` (`https://{shop}.myshopify.com`).
 *
 * Quirks: every shop is its own host and only a `*.myshopify.com` domain
 * is accepted as `shop` (anything else could send the code elsewhere);
 * with `accessMode: 'online'` (`grant_options[]=per-user`) the staff member
 * comes in the token answer (`associated_user`), where the mapping reads it.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without a valid `shop`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { shopify: presets.shopify({ shop: 'my-store' }) } });
 * ```
 * @see https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
 */
export const shopify = definePreset<'shop', ShopifyPresetOptions>({
  name: 'shopify',
  title: 'Shopify',
  docs: 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant',
  protocol: 'oauth2',
  hosts: { shop: 'https://{shop}.myshopify.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'read_products',
  refresh: false,
  fields: ['sub', 'name', 'email', 'email_verified'],
  quirks: [
    {
      id: 'shopify-shop-domain',
      summary: '`shop` must be a `*.myshopify.com` domain; one host per shop',
    },
    {
      id: 'shopify-associated-user',
      summary: 'online mode: the staff member comes in the token answer (`associated_user`)',
    },
  ],
  params: ['shop', 'accessMode'],
  example: { shop: 'my-store' },
  endpoints: (h, { shop, accessMode = 'online' }) => {
    const site = h.shop.includes('{shop}') ? shopUrl(shop) : h.shop;
    return {
      authorizeUrl: `${site}/admin/oauth/authorize`,
      accessTokenUrl: `${site}/admin/oauth/access_token`,
      apiBaseUrl: `${site}/admin/api/`,
      ...(accessMode === 'online' ? { authorizeParams: { 'grant_options[]': 'per-user' } } : {}),
    };
  },
  profile: (_raw, token) => {
    const user = token.associated_user ?? {};
    return {
      sub: user.id,
      name: [user.first_name, user.last_name].filter(Boolean).join(' '),
      given_name: user.first_name,
      family_name: user.last_name,
      email: user.email,
      email_verified: user.email_verified,
      locale: user.locale,
      account_owner: user.account_owner,
      raw: user,
    };
  },
});
