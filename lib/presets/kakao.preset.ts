import { definePreset } from './define-preset.js';

/**
 * Client options for Kakao Login (OAuth 2). Env keys: `KAKAO_CLIENT_ID` (the
 * REST API key), `KAKAO_CLIENT_SECRET` (when the app enables one). Hosts for
 * `baseUrls`: `kauth` (https://kauth.kakao.com), `kapi` (https://kapi.kakao.com).
 *
 * Quirks: the profile is nested in `kakao_account`; the e-mail counts as
 * verified only when both `is_email_valid` and `is_email_verified` are
 * true; the id is a number.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { kakao: presets.kakao() } });
 * ```
 * @see https://developers.kakao.com/docs/latest/en/kakaologin/rest-api
 */
export const kakao = definePreset<'kauth' | 'kapi'>({
  name: 'kakao',
  title: 'Kakao',
  docs: 'https://developers.kakao.com/docs/latest/en/kakaologin/rest-api',
  protocol: 'oauth2',
  hosts: { kauth: 'https://kauth.kakao.com', kapi: 'https://kapi.kakao.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'profile_nickname profile_image account_email',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture'],
  quirks: [
    {
      id: 'kakao-account',
      summary: 'profile nested in `kakao_account`; e-mail verified only if valid and verified',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.kauth}/oauth/authorize`,
    accessTokenUrl: `${h.kauth}/oauth/token`,
    apiBaseUrl: `${h.kapi}/`,
    userinfoEndpoint: `${h.kapi}/v2/user/me`,
  }),
  profile: (user) => {
    const account = user.kakao_account ?? {};
    const email = account.is_email_valid === false ? undefined : account.email;
    return {
      sub: user.id,
      name: account.profile?.nickname ?? user.properties?.nickname,
      email,
      email_verified: email
        ? account.is_email_valid === true && account.is_email_verified === true
        : undefined,
      picture: account.profile?.is_default_image ? undefined : account.profile?.profile_image_url,
    };
  },
});
