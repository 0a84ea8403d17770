import { definePreset } from './define-preset.js';

/**
 * Client options for Yahoo (OpenID Connect). Env keys: `YAHOO_CLIENT_ID`,
 * `YAHOO_CLIENT_SECRET`. Host for `baseUrls`: `login` (https://api.login.yahoo.com).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { yahoo: presets.yahoo() } });
 * ```
 * @see https://developer.yahoo.com/sign-in-with-yahoo/
 */
export const yahoo = definePreset<'login'>({
  name: 'yahoo',
  title: 'Yahoo',
  docs: 'https://developer.yahoo.com/sign-in-with-yahoo/',
  protocol: 'oidc',
  hosts: { login: 'https://api.login.yahoo.com' },
  pkce: false,
  scope: 'openid email profile',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username'],
  endpoints: (h) => ({
    serverMetadataUrl: `${h.login}/.well-known/openid-configuration`,
    authorizeUrl: `${h.login}/oauth2/request_auth`,
    accessTokenUrl: `${h.login}/oauth2/get_token`,
    userinfoEndpoint: `${h.login}/openid/v1/userinfo`,
  }),
  profile: (user) => ({
    sub: user.sub,
    name: user.name,
    given_name: user.given_name,
    family_name: user.family_name,
    preferred_username: user.nickname,
    email: user.email,
    email_verified: user.email_verified,
    picture: user.picture,
  }),
});
