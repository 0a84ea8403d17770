import { oauth2Fix, onApiRequest } from './compliance.util.js';
import { definePreset } from './define-preset.js';

/**
 * Client options for Heroku (OAuth 2). Env keys: `HEROKU_CLIENT_ID`,
 * `HEROKU_CLIENT_SECRET`. Hosts for `baseUrls`: `id` (https://id.heroku.com),
 * `api` (https://api.heroku.com).
 *
 * Quirks: the Platform API answers only requests that ask for its version
 * in `Accept` (`application/vnd.heroku+json; version=3`, added to every API call).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { heroku: presets.heroku() } });
 * ```
 * @see https://devcenter.heroku.com/articles/oauth
 */
export const heroku = definePreset<'id' | 'api'>({
  name: 'heroku',
  title: 'Heroku',
  docs: 'https://devcenter.heroku.com/articles/oauth',
  protocol: 'oauth2',
  hosts: { id: 'https://id.heroku.com', api: 'https://api.heroku.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'identity',
  refresh: true,
  fields: ['sub', 'name', 'email'],
  quirks: [
    {
      id: 'heroku-api-version',
      summary: 'API calls carry `Accept: application/vnd.heroku+json; version=3`',
    },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.id}/oauth/authorize`,
    accessTokenUrl: `${h.id}/oauth/token`,
    apiBaseUrl: `${h.api}/`,
    userinfoEndpoint: `${h.api}/account`,
  }),
  profile: (user) => ({ sub: user.id, name: user.name, email: user.email }),
  // Replaces the JSON `Accept` of profile calls: the version is mandatory.
  complianceFix: oauth2Fix(
    onApiRequest((request) =>
      request.headers.set('Accept', 'application/vnd.heroku+json; version=3'),
    ),
  ),
});
