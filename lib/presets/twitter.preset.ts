import { definePreset } from './define-preset.js';
import type { StandardClaims } from './preset.interface.js';
import { assertProfileObject, compact, optionalString, requireSub } from './preset.util.js';

const VERIFY_CREDENTIALS_PATH =
  '/1.1/account/verify_credentials.json?include_email=true&skip_status=true&include_entities=false';
const VERIFY_CREDENTIALS_URL = `https://api.twitter.com${VERIFY_CREDENTIALS_PATH}`;

/**
 * The v1.1 user object of `account/verify_credentials`, the fields the mapping reads.
 * @see https://developer.x.com/en/docs/x-api/v1/accounts-and-users/manage-account-settings/api-reference/get-account-verify_credentials
 */
export interface TwitterProfile {
  /** The id as a number: above 2^53, so it loses precision in JavaScript. Use `id_str`. */
  id?: number;
  /** The user id as a string (use this, not `id`). */
  id_str: string;
  /** Display name. */
  name?: string;
  /** The handle, without `@`. */
  screen_name?: string;
  /** Present only when the app may request e-mails; only verified addresses are returned. */
  email?: string | null;
  /** HTTPS URL of the profile image. */
  profile_image_url_https?: string;
  [key: string]: unknown;
}

/**
 * Client options for "Sign in with Twitter" (OAuth 1.0a, RFC 5849; for
 * OAuth 2 use `presets.x()`). Env keys: `TWITTER_CLIENT_ID` (the API key),
 * `TWITTER_CLIENT_SECRET` (the API key secret). Host for `baseUrls`: `api`
 * (https://api.twitter.com).
 *
 * Quirks: `oauth/authenticate` skips the consent page for users who already
 * authorized the app (use `oauth/authorize` as `authorizeUrl` to always ask);
 * numeric ids overflow JavaScript numbers, so the mapping reads `id_str`;
 * `email` comes only when the app has the "Request email" permission.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { twitter: presets.twitter() } });
 * ```
 * @see https://developer.x.com/en/docs/authentication/oauth-1-0a/obtaining-user-access-tokens
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2
 */
export const twitter = definePreset<'api'>({
  name: 'twitter',
  title: 'X / Twitter (OAuth 1.0a)',
  docs: 'https://developer.x.com/en/docs/authentication/oauth-1-0a/obtaining-user-access-tokens',
  protocol: 'oauth1',
  hosts: { api: 'https://api.twitter.com' },
  refresh: false,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username', 'profile'],
  quirks: [{ id: 'twitter-id-str', summary: 'ids overflow JavaScript numbers: `id_str` is read' }],
  endpoints: (h) => ({
    requestTokenUrl: `${h.api}/oauth/request_token`,
    accessTokenUrl: `${h.api}/oauth/access_token`,
    authorizeUrl: `${h.api}/oauth/authenticate`,
    apiBaseUrl: `${h.api}/1.1/`,
    userinfoEndpoint: `${h.api}${VERIFY_CREDENTIALS_PATH}`,
  }),
  profile: (user) => twitterProfile(user),
});

/**
 * Maps a v1.1 user to standard claims. Twitter only returns verified
 * e-mail addresses, so `email_verified` is `true` whenever `email` is set.
 *
 * @param raw - a {@link TwitterProfile}: the `account/verify_credentials` response
 * @throws {InvalidResponseError} when `raw` is not an object or has no `id_str`
 */
export function twitterProfile(raw: Record<string, unknown>): StandardClaims {
  const user = assertProfileObject(raw, VERIFY_CREDENTIALS_URL);
  const screenName = optionalString(user.screen_name);
  const email = optionalString(user.email);
  return compact({
    sub: requireSub(optionalString(user.id_str) ?? '', VERIFY_CREDENTIALS_URL),
    name: optionalString(user.name) ?? screenName,
    preferred_username: screenName,
    email,
    email_verified: email ? true : undefined,
    picture: optionalString(user.profile_image_url_https),
    profile: screenName ? `https://x.com/${encodeURIComponent(screenName)}` : undefined,
  });
}
