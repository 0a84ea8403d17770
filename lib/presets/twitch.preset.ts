import { apiHeader, oauth2Fix } from './compliance.util.js';
import { definePreset } from './define-preset.js';

/** The claims Twitch only puts in the ID token and UserInfo when asked by name. */
const CLAIMS = { email: null, email_verified: null, picture: null, preferred_username: null };

/**
 * Client options for Twitch (OpenID Connect). Env keys: `TWITCH_CLIENT_ID`,
 * `TWITCH_CLIENT_SECRET`. Hosts for `baseUrls`: `id` (https://id.twitch.tv),
 * `api` (https://api.twitch.tv).
 *
 * Quirks: the ID token and UserInfo carry `email`, `picture` and
 * `preferred_username` only when the `claims` parameter asks for them (the
 * preset does); the token endpoint takes the credentials in the body; every
 * Helix API call needs a `Client-Id` header next to the token (added).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { twitch: presets.twitch() } });
 * ```
 * @see https://dev.twitch.tv/docs/authentication/getting-tokens-oidc/
 */
export const twitch = definePreset<'id' | 'api'>({
  name: 'twitch',
  title: 'Twitch',
  docs: 'https://dev.twitch.tv/docs/authentication/getting-tokens-oidc/',
  protocol: 'oidc',
  hosts: { id: 'https://id.twitch.tv', api: 'https://api.twitch.tv' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'openid user:read:email',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username'],
  quirks: [
    {
      id: 'twitch-claims-parameter',
      summary: 'e-mail, picture and login only come when the `claims` parameter names them',
    },
    { id: 'twitch-client-id-header', summary: 'Helix API calls carry a `Client-Id` header' },
  ],
  endpoints: (h) => ({
    serverMetadataUrl: `${h.id}/oauth2/.well-known/openid-configuration`,
    authorizeUrl: `${h.id}/oauth2/authorize`,
    accessTokenUrl: `${h.id}/oauth2/token`,
    revocationEndpoint: `${h.id}/oauth2/revoke`,
    userinfoEndpoint: `${h.id}/oauth2/userinfo`,
    apiBaseUrl: `${h.api}/helix/`,
    authorizeParams: { claims: JSON.stringify({ id_token: CLAIMS, userinfo: CLAIMS }) },
  }),
  profile: (user) => ({
    sub: user.sub,
    name: user.preferred_username,
    preferred_username: user.preferred_username,
    email: user.email,
    email_verified: user.email_verified,
    picture: user.picture,
  }),
  complianceFix: oauth2Fix(apiHeader('Client-Id', (client) => client.clientId)),
});
