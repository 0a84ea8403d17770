import { definePreset } from './define-preset.js';

/**
 * Client options for Figma (OAuth 2). Env keys: `FIGMA_CLIENT_ID`,
 * `FIGMA_CLIENT_SECRET`. Hosts for `baseUrls`: `www` (https://www.figma.com),
 * `api` (https://api.figma.com).
 *
 * Quirks: refreshes go to their own endpoint, `/v1/oauth/refresh`
 * (`refreshTokenUrl`).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { figma: presets.figma() } });
 * ```
 * @see https://developers.figma.com/docs/rest-api/oauth-apps/
 */
export const figma = definePreset<'www' | 'api'>({
  name: 'figma',
  title: 'Figma',
  docs: 'https://developers.figma.com/docs/rest-api/oauth-apps/',
  protocol: 'oauth2',
  hosts: { www: 'https://www.figma.com', api: 'https://api.figma.com' },
  pkce: false,
  scope: 'current_user:read',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture'],
  quirks: [{ id: 'figma-refresh-endpoint', summary: 'refreshes go to `/v1/oauth/refresh`' }],
  endpoints: (h) => ({
    authorizeUrl: `${h.www}/oauth`,
    accessTokenUrl: `${h.api}/v1/oauth/token`,
    refreshTokenUrl: `${h.api}/v1/oauth/refresh`,
    apiBaseUrl: `${h.api}/v1/`,
    userinfoEndpoint: `${h.api}/v1/me`,
  }),
  profile: (user) => ({
    sub: user.id,
    name: user.handle,
    email: user.email,
    picture: user.img_url,
  }),
});
