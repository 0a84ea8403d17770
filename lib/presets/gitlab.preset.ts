import { definePreset } from './define-preset.js';
import type { PresetOptions, StandardClaims } from './preset.interface.js';
import {
  assertProfileObject,
  compact,
  siteUrl,
  optionalBoolean,
  optionalString,
  requireSub,
  toSub,
} from './preset.util.js';

const GITLAB_URL = 'https://gitlab.com';

/**
 * A GitLab profile: the OpenID Connect UserInfo response (`/oauth/userinfo`)
 * or the REST user (`/api/v4/user`); the mapping reads both.
 * @see https://docs.gitlab.com/integration/openid_connect_provider/#shared-information
 * @see https://docs.gitlab.com/api/users/#for-normal-users-1
 */
export interface GitLabProfile {
  /** UserInfo: the numeric user id as a string. */
  sub?: string;
  /** REST: the numeric user id. */
  id?: number;
  /** Full name. */
  name?: string;
  /** UserInfo: the username. */
  nickname?: string;
  /** UserInfo: the username. */
  preferred_username?: string;
  /** REST: the username. */
  username?: string;
  /** The primary e-mail address (UserInfo: needs the `email` scope). */
  email?: string;
  /** UserInfo: whether `email` was verified. */
  email_verified?: boolean;
  /** REST: when the primary e-mail was confirmed (`null` if never). */
  confirmed_at?: string | null;
  /** UserInfo: URL of the avatar image. */
  picture?: string;
  /** REST: URL of the avatar image. */
  avatar_url?: string;
  /** UserInfo: URL of the user's profile page. */
  profile?: string;
  /** REST: URL of the user's profile page. */
  web_url?: string;
  [key: string]: unknown;
}

/** Options of `presets.gitlab()`. */
export interface GitLabPresetOptions extends PresetOptions<'web'> {
  /** Address of a self-managed GitLab (`https://gitlab.example.com`). Default: gitlab.com. */
  baseUrl?: string;
}

/**
 * Client options for GitLab (gitlab.com or self-managed; OpenID Connect with
 * PKCE). Env keys: `GITLAB_CLIENT_ID`, `GITLAB_CLIENT_SECRET`. Host for
 * `baseUrls`: `web` (https://gitlab.com; `baseUrl` does the same).
 *
 * Quirks: access tokens live two hours and come with a refresh token that
 * rotates on every use; scope `read_api` (or `api`) is needed on top of the
 * default scope to call the REST API.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { gitlab: presets.gitlab({ baseUrl: 'https://gitlab.example.com' }) } });
 * ```
 * @see https://docs.gitlab.com/api/oauth2/
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export const gitlab = definePreset<'web', GitLabPresetOptions>({
  name: 'gitlab',
  title: 'GitLab',
  docs: 'https://docs.gitlab.com/api/oauth2/',
  protocol: 'oidc',
  hosts: { web: GITLAB_URL },
  pkce: 'S256',
  scope: 'openid profile email',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username', 'profile'],
  quirks: [
    {
      id: 'gitlab-self-managed',
      summary: '`baseUrl` points every endpoint and the issuer at a self-managed instance',
    },
  ],
  params: ['baseUrl'],
  endpoints: (h, { baseUrl }) => {
    const site = baseUrl ? siteUrl(baseUrl, 'presets.gitlab(): baseUrl') : h.web;
    return {
      serverMetadataUrl: `${site}/.well-known/openid-configuration`,
      authorizeUrl: `${site}/oauth/authorize`,
      accessTokenUrl: `${site}/oauth/token`,
      revocationEndpoint: `${site}/oauth/revoke`,
      apiBaseUrl: `${site}/api/v4/`,
      userinfoEndpoint: `${site}/oauth/userinfo`,
    };
  },
  profile: (user) => gitlabProfile(user),
});

/**
 * Maps a GitLab profile (UserInfo or REST shape) to standard claims.
 *
 * @param raw - a {@link GitLabProfile}: the `/oauth/userinfo` or `/api/v4/user` response, or ID token claims
 * @throws {InvalidResponseError} when `raw` is not an object or has no user id
 */
export function gitlabProfile(raw: Record<string, unknown>): StandardClaims {
  const user = assertProfileObject(raw, `${GITLAB_URL}/oauth/userinfo`);
  const email = optionalString(user.email);
  let emailVerified = optionalBoolean(user.email_verified);
  if (emailVerified === undefined && email && 'confirmed_at' in user) {
    emailVerified = optionalString(user.confirmed_at) !== undefined;
  }
  return compact({
    sub: requireSub(toSub(user.sub ?? user.id), `${GITLAB_URL}/oauth/userinfo`),
    name: optionalString(user.name),
    preferred_username:
      optionalString(user.preferred_username) ??
      optionalString(user.nickname) ??
      optionalString(user.username),
    email,
    email_verified: emailVerified,
    picture: optionalString(user.picture) ?? optionalString(user.avatar_url),
    profile: optionalString(user.profile) ?? optionalString(user.web_url),
  });
}
