import { apiQuery, oauth2Fix, reshapeTokenResponse, tokenInQuery } from './compliance.util.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { first, presetError } from './preset.util.js';

/** Options of `presets.stackexchange()`. */
export interface StackExchangePresetOptions extends PresetOptions<'www' | 'api'> {
  /** The app's request key (not secret; it raises the quota). Required. */
  key?: string;
  /** The site API calls default to (default `stackoverflow`). */
  site?: string;
}

/**
 * Client options for Stack Exchange (Stack Overflow and the network; OAuth
 * 2). Env keys: `STACKEXCHANGE_CLIENT_ID`, `STACKEXCHANGE_CLIENT_SECRET`.
 * Hosts for `baseUrls`: `www` (https://stackoverflow.com), `api`
 * (https://api.stackexchange.com).
 *
 * Quirks: the token answer says `expires` instead of `expires_in` (renamed);
 * every API call carries the token as `access_token` in the query, the app's
 * `key` and a `site` (added); answers are wrapped in `items`; no e-mail.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without `key`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { stackexchange: presets.stackexchange({ key: 'U4DMV*8nvpm3EOpvf69Rxw((' }) } });
 * ```
 * @see https://api.stackexchange.com/docs/authentication
 */
export const stackexchange = definePreset<'www' | 'api', StackExchangePresetOptions>({
  name: 'stackexchange',
  title: 'Stack Exchange',
  docs: 'https://api.stackexchange.com/docs/authentication',
  protocol: 'oauth2',
  hosts: { www: 'https://stackoverflow.com', api: 'https://api.stackexchange.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  refresh: false,
  fields: ['sub', 'name', 'picture', 'profile'],
  quirks: [
    { id: 'stackexchange-expires', summary: 'the token answer says `expires`, not `expires_in`' },
    {
      id: 'stackexchange-key',
      summary: 'API calls carry `access_token`, the app `key` and `site` in the query',
    },
  ],
  params: ['key', 'site'],
  example: { key: 'U4DMV*8nvpm3EOpvf69Rxw((' },
  endpoints: (h, { key }) => {
    if (!key) throw presetError('presets.stackexchange(): key (the app request key) is required');
    return {
      authorizeUrl: `${h.www}/oauth`,
      accessTokenUrl: `${h.www}/oauth/access_token/json`,
      apiBaseUrl: `${h.api}/2.3/`,
      userinfoEndpoint: `${h.api}/2.3/me`,
    };
  },
  profile: (raw) => {
    const user = first(raw.items) ?? {};
    return {
      sub: user.account_id,
      name: user.display_name,
      picture: user.profile_image,
      profile: user.link,
      user_id: user.user_id,
    };
  },
  complianceFix: oauth2Fix(
    reshapeTokenResponse((data) => {
      if (data.expires !== undefined && data.expires_in === undefined) {
        data.expires_in = data.expires;
        delete data.expires;
      }
      data.token_type ??= 'Bearer';
      return data;
    }),
    tokenInQuery('access_token'),
    apiQuery((o) => ({ key: o.key, site: o.site ?? 'stackoverflow' })),
  ),
});
