import { definePreset } from './define-preset.js';

/**
 * Client options for Zoom (OAuth 2 with PKCE). Env keys: `ZOOM_CLIENT_ID`,
 * `ZOOM_CLIENT_SECRET`. Hosts for `baseUrls`: `web` (https://zoom.us),
 * `api` (https://api.zoom.us).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { zoom: presets.zoom() } });
 * ```
 * @see https://developers.zoom.us/docs/integrations/oauth/
 */
export const zoom = definePreset<'web' | 'api'>({
  name: 'zoom',
  title: 'Zoom',
  docs: 'https://developers.zoom.us/docs/integrations/oauth/',
  protocol: 'oauth2',
  hosts: { web: 'https://zoom.us', api: 'https://api.zoom.us' },
  pkce: 'S256',
  scope: 'user:read:user',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture'],
  endpoints: (h) => ({
    authorizeUrl: `${h.web}/oauth/authorize`,
    accessTokenUrl: `${h.web}/oauth/token`,
    revocationEndpoint: `${h.web}/oauth/revoke`,
    apiBaseUrl: `${h.api}/v2/`,
    userinfoEndpoint: `${h.api}/v2/users/me`,
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.display_name ?? [user.first_name, user.last_name].filter(Boolean).join(' '),
    given_name: user.first_name,
    family_name: user.last_name,
    email: user.email,
    picture: user.pic_url,
  }),
});
