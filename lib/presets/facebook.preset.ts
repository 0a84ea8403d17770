import { createHmac } from 'node:crypto';
import { bearerToken, oauth2Fix, type OAuth2Fix } from './compliance.util.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions, StandardClaims } from './preset.interface.js';
import { assertProfileObject, compact, optionalString, requireSub, toSub } from './preset.util.js';

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
export interface FacebookPresetOptions extends PresetOptions<'www' | 'graph'> {
  /** Graph API version (default `v24.0`). */
  version?: string;
}

/**
 * Signs every Graph API call with `appsecret_proof`: the HMAC-SHA256 of the
 * access token keyed with the app secret, as apps with "Require App Secret"
 * must (and all apps should, so a stolen token alone is not enough).
 *
 * @see https://developers.facebook.com/docs/graph-api/securing-requests#appsecret_proof
 */
const appSecretProof: OAuth2Fix = (client) =>
  client.registerComplianceHook('protectedRequest', (request) => {
    const token = bearerToken(request);
    if (token && client.clientSecret) {
      const url = new URL(request.url);
      const proof = createHmac('sha256', client.clientSecret).update(token).digest('hex');
      url.searchParams.set('appsecret_proof', proof);
      request.url = url.toString();
    }
    return request;
  });

/**
 * Client options for Facebook Login (OAuth 2).
 * Env keys: `FACEBOOK_CLIENT_ID` (the app id), `FACEBOOK_CLIENT_SECRET`.
 * Hosts for `baseUrls`: `www` (https://www.facebook.com), `graph` (https://graph.facebook.com).
 *
 * Quirks: every URL carries the Graph API version (option `version`); the
 * token endpoint takes the credentials in the body (`client_secret_post`);
 * every Graph call carries `appsecret_proof`; `/me` returns only the fields
 * asked for; there are no refresh tokens (long-lived tokens come from a
 * separate exchange).
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { facebook: presets.facebook({ version: 'v24.0' }) } });
 * ```
 * @see https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-2.3.1
 */
export const facebook = definePreset<'www' | 'graph', FacebookPresetOptions>({
  name: 'facebook',
  title: 'Facebook',
  docs: 'https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow',
  protocol: 'oauth2',
  hosts: { www: 'https://www.facebook.com', graph: 'https://graph.facebook.com' },
  pkce: 'S256',
  clientAuth: 'client_secret_post',
  scope: 'public_profile email',
  refresh: false,
  fields: ['sub', 'name', 'email', 'picture'],
  quirks: [
    {
      id: 'facebook-appsecret-proof',
      summary:
        'every Graph call carries `appsecret_proof` (HMAC-SHA256 of the token with the app secret)',
    },
    {
      id: 'facebook-graph-version',
      summary: 'the Graph API version is part of every URL (`version`)',
    },
  ],
  params: ['version'],
  endpoints: (h, { version = FACEBOOK_GRAPH_VERSION }) => {
    const v = encodeURIComponent(version);
    return {
      authorizeUrl: `${h.www}/${v}/dialog/oauth`,
      accessTokenUrl: `${h.graph}/${v}/oauth/access_token`,
      apiBaseUrl: `${h.graph}/${v}/`,
      userinfoEndpoint: `${h.graph}/${v}/me?fields=${PROFILE_FIELDS}`,
    };
  },
  profile: (user) => facebookProfile(user),
  complianceFix: oauth2Fix(appSecretProof),
});

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
