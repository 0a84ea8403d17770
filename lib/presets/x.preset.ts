import { definePreset } from './define-preset.js';
import type { StandardClaims } from './preset.interface.js';
import { assertProfileObject, compact, optionalString, requireSub, toSub } from './preset.util.js';

const USERS_ME_URL = 'https://api.x.com/2/users/me?user.fields=profile_image_url';

/**
 * The X API v2 `GET /2/users/me` response, the fields the mapping reads.
 * @see https://docs.x.com/x-api/users/get-my-user
 */
export interface XProfile {
  /** The user object. */
  data: {
    /** The user id (a numeric string). */
    id: string;
    /** Display name. */
    name?: string;
    /** The handle, without `@`. */
    username?: string;
    /** URL of the profile image (requested with `user.fields=profile_image_url`). */
    profile_image_url?: string;
    /** Only with the `users.email` scope and `user.fields=confirmed_email`. */
    confirmed_email?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * Client options for X (formerly Twitter) with OAuth 2 and PKCE; for the
 * OAuth 1.0a flow use `presets.twitter()`. Env keys: `X_CLIENT_ID`,
 * `X_CLIENT_SECRET` (omit the secret for a public client and set
 * `clientKwargs.tokenEndpointAuthMethod` to `'none'`). Hosts for `baseUrls`:
 * `web` (https://x.com), `api` (https://api.x.com).
 *
 * Quirks: PKCE is mandatory; confidential clients authenticate with HTTP
 * Basic; a refresh token needs the `offline.access` scope; `users.read`
 * needs `tweet.read` too; the profile is wrapped in `data`.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { x: presets.x() } });
 * ```
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token
 * @see https://www.rfc-editor.org/rfc/rfc7636.html
 */
export const x = definePreset<'web' | 'api'>({
  name: 'x',
  title: 'X (OAuth 2)',
  docs: 'https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token',
  protocol: 'oauth2',
  hosts: { web: 'https://x.com', api: 'https://api.x.com' },
  pkce: 'S256',
  clientAuth: 'client_secret_basic',
  scope: 'users.read tweet.read offline.access',
  refresh: true,
  fields: ['sub', 'name', 'picture', 'preferred_username', 'profile'],
  quirks: [
    { id: 'x-pkce-basic', summary: 'PKCE is mandatory and confidential clients use HTTP Basic' },
  ],
  endpoints: (h) => ({
    authorizeUrl: `${h.web}/i/oauth2/authorize`,
    accessTokenUrl: `${h.api}/2/oauth2/token`,
    revocationEndpoint: `${h.api}/2/oauth2/revoke`,
    apiBaseUrl: `${h.api}/2/`,
    userinfoEndpoint: `${h.api}/2/users/me?user.fields=profile_image_url`,
  }),
  profile: (user) => xProfile(user),
});

/**
 * Maps an X user to standard claims; `confirmed_email`, when requested, is
 * a verified address.
 *
 * @param raw - a {@link XProfile}: the `/2/users/me` response (`{ data: { ... } }`), or its `data`
 * @throws {InvalidResponseError} when there is no user object or no id
 */
export function xProfile(raw: Record<string, unknown>): StandardClaims {
  const outer = assertProfileObject(raw, USERS_ME_URL);
  const user = assertProfileObject('data' in outer ? outer.data : outer, USERS_ME_URL);
  const username = optionalString(user.username);
  const email = optionalString(user.confirmed_email);
  return compact({
    sub: requireSub(toSub(user.id), USERS_ME_URL),
    name: optionalString(user.name) ?? username,
    preferred_username: username,
    email,
    email_verified: email ? true : undefined,
    picture: optionalString(user.profile_image_url),
    profile: username ? `https://x.com/${encodeURIComponent(username)}` : undefined,
  });
}
