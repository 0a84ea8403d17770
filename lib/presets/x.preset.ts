import type { OAuthClientOptions } from '../interfaces/oauth-client-options.interface.js';
import type { StandardClaims } from './preset.interface.js';
import {
  assertProfileObject,
  compact,
  mergePreset,
  optionalString,
  requireSub,
  toSub,
} from './preset.util.js';

const AUTHORIZE_URL = 'https://x.com/i/oauth2/authorize';
const ACCESS_TOKEN_URL = 'https://api.x.com/2/oauth2/token';
const API_BASE_URL = 'https://api.x.com/2/';
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
 * `clientKwargs.tokenEndpointAuthMethod` to `'none'`).
 *
 * Quirks: PKCE is mandatory; confidential clients authenticate with HTTP
 * Basic; a refresh token needs the `offline.access` scope; `users.read`
 * needs `tweet.read` too; the profile is wrapped in `data`.
 *
 * @param overrides - options laid over the defaults (`clientKwargs` merged key by key)
 * @returns options for `OAuthModule.forRoot({ clients: { x: ... } })`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { x: presets.x() } });
 * ```
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token
 * @see https://www.rfc-editor.org/rfc/rfc7636.html
 */
export function x(overrides: OAuthClientOptions = {}): OAuthClientOptions {
  return mergePreset(
    {
      authorizeUrl: AUTHORIZE_URL,
      accessTokenUrl: ACCESS_TOKEN_URL,
      apiBaseUrl: API_BASE_URL,
      userinfoEndpoint: USERS_ME_URL,
      codeChallengeMethod: 'S256',
      clientKwargs: {
        scope: 'users.read tweet.read offline.access',
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
      profile: xProfile,
    },
    overrides,
  );
}

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
