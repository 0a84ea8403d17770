import { InvalidResponseError } from '../core/errors.js';
import type { ClientAuthFunction } from '../core/oauth2/client-auth.js';
import {
  editAuthorizationUrl,
  oauth2Fix,
  renameParam,
  reshapeTokenResponse,
  tokenInQuery,
} from './compliance.util.js';
import { definePreset } from './define-preset.js';

/** The order WeChat wants the authorization parameters in. */
const AUTHORIZE_ORDER = ['appid', 'redirect_uri', 'response_type', 'scope', 'state'];

/**
 * WeChat's token endpoint reads everything from the query and names the
 * client credentials `appid` and `secret`.
 */
const wechatTokenAuth: ClientAuthFunction = (client, _method, url, headers, body) => {
  const target = new URL(url);
  target.searchParams.set('appid', client.clientId ?? '');
  target.searchParams.set('secret', client.clientSecret ?? '');
  for (const [key, value] of body) {
    if (key !== 'client_id' && key !== 'redirect_uri') target.searchParams.set(key, value);
  }
  return { url: target.toString(), headers, body: new URLSearchParams() };
};

/**
 * Client options for WeChat (Weixin) website login (OAuth 2, QR code).
 * Env keys: `WECHAT_CLIENT_ID` (the AppID), `WECHAT_CLIENT_SECRET` (the
 * AppSecret). Hosts for `baseUrls`: `open` (https://open.weixin.qq.com),
 * `api` (https://api.weixin.qq.com).
 *
 * Quirks: the client id is `appid` (authorization URL, in WeChat's
 * parameter order, ending with `#wechat_redirect`) and the token request
 * sends `appid`/`secret` in the query; errors come with HTTP 200 as
 * `{ errcode, errmsg }` (read as OAuth errors); the user is identified by
 * the `openid` of the token answer, which the profile call needs; API calls
 * carry `access_token` in the query.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { wechat: presets.wechat() } });
 * ```
 * @see https://developers.weixin.qq.com/doc/oplatform/en/Website_App/WeChat_Login/Wechat_Login.html
 */
export const wechat = definePreset<'open' | 'api'>({
  name: 'wechat',
  title: 'WeChat',
  docs: 'https://developers.weixin.qq.com/doc/oplatform/en/Website_App/WeChat_Login/Wechat_Login.html',
  protocol: 'oauth2',
  hosts: { open: 'https://open.weixin.qq.com', api: 'https://api.weixin.qq.com' },
  pkce: false,
  clientAuth: { label: '`appid` + `secret` in the query', method: wechatTokenAuth },
  scope: 'snsapi_login',
  refresh: true,
  fields: ['sub', 'name', 'picture'],
  quirks: [
    {
      id: 'wechat-appid',
      summary:
        '`appid`/`secret` instead of `client_id`/`client_secret`; `#wechat_redirect` on the authorization URL',
    },
    { id: 'wechat-errcode', summary: 'errors come with HTTP 200 as `{ errcode, errmsg }`' },
    { id: 'wechat-openid', summary: 'the profile call needs the `openid` of the token answer' },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.open}/connect/qrconnect`,
    accessTokenUrl: `${h.api}/sns/oauth2/access_token`,
    refreshTokenUrl: `${h.api}/sns/oauth2/refresh_token`,
    apiBaseUrl: `${h.api}/sns/`,
  }),
  profile: async (_raw, token, context, { endpoints }) => {
    const user = (await context.request(`${endpoints.apiBaseUrl}userinfo`, {
      query: { openid: token.openid, lang: 'en' },
    })) as Record<string, any>;
    if (user?.errcode) {
      throw new InvalidResponseError('WeChat profile', `errcode ${Number(user.errcode)}`);
    }
    return {
      sub: user?.openid ?? token.openid,
      name: user?.nickname,
      picture: user?.headimgurl,
      unionid: user?.unionid ?? token.unionid,
      raw: user,
    };
  },
  complianceFix: oauth2Fix(
    editAuthorizationUrl((url) => {
      renameParam(url.searchParams, 'client_id', 'appid');
      const entries = [...url.searchParams];
      const rank = (key: string) => {
        const i = AUTHORIZE_ORDER.indexOf(key);
        return i < 0 ? AUTHORIZE_ORDER.length : i;
      };
      entries.sort((a, b) => rank(a[0]) - rank(b[0]));
      url.search = new URLSearchParams(entries).toString();
      url.hash = 'wechat_redirect';
    }),
    reshapeTokenResponse((data) =>
      data.errcode && !data.access_token
        ? {
            error: wechatErrorCode(Number(data.errcode)),
            error_description: `WeChat errcode ${Number(data.errcode)}: ${String(data.errmsg ?? '')}`,
          }
        : data,
    ),
    tokenInQuery('access_token'),
  ),
});

/**
 * The RFC 6749 §5.2 code for a WeChat `errcode`: a bad, used or expired code
 * or refresh token is the user's `invalid_grant`; a bad AppID or AppSecret is
 * this app's `invalid_client`; anything else a `server_error`. The errcode
 * itself stays in the description (logged, never shown to the browser).
 * @see https://developers.weixin.qq.com/doc/oplatform/en/Return_Code/Return_Code_descriptions_new.html
 */
function wechatErrorCode(errcode: number): string {
  if ([40029, 40030, 40163, 42002, 42003].includes(errcode)) return 'invalid_grant';
  if ([40001, 40013, 40125, 41002, 41004].includes(errcode)) return 'invalid_client';
  return 'server_error';
}
