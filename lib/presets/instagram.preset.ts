import { oauth2Fix, reshapeTokenResponse, tokenInQuery } from './compliance.util.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';
import { first } from './preset.util.js';

/** Options of `presets.instagram()`. */
export interface InstagramPresetOptions extends PresetOptions<'www' | 'api' | 'graph'> {
  /** Graph API version (default `v23.0`). */
  version?: string;
}

const PROFILE_FIELDS = 'id,user_id,username,name,profile_picture_url';

/**
 * Client options for Instagram (the Instagram API with Instagram Login,
 * OAuth 2). Env keys: `INSTAGRAM_CLIENT_ID` (the Instagram app id),
 * `INSTAGRAM_CLIENT_SECRET`. Hosts for `baseUrls`: `www`
 * (https://www.instagram.com), `api` (https://api.instagram.com), `graph`
 * (https://graph.instagram.com).
 *
 * Quirks: the token answer is documented as a list in `data`
 * (`{ data: [{ access_token, user_id, permissions }] }`), unwrapped here;
 * Graph calls carry the token as the `access_token` query parameter; the
 * credentials go in the body; long-lived tokens come from a separate
 * exchange, not a refresh token.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { instagram: presets.instagram() } });
 * ```
 * @see https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login
 */
export const instagram = definePreset<'www' | 'api' | 'graph', InstagramPresetOptions>({
  name: 'instagram',
  title: 'Instagram',
  docs: 'https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login',
  protocol: 'oauth2',
  hosts: {
    www: 'https://www.instagram.com',
    api: 'https://api.instagram.com',
    graph: 'https://graph.instagram.com',
  },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'instagram_business_basic',
  refresh: false,
  fields: ['sub', 'name', 'picture', 'preferred_username', 'profile'],
  quirks: [
    { id: 'instagram-data-wrapper', summary: 'the token answer is wrapped in a `data` list' },
    {
      id: 'instagram-token-in-query',
      summary: 'Graph calls carry the token as `access_token` in the query',
    },
  ],
  params: ['version'],
  endpoints: (h, { version = 'v23.0' }) => ({
    authorizeUrl: `${h.www}/oauth/authorize`,
    accessTokenUrl: `${h.api}/oauth/access_token`,
    apiBaseUrl: `${h.graph}/${encodeURIComponent(version)}/`,
    userinfoEndpoint: `${h.graph}/${encodeURIComponent(version)}/me?fields=${PROFILE_FIELDS}`,
  }),
  profile: (user) => ({
    sub: user.id ?? user.user_id,
    name: user.name ?? user.username,
    preferred_username: user.username,
    picture: user.profile_picture_url,
    profile: user.username
      ? `https://www.instagram.com/${encodeURIComponent(user.username)}`
      : undefined,
  }),
  complianceFix: oauth2Fix(
    reshapeTokenResponse((data) => {
      const entry = first(data.data);
      return entry && typeof entry === 'object' ? { token_type: 'Bearer', ...entry } : data;
    }),
    tokenInQuery('access_token'),
  ),
});
