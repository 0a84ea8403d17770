import { InvalidResponseError } from '../core/errors.js';
import type { ClientAuthFunction } from '../core/oauth2/client-auth.js';
import { editAuthorizationUrl, oauth2Fix, renameParam } from './compliance.util.js';
import { definePreset } from './define-preset.js';

/** TikTok names the client id `client_key`, in the body with the secret. */
const tiktokClientAuth: ClientAuthFunction = (client, _method, url, headers, body) => {
  body.delete('client_id');
  body.set('client_key', client.clientId ?? '');
  body.set('client_secret', client.clientSecret ?? '');
  return { url, headers, body };
};

/**
 * Client options for TikTok Login Kit for Web (OAuth 2, API v2). Env keys:
 * `TIKTOK_CLIENT_ID` (the client key), `TIKTOK_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `www` (https://www.tiktok.com), `api` (https://open.tiktokapis.com).
 *
 * Quirks: the client id is called `client_key`, on the authorization URL
 * and in the token and revocation bodies; API answers always carry an
 * `error` object, which means success only when its `code` is `"ok"`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { tiktok: presets.tiktok() } });
 * ```
 * @see https://developers.tiktok.com/doc/login-kit-web/
 */
export const tiktok = definePreset<'www' | 'api'>({
  name: 'tiktok',
  title: 'TikTok',
  docs: 'https://developers.tiktok.com/doc/login-kit-web/',
  protocol: 'oauth2',
  hosts: { www: 'https://www.tiktok.com', api: 'https://open.tiktokapis.com' },
  pkce: false,
  clientAuth: { label: '`client_key` + `client_secret` in the body', method: tiktokClientAuth },
  scope: 'user.info.basic',
  refresh: true,
  fields: ['sub', 'name', 'picture'],
  quirks: [
    {
      id: 'tiktok-client-key',
      summary: 'the client id is `client_key` (authorization URL and token body)',
    },
    {
      id: 'tiktok-error-object',
      summary: 'API answers carry `error`; only `code: "ok"` is success',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.www}/v2/auth/authorize/`,
    accessTokenUrl: `${h.api}/v2/oauth/token/`,
    revocationEndpoint: `${h.api}/v2/oauth/revoke/`,
    apiBaseUrl: `${h.api}/v2/`,
    userinfoEndpoint: `${h.api}/v2/user/info/?fields=open_id,union_id,avatar_url,display_name`,
  }),
  profile: (raw) => {
    if (raw.error?.code !== 'ok') {
      throw new InvalidResponseError('TikTok user info', String(raw.error?.code ?? 'no status'));
    }
    const user = raw.data?.user ?? {};
    return {
      sub: user.open_id,
      name: user.display_name,
      picture: user.avatar_url,
      union_id: user.union_id,
    };
  },
  complianceFix: oauth2Fix(
    editAuthorizationUrl((url) => renameParam(url.searchParams, 'client_id', 'client_key')),
  ),
});
