import { definePreset } from './define-preset.js';

/**
 * Client options for Calendly (OAuth 2 with PKCE). Env keys:
 * `CALENDLY_CLIENT_ID`, `CALENDLY_CLIENT_SECRET`. Hosts for `baseUrls`:
 * `auth` (https://auth.calendly.com), `api` (https://api.calendly.com).
 *
 * Quirks: the user is a resource URI (`https://api.calendly.com/users/{uuid}`);
 * `sub` is the URI, as every other API object refers to it.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { calendly: presets.calendly() } });
 * ```
 * @see https://developer.calendly.com/create-a-developer-account
 */
export const calendly = definePreset<'auth' | 'api'>({
  name: 'calendly',
  title: 'Calendly',
  docs: 'https://developer.calendly.com/create-a-developer-account',
  protocol: 'oauth2',
  hosts: { auth: 'https://auth.calendly.com', api: 'https://api.calendly.com' },
  pkce: 'S256',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username', 'profile'],
  endpoints: (h) => ({
    authorizeUrl: `${h.auth}/oauth/authorize`,
    accessTokenUrl: `${h.auth}/oauth/token`,
    revocationEndpoint: `${h.auth}/oauth/revoke`,
    apiBaseUrl: `${h.api}/`,
    userinfoEndpoint: `${h.api}/users/me`,
  }),
  profile: ({ resource: user = {} }) => ({
    sub: user.uri,
    name: user.name,
    email: user.email,
    picture: user.avatar_url,
    preferred_username: user.slug,
    profile: user.scheduling_url,
  }),
});
