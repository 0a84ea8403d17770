import { definePreset } from './define-preset.js';

/**
 * Client options for Stripe Connect (OAuth 2 for Standard accounts). Env
 * keys: `STRIPE_CLIENT_ID` (the platform's `ca_...` id), `STRIPE_CLIENT_SECRET`
 * (the platform's secret API key, `sk_...`). Hosts for `baseUrls`: `connect`
 * (https://connect.stripe.com), `api` (https://api.stripe.com).
 *
 * Quirks: the "user" is the connected account: `sub` is the token answer's
 * `stripe_user_id`, the profile is `GET /v1/account` with the account's
 * token; the secret key goes in the body.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { stripe: presets.stripe() } });
 * ```
 * @see https://docs.stripe.com/connect/oauth-reference
 */
export const stripe = definePreset<'connect' | 'api'>({
  name: 'stripe',
  title: 'Stripe Connect',
  docs: 'https://docs.stripe.com/connect/oauth-reference',
  protocol: 'oauth2',
  hosts: { connect: 'https://connect.stripe.com', api: 'https://api.stripe.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'read_write',
  refresh: true,
  fields: ['sub', 'name', 'email', 'profile'],
  quirks: [
    {
      id: 'stripe-connected-account',
      summary: '`sub` is the connected account (`stripe_user_id` of the token answer)',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.connect}/oauth/authorize`,
    accessTokenUrl: `${h.connect}/oauth/token`,
    apiBaseUrl: `${h.api}/v1/`,
    userinfoEndpoint: `${h.api}/v1/account`,
  }),
  profile: (account, token) => ({
    sub: token.stripe_user_id ?? account.id,
    name: account.business_profile?.name ?? account.settings?.dashboard?.display_name,
    email: account.email,
    profile: account.business_profile?.url,
    livemode: token.livemode,
  }),
});
