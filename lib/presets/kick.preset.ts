import { InvalidResponseError } from '../core/errors.js';
import { definePreset } from './define-preset.js';
import { first } from './preset.util.js';

/**
 * Client options for Kick (OAuth 2.1, PKCE required). Env keys:
 * `KICK_CLIENT_ID`, `KICK_CLIENT_SECRET`. Hosts for `baseUrls`: `id`
 * (https://id.kick.com), `api` (https://api.kick.com).
 *
 * Quirks: the user list endpoint answers `{ data: [user], message }`; with
 * no user in it the login fails instead of signing in nobody.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { kick: presets.kick() } });
 * ```
 * @see https://docs.kick.com/getting-started/generating-tokens-oauth2-flow
 */
export const kick = definePreset<'id' | 'api'>({
  name: 'kick',
  title: 'Kick',
  docs: 'https://docs.kick.com/getting-started/generating-tokens-oauth2-flow',
  protocol: 'oauth2',
  hosts: { id: 'https://id.kick.com', api: 'https://api.kick.com' },
  pkce: 'S256',
  clientAuth: 'client_secret_post',
  scope: 'user:read',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture'],
  endpoints: (h) => ({
    authorizeUrl: `${h.id}/oauth/authorize`,
    accessTokenUrl: `${h.id}/oauth/token`,
    apiBaseUrl: `${h.api}/public/v1/`,
    userinfoEndpoint: `${h.api}/public/v1/users`,
  }),
  profile: (raw) => {
    const user = first(raw.data);
    if (!user) throw new InvalidResponseError('Kick profile', 'the user list is empty');
    return { sub: user.user_id, name: user.name, email: user.email, picture: user.profile_picture };
  },
});
