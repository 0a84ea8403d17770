import { sendRequest, type FetchLike } from '../core/http/fetcher.js';
import { clientSecretPost, type ClientAuthFunction } from '../core/oauth2/client-auth.js';
import type {
  OAuthAnyToken,
  OAuthClientOptions,
} from '../interfaces/oauth-client-options.interface.js';
import type { StandardClaims } from './preset.interface.js';
import {
  assertProfileObject,
  compact,
  mergePreset,
  optionalString,
  requireSub,
  toSub,
} from './preset.util.js';

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
export interface GitHubPresetOptions extends OAuthClientOptions {
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
export const githubTokenAuth: ClientAuthFunction = (client, method, url, headers, body) => {
  headers.set('Accept', 'application/json');
  return clientSecretPost(client, method, url, headers, body);
};

/**
 * Client options for "Sign in with GitHub" (OAuth 2, an OAuth App or a
 * GitHub App). Env keys: `GITHUB_CLIENT_ID`, `GITHUB_CLIENT_SECRET`.
 *
 * Quirks handled here: the token endpoint gets `Accept: application/json`;
 * GitHub answers token errors with HTTP 200 and an `error` member (read as
 * an `OAuthError` all the same); `email` is `null` when the user's address is
 * private, so the profile mapping then reads `GET /user/emails` (scope
 * `user:email`) and keeps the primary, verified address.
 *
 * @param overrides - options laid over the defaults (`clientKwargs` merged key by key)
 * @returns options for `OAuthModule.forRoot({ clients: { github: ... } })`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { github: presets.github({ clientKwargs: { scope: 'read:user' } }) } });
 * ```
 * @see https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1
 */
export function github(overrides: GitHubPresetOptions = {}): OAuthClientOptions {
  const { enterpriseUrl, ...rest } = overrides;
  const site = enterpriseUrl ? enterpriseUrl.replace(/\/+$/, '') : GITHUB_URL;
  const api = enterpriseUrl ? `${site}/api/v3` : GITHUB_API_URL;
  return mergePreset(
    {
      authorizeUrl: `${site}${AUTHORIZE_PATH}`,
      accessTokenUrl: `${site}${ACCESS_TOKEN_PATH}`,
      apiBaseUrl: `${api}/`,
      userinfoEndpoint: `${api}/user`,
      clientKwargs: { scope: 'read:user user:email', tokenEndpointAuthMethod: githubTokenAuth },
      profile: createGitHubProfile({ apiUrl: api, fetch: rest.fetch, timeout: rest.timeout }),
    },
    rest,
  );
}

/** Where and how the GitHub profile mapping reads `/user/emails`. */
export interface GitHubProfileOptions {
  /** The REST API root (default `https://api.github.com`). */
  apiUrl?: string;
  /** The `fetch` to use (default: the platform's). */
  fetch?: FetchLike;
  /** Timeout of the `/user/emails` call in ms. */
  timeout?: number;
}

/**
 * Builds the GitHub profile mapping: `sub` is the numeric id as a string
 * (the login can be renamed), `name` falls back to the login. When the
 * public e-mail is `null` and an access token is given, the primary verified
 * address of `GET /user/emails` is used; `email_verified` is only set when
 * that list says so. A failing `/user/emails` call (no `user:email` scope,
 * network) leaves the e-mail out rather than failing the login.
 *
 * @param options - API root, `fetch` and timeout for the `/user/emails` call
 * @returns a `profile` function `(raw, token?) => claims`
 * @see https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
 */
export function createGitHubProfile(
  options: GitHubProfileOptions = {},
): (raw: Record<string, unknown>, token?: OAuthAnyToken) => Promise<StandardClaims> {
  const apiUrl = (options.apiUrl ?? GITHUB_API_URL).replace(/\/+$/, '');
  return async (raw, token) => {
    const user = assertProfileObject(raw, `${apiUrl}/user`);
    const login = optionalString(user.login);
    let email = optionalString(user.email);
    let emailVerified: boolean | undefined;
    const accessToken = token && optionalString((token as { access_token?: unknown }).access_token);
    if (accessToken) {
      const emails = await readEmails(`${apiUrl}/user/emails`, accessToken, options);
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

/** `GET /user/emails`; an empty list when it fails or answers something else than a list. */
async function readEmails(
  url: string,
  accessToken: string,
  options: GitHubProfileOptions,
): Promise<GitHubEmail[]> {
  try {
    const response = await sendRequest(
      url,
      {
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${accessToken}`,
        },
      },
      { fetch: options.fetch, timeout: options.timeout },
    );
    if (!response.ok) {
      await response.body?.cancel();
      return [];
    }
    const list: unknown = await response.json();
    if (!Array.isArray(list)) return [];
    return list.filter(
      (e): e is GitHubEmail =>
        typeof e === 'object' && e !== null && typeof (e as GitHubEmail).email === 'string',
    );
  } catch {
    return [];
  }
}
