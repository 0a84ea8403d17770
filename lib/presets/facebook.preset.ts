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

/** The Graph API version the preset pins (versions stay available about two years). */
export const FACEBOOK_GRAPH_VERSION = 'v24.0';
const PROFILE_FIELDS = 'id,name,first_name,last_name,email,picture.type(large)';

/**
 * The Graph API user (`GET /me?fields=...`), the fields the mapping reads.
 * @see https://developers.facebook.com/docs/graph-api/reference/user/
 */
export interface FacebookProfile {
  /** App-scoped user id. */
  id: string;
  /** Full name. */
  name?: string;
  /** First name. */
  first_name?: string;
  /** Last name. */
  last_name?: string;
  /** Absent when the user has no usable address or did not grant `email`. */
  email?: string;
  /** The profile picture (the preset asks for `picture.type(large)`). */
  picture?: {
    /** The picture's details. */
    data?: {
      /** The picture's URL. */
      url?: string;
      /** `true` for the default silhouette (the mapping then sets no `picture`). */
      is_silhouette?: boolean;
    };
  };
  [key: string]: unknown;
}

/** Options of `presets.facebook()`. */
export interface FacebookPresetOptions extends OAuthClientOptions {
  /** Graph API version (default `v24.0`). */
  version?: string;
}

/**
 * Client options for Facebook Login (OAuth 2).
 * Env keys: `FACEBOOK_CLIENT_ID` (the app id), `FACEBOOK_CLIENT_SECRET`.
 *
 * Quirks: every URL carries the Graph API version (option `version`); the
 * token endpoint takes the credentials in the body (`client_secret_post`);
 * `/me` returns only the fields asked for; there are no refresh tokens
 * (long-lived tokens come from a separate exchange).
 *
 * @param overrides - options laid over the defaults; `version` picks the Graph API version
 * @returns options for `OAuthModule.forRoot({ clients: { facebook: ... } })`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { facebook: presets.facebook({ version: 'v24.0' }) } });
 * ```
 * @see https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-2.3.1
 */
export function facebook(overrides: FacebookPresetOptions = {}): OAuthClientOptions {
  const { version = FACEBOOK_GRAPH_VERSION, ...rest } = overrides;
  const graph = `https://graph.facebook.com/${encodeURIComponent(version)}`;
  return mergePreset(
    {
      authorizeUrl: `https://www.facebook.com/${encodeURIComponent(version)}/dialog/oauth`,
      accessTokenUrl: `${graph}/oauth/access_token`,
      apiBaseUrl: `${graph}/`,
      userinfoEndpoint: `${graph}/me?fields=${PROFILE_FIELDS}`,
      clientKwargs: {
        scope: 'public_profile email',
        tokenEndpointAuthMethod: 'client_secret_post',
      },
      profile: facebookProfile,
    },
    rest,
  );
}

/**
 * Maps a Graph API user to standard claims. `email_verified` is not set:
 * Facebook does not say whether it verified the address. The picture is
 * left out when it is the grey silhouette.
 *
 * @param raw - a {@link FacebookProfile}: the `/me` response
 * @throws {InvalidResponseError} when `raw` is not an object or has no id
 */
export function facebookProfile(raw: Record<string, unknown>): StandardClaims {
  const user = assertProfileObject(raw, 'https://graph.facebook.com/me');
  const picture = (user as FacebookProfile).picture?.data;
  return compact({
    sub: requireSub(toSub(user.id), 'https://graph.facebook.com/me'),
    name: optionalString(user.name),
    given_name: optionalString(user.first_name),
    family_name: optionalString(user.last_name),
    email: optionalString(user.email),
    picture: picture && !picture.is_silhouette ? optionalString(picture.url) : undefined,
  });
}
