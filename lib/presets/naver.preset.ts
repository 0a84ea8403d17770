import { InvalidResponseError } from '../core/errors.js';
import { definePreset } from './define-preset.js';

/**
 * Client options for Naver Login (OAuth 2). Env keys: `NAVER_CLIENT_ID`,
 * `NAVER_CLIENT_SECRET`. Hosts for `baseUrls`: `nid`
 * (https://nid.naver.com), `openapi` (https://openapi.naver.com).
 *
 * Quirks: the profile is wrapped (`{ resultcode, message, response }`) and
 * only valid with `resultcode` `"00"` (anything else fails the login); token
 * errors come with HTTP 200; the credentials go in the body.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { naver: presets.naver() } });
 * ```
 * @see https://developers.naver.com/docs/login/api/api.md
 */
export const naver = definePreset<'nid' | 'openapi'>({
  name: 'naver',
  title: 'Naver',
  docs: 'https://developers.naver.com/docs/login/api/api.md',
  protocol: 'oauth2',
  hosts: { nid: 'https://nid.naver.com', openapi: 'https://openapi.naver.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username'],
  quirks: [
    {
      id: 'naver-resultcode',
      summary: 'profile wrapped in `response`, valid only with `resultcode: "00"`',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.nid}/oauth2.0/authorize`,
    accessTokenUrl: `${h.nid}/oauth2.0/token`,
    apiBaseUrl: `${h.openapi}/`,
    userinfoEndpoint: `${h.openapi}/v1/nid/me`,
  }),
  profile: (raw) => {
    if (raw.resultcode !== '00') {
      throw new InvalidResponseError(
        'Naver profile',
        `resultcode ${String(raw.resultcode).slice(0, 8)}`,
      );
    }
    const user = raw.response ?? {};
    return {
      sub: user.id,
      name: user.name ?? user.nickname,
      preferred_username: user.nickname,
      email: user.email,
      picture: user.profile_image,
    };
  },
});
