import type { FetchLike } from '../core/http/fetcher.js';
import { clientSecretPost, type ClientAuthFunction } from '../core/oauth2/client-auth.js';
import type { OAuthAnyToken } from '../interfaces/oauth-client-options.interface.js';
import { oauth2Fix, reshapeTokenResponse, withTokenHeader } from './compliance.util.js';
import { definePreset } from './define-preset.js';
import type { OAuthProfileContext, PresetOptions, StandardClaims } from './preset.interface.js';
import {
  assertProfileObject,
  compact,
  optionalString,
  requireSub,
  siteUrl,
  toSub,
} from './preset.util.js';
import { standaloneProfileContext } from './profile-context.js';

const GITHUB_URL = 'https://github.com';
const GITHUB_API_URL = 'https://api.github.com';
const AUTHORIZE_PATH = '/login/oauth/authorize';
const ACCESS_TOKEN_PATH = '/login/oauth/access_token';

/**
 * The GitHub user object (`GET /user`), the fields the mapping reads.
 * @see https://docs.github.com/en/rest/users/users#get-the-authenticated-user
 */
export interface GitHubProfile {
  /** The numeric user id. */
  id: number;
  /** The username (handle). */
  login: string;
  /** Display name, `null` when the user has none. */
  name?: string | null;
  /** The public e-mail only: `null` when the user keeps it private. */
  email?: string | null;
  /** URL of the avatar image. */
  avatar_url?: string;
  /** URL of the user's profile page. */
  html_url?: string;
  [key: string]: unknown;
}

/**
 * One entry of `GET /user/emails` (needs the `user:email` scope).
 * @see https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
 */
export interface GitHubEmail {
  /** The e-mail address. */
  email: string;
  /** Whether it is the account's primary address. */
  primary: boolean;
  /** Whether GitHub verified it. */
  verified: boolean;
  /** `public` or `private`, or `null` when not set. */
  visibility?: string | null;
}

/** Options of `presets.github()`: any client option, plus GitHub Enterprise Server's address. */
export interface GitHubPresetOptions extends PresetOptions<'web' | 'api'> {
  /**
   * Base URL of a GitHub Enterprise Server (`https://github.example.com`);
   * its API is then `{enterpriseUrl}/api/v3`. Default: github.com.
   */
  enterpriseUrl?: string;
}

/**
 * GitHub's token endpoint answers `application/x-www-form-urlencoded` unless
 * the request says `Accept: application/json`; it takes the client
 * credentials in the body (`client_secret_post`).
 */
export const githubTokenAuth: ClientAuthFunction = withTokenHeader(
  clientSecretPost,
  'Accept',
  'application/json',
);

/**
 * Client options for "Sign in with GitHub" (OAuth 2 with PKCE, an OAuth App
 * or a GitHub App). Env keys: `GITHUB_CLIENT_ID`, `GITHUB_CLIENT_SECRET`.
 * Hosts for `baseUrls`: `web` (https://github.com), `api` (https://api.github.com).
 *
 * Quirks handled here: the token endpoint gets `Accept: application/json`
 * (else it answers a form) and its comma-separated `scope` is normalized to
 * spaces; GitHub answers token errors with HTTP 200 and an `error` member
 * (read as an `OAuthError` all the same); `email` is `null`
 * when the user's address is private, so the profile mapping then reads
 * `GET /user/emails` (scope `user:email`) through the client and keeps the
 * primary, verified address.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { github: presets.github({ clientKwargs: { scope: 'read:user' } }) } });
 * ```
 * @see https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1
 */
export const github = definePreset<'web' | 'api', GitHubPresetOptions>({
  name: 'github',
  title: 'GitHub',
  docs: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
  protocol: 'oauth2',
  hosts: { web: GITHUB_URL, api: GITHUB_API_URL },
  pkce: 'S256',
  clientAuth: { label: 'client_secret_post (JSON asked for)', method: githubTokenAuth },
  scope: 'read:user user:email',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username', 'profile'],
  quirks: [
    {
      id: 'github-token-response',
      summary:
        'token answer is a form unless JSON is asked for, its `scope` comma-separated (normalized to spaces)',
    },
    {
      id: 'github-user-emails',
      summary:
        'private e-mail read from `/user/emails` through the client (fetch, timeout, size cap)',
    },
  ],
  params: ['enterpriseUrl'],
  endpoints: (h, { enterpriseUrl }) => {
    const site = enterpriseUrl ? siteUrl(enterpriseUrl, 'presets.github(): enterpriseUrl') : h.web;
    const api = enterpriseUrl ? `${site}/api/v3` : h.api;
    return {
      authorizeUrl: `${site}${AUTHORIZE_PATH}`,
      accessTokenUrl: `${site}${ACCESS_TOKEN_PATH}`,
      apiBaseUrl: `${api}/`,
      userinfoEndpoint: `${api}/user`,
    };
  },
  profile: (user, token, context, { endpoints }) =>
    githubClaims(user, token, context, endpoints.apiBaseUrl!.replace(/\/+$/, '')),
  // RFC 6749 §3.3 scopes are space-separated; GitHub lists them with commas.
  complianceFix: oauth2Fix(
    reshapeTokenResponse((data) => {
      if (typeof data.scope === 'string') data.scope = data.scope.split(',').join(' ');
      return data;
    }),
  ),
});

