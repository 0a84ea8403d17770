import { definePreset } from './define-preset.js';

/**
 * Client options for Strava (OAuth 2). Env keys: `STRAVA_CLIENT_ID`,
 * `STRAVA_CLIENT_SECRET`. Host for `baseUrls`: `www` (https://www.strava.com).
 *
 * Quirks: scopes are comma-separated (`read,activity:read`); the token
 * answer carries the athlete, which the mapping reads (no extra call);
 * Strava has no e-mail for apps; credentials go in the body.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { strava: presets.strava({ clientKwargs: { scope: 'read,activity:read' } }) } });
 * ```
 * @see https://developers.strava.com/docs/authentication/
 */
export const strava = definePreset<'www'>({
  name: 'strava',
  title: 'Strava',
  docs: 'https://developers.strava.com/docs/authentication/',
  protocol: 'oauth2',
  hosts: { www: 'https://www.strava.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'read',
  refresh: true,
  fields: ['sub', 'name', 'picture', 'preferred_username', 'profile'],
  quirks: [{ id: 'strava-athlete-in-token', summary: 'the athlete comes with the token answer' }],
  endpoints: (h) => ({
    authorizeUrl: `${h.www}/oauth/authorize`,
    accessTokenUrl: `${h.www}/oauth/token`,
    apiBaseUrl: `${h.www}/api/v3/`,
    authorizeParams: { approval_prompt: 'auto' },
  }),
  profile: (_raw, token) => {
    const athlete = token.athlete ?? {};
    return {
      sub: athlete.id,
      name: [athlete.firstname, athlete.lastname].filter(Boolean).join(' '),
      given_name: athlete.firstname,
      family_name: athlete.lastname,
      preferred_username: athlete.username,
      picture: athlete.profile,
      profile: athlete.id ? `https://www.strava.com/athletes/${athlete.id}` : undefined,
      raw: athlete,
    };
  },
});
