import { definePreset } from './define-preset.js';

/**
 * Client options for LINE Login v2.1 (OpenID Connect with PKCE). Env keys:
 * `LINE_CLIENT_ID` (the channel id), `LINE_CLIENT_SECRET` (the channel
 * secret). Hosts for `baseUrls`: `access` (https://access.line.me), `api`
 * (https://api.line.me).
 *
 * Quirks: ID tokens are signed with ES256; the e-mail is only in the ID
 * token (and only for channels granted the e-mail permission), never in
 * UserInfo; the credentials go in the body.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { line: presets.line() } });
 * ```
 * @see https://developers.line.biz/en/docs/line-login/integrate-line-login/
 */
export const line = definePreset<'access' | 'api'>({
  name: 'line',
  title: 'LINE',
  docs: 'https://developers.line.biz/en/docs/line-login/integrate-line-login/',
  protocol: 'oidc',
  hosts: { access: 'https://access.line.me', api: 'https://api.line.me' },
  pkce: 'S256',
  clientAuth: 'client_secret_post',
  scope: 'openid profile email',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture'],
  endpoints: (h) => ({
    serverMetadataUrl: `${h.access}/.well-known/openid-configuration`,
    authorizeUrl: `${h.access}/oauth2/v2.1/authorize`,
    accessTokenUrl: `${h.api}/oauth2/v2.1/token`,
    revocationEndpoint: `${h.api}/oauth2/v2.1/revoke`,
    userinfoEndpoint: `${h.api}/oauth2/v2.1/userinfo`,
    apiBaseUrl: `${h.api}/v2/`,
  }),
  profile: (user) => ({ sub: user.sub, name: user.name, email: user.email, picture: user.picture }),
});
