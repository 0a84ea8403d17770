import type { OAuthClientOptions } from '../interfaces/oauth-client-options.interface.js';
import type { StandardClaims } from './preset.interface.js';
import {
  assertProfileObject,
  compact,
  mergePreset,
  optionalString,
  requireSub,
} from './preset.util.js';

const REQUEST_TOKEN_URL = 'https://api.twitter.com/oauth/request_token';
const ACCESS_TOKEN_URL = 'https://api.twitter.com/oauth/access_token';
const AUTHENTICATE_URL = 'https://api.twitter.com/oauth/authenticate';
const API_BASE_URL = 'https://api.twitter.com/1.1/';
const VERIFY_CREDENTIALS_URL =
  'https://api.twitter.com/1.1/account/verify_credentials.json?include_email=true&skip_status=true&include_entities=false';

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
 * `TWITTER_CLIENT_SECRET` (the API key secret).
 *
 * Quirks: `oauth/authenticate` skips the consent page for users who already
 * authorized the app (use `oauth/authorize` as `authorizeUrl` to always ask);
 * numeric ids overflow JavaScript numbers, so the mapping reads `id_str`;
 * `email` comes only when the app has the "Request email" permission.
 *
 * @param overrides - options laid over the defaults
 * @returns options for `OAuthModule.forRoot({ clients: { twitter: ... } })`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { twitter: presets.twitter() } });
 * ```
 * @see https://developer.x.com/en/docs/authentication/oauth-1-0a/obtaining-user-access-tokens
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2
 */
export function twitter(overrides: OAuthClientOptions = {}): OAuthClientOptions {
  return mergePreset(
    {
      requestTokenUrl: REQUEST_TOKEN_URL,
      accessTokenUrl: ACCESS_TOKEN_URL,
      authorizeUrl: AUTHENTICATE_URL,
      apiBaseUrl: API_BASE_URL,
      userinfoEndpoint: VERIFY_CREDENTIALS_URL,
      profile: twitterProfile,
    },
    overrides,
  );
}

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