/** Where and how the GitHub profile mapping reads `/user/emails` when called on its own. */
export interface GitHubProfileOptions {
  /** The REST API root (default `https://api.github.com`). */
  apiUrl?: string;
  /** The `fetch` to use outside an injected client (default: the platform's). */
  fetch?: FetchLike;
  /** Timeout of the `/user/emails` call in ms, outside an injected client. */
  timeout?: number;
}

/**
 * Builds the GitHub profile mapping: `sub` is the numeric id as a string
 * (the login can be renamed), `name` falls back to the login. When the
 * public e-mail is `null` and an access token is given, the primary verified
 * address of `GET /user/emails` is used; `email_verified` is only set when
 * that list says so. A failing `/user/emails` call (no `user:email` scope,
 * network, timeout) leaves the e-mail out rather than failing the login.
 * Inside an injected client the call goes through the client's transport
 * (the `context`); `options.fetch`/`timeout` only serve a mapping called on
 * its own.
 *
 * @param options - API root, and `fetch` and timeout outside an injected client
 * @returns a `profile` function `(raw, token?, context?) => claims`
 * @see https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
 */
export function createGitHubProfile(
  options: GitHubProfileOptions = {},
): (
  raw: Record<string, unknown>,
  token?: OAuthAnyToken,
  context?: OAuthProfileContext,
) => Promise<StandardClaims> {
  const apiUrl = (options.apiUrl ?? GITHUB_API_URL).replace(/\/+$/, '');
  return async (raw, token, context) => {
    const accessToken = optionalString(
      (token as { access_token?: unknown } | undefined)?.access_token,
    );
    const ctx = context ?? standaloneProfileContext(accessToken, options);
    return githubClaims(raw, accessToken ? token : undefined, ctx, apiUrl);
  };
}

/**
 * The github.com profile mapping (`presets.github()` builds one for its API root).
 *
 * @param raw - a {@link GitHubProfile} (`GET /user`)
 * @param token - the user's token, to read `/user/emails` when the e-mail is private
 * @throws {InvalidResponseError} when `raw` is not a user object or has no id
 */
export const githubProfile = createGitHubProfile();

async function githubClaims(
  raw: Record<string, unknown>,
  token: OAuthAnyToken | Record<string, unknown> | undefined,
  context: OAuthProfileContext,
  apiUrl: string,
): Promise<StandardClaims> {
  const user = assertProfileObject(raw, `${apiUrl}/user`);
  const login = optionalString(user.login);
  let email = optionalString(user.email);
  let emailVerified: boolean | undefined;
  if (token && optionalString((token as { access_token?: unknown }).access_token)) {
    const emails = await readEmails(`${apiUrl}/user/emails`, context);
    const match = email
      ? emails.find((e) => e.email === email)
      : emails.find((e) => e.primary && e.verified);
    if (match) {
      email = match.email;
      emailVerified = match.verified === true;
    }
  }
  return compact({
    sub: requireSub(toSub(user.id), `${apiUrl}/user`),
    name: optionalString(user.name) ?? login,
    preferred_username: login,
    email,
    email_verified: emailVerified,
    picture: optionalString(user.avatar_url),
    profile: optionalString(user.html_url),
  });
}

/** `GET /user/emails` through the client; an empty list when it fails or answers something else. */
async function readEmails(url: string, context: OAuthProfileContext): Promise<GitHubEmail[]> {
  let list: unknown;
  try {
    list = await context.request(url, { headers: { accept: 'application/vnd.github+json' } });
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.filter(
    (e): e is GitHubEmail =>
      typeof e === 'object' && e !== null && typeof (e as GitHubEmail).email === 'string',
  );
}
