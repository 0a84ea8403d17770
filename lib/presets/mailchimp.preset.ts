import { authorizationScheme, oauth2Fix, reshapeTokenResponse } from './compliance.util.js';
import { definePreset } from './define-preset.js';

/**
 * Client options for Mailchimp (OAuth 2). Env keys: `MAILCHIMP_CLIENT_ID`,
 * `MAILCHIMP_CLIENT_SECRET`. Host for `baseUrls`: `login`
 * (https://login.mailchimp.com).
 *
 * Quirks: tokens never expire but the answer says `expires_in: 0` (dropped,
 * so the token is not taken for expired); the metadata endpoint wants
 * `Authorization: OAuth <token>`; API calls go to the account's data center
 * (`api_endpoint` of the profile), so there is no fixed `apiBaseUrl`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { mailchimp: presets.mailchimp() } });
 * ```
 * @see https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/
 */
export const mailchimp = definePreset<'login'>({
  name: 'mailchimp',
  title: 'Mailchimp',
  docs: 'https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/',
  protocol: 'oauth2',
  hosts: { login: 'https://login.mailchimp.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  refresh: false,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username'],
  quirks: [
    { id: 'mailchimp-no-expiry', summary: '`expires_in: 0` means "never": dropped' },
    {
      id: 'mailchimp-oauth-scheme',
      summary: 'the metadata endpoint wants `Authorization: OAuth <token>`',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.login}/oauth2/authorize`,
    accessTokenUrl: `${h.login}/oauth2/token`,
    userinfoEndpoint: `${h.login}/oauth2/metadata`,
  }),
  profile: (meta) => ({
    sub: meta.user_id,
    name: meta.accountname,
    preferred_username: meta.login?.login_name,
    email: meta.login?.login_email ?? meta.login?.email,
    picture: meta.login?.avatar,
    dc: meta.dc,
    api_endpoint: meta.api_endpoint,
  }),
  complianceFix: oauth2Fix(
    reshapeTokenResponse((data) => {
      if (Number(data.expires_in) === 0) delete data.expires_in;
      return data;
    }),
    authorizationScheme('OAuth'),
  ),
});
