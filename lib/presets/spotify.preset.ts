import { definePreset } from './define-preset.js';
import type { PresetOptions } from './preset.interface.js';

/**
 * Client options for Spotify (OAuth 2 with PKCE). Env keys:
 * `SPOTIFY_CLIENT_ID`, `SPOTIFY_CLIENT_SECRET`. Hosts for `baseUrls`:
 * `accounts` (https://accounts.spotify.com), `api` (https://api.spotify.com).
 *
 * Spotify does not verify e-mail addresses, so `email_verified` is never set.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { spotify: presets.spotify() } });
 * ```
 * @see https://developer.spotify.com/documentation/web-api/tutorials/code-flow
 */
export const spotify = definePreset<'accounts' | 'api', PresetOptions<'accounts' | 'api'>>({
  name: 'spotify',
  title: 'Spotify',
  docs: 'https://developer.spotify.com/documentation/web-api/tutorials/code-flow',
  protocol: 'oauth2',
  hosts: { accounts: 'https://accounts.spotify.com', api: 'https://api.spotify.com' },
  pkce: 'S256',
  clientAuth: 'client_secret_basic',
  scope: 'user-read-email user-read-private',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture', 'profile'],
  endpoints: (h) => ({
    authorizeUrl: `${h.accounts}/authorize`,
    accessTokenUrl: `${h.accounts}/api/token`,
    apiBaseUrl: `${h.api}/v1/`,
    userinfoEndpoint: `${h.api}/v1/me`,
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.display_name,
    email: user.email,
    picture: user.images?.[0]?.url,
    profile: user.external_urls?.spotify,
  }),
});
