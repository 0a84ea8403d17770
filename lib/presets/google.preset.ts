import { InvalidTokenError } from '../core/errors.js';
import { definePreset } from './define-preset.js';
import type { PresetOptions, StandardClaims } from './preset.interface.js';
import {
  assertProfileObject,
  compact,
  optionalBoolean,
  optionalString,
  requireSub,
  toSub,
} from './preset.util.js';

const USERINFO_URL = 'https://openidconnect.googleapis.com/v1/userinfo';

/**
 * Google's ID token claims / UserInfo response, the fields the mapping reads.
 * @see https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload
 */
export interface GoogleProfile {
  /** The Google account's unique, stable identifier. */
  sub: string;
  /** Full name. */
  name?: string;
  /** Given (first) name. */
  given_name?: string;
  /** Family (last) name. */
  family_name?: string;
  /** The e-mail address (needs the `email` scope). */
  email?: string;
  /** Whether `email` was verified: a boolean, or the string `"true"`/`"false"`. */
  email_verified?: boolean | string;
  /** URL of the profile picture. */
  picture?: string;
  /** The user's locale, a BCP 47 tag. */
  locale?: string;
  /** The Google Workspace domain of the account, absent for consumer accounts. */
  hd?: string;
  [key: string]: unknown;
}

/** Options of `presets.google()`. */
export interface GooglePresetOptions extends PresetOptions<
  'accounts' | 'oauth2' | 'openidconnect' | 'api'
> {
  /**
   * Ask for a refresh token: adds `access_type=offline` and `prompt=consent`
   * (Google only issues one on the first consent otherwise).
   */
  offline?: boolean;
  /**
   * Only accept accounts of this Google Workspace domain: sent as `hd` (which
   * only narrows the account chooser) and enforced on the `hd` claim.
   */
  hostedDomain?: string;
}

/**
 * Client options for "Sign in with Google" (OpenID Connect, with PKCE).
 * Env keys: `GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `accounts`, `oauth2`, `openidconnect`, `api`.
 *
 * Quirks: a refresh token comes only with `access_type=offline` (option
 * `offline`); the `hd` parameter restricts nothing by itself, so with
 * `hostedDomain` the profile mapping refuses accounts of other domains.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { google: presets.google({ offline: true }) } });
 * ```
 * @see https://developers.google.com/identity/openid-connect/openid-connect
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export const google = definePreset<
  'accounts' | 'oauth2' | 'openidconnect' | 'api',
  GooglePresetOptions
>({
  name: 'google',
  title: 'Google',
  docs: 'https://developers.google.com/identity/openid-connect/openid-connect',
  protocol: 'oidc',
  hosts: {
    accounts: 'https://accounts.google.com',
    oauth2: 'https://oauth2.googleapis.com',
    openidconnect: 'https://openidconnect.googleapis.com',
    api: 'https://www.googleapis.com',
  },
  pkce: 'S256',
  scope: 'openid email profile',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture'],
  quirks: [
    {
      id: 'google-offline',
      summary: 'refresh token only with `access_type=offline` + `prompt=consent` (`offline: true`)',
    },
    {
      id: 'google-hosted-domain',
      summary: '`hd` only narrows the chooser: `hostedDomain` also checks the `hd` claim',
    },
  ],
  params: ['offline', 'hostedDomain'],
  endpoints: (h, { offline, hostedDomain }) => {
    const authorizeParams: Record<string, string> = {};
    if (offline) Object.assign(authorizeParams, { access_type: 'offline', prompt: 'consent' });
    if (hostedDomain) authorizeParams.hd = hostedDomain;
    return {
      serverMetadataUrl: `${h.accounts}/.well-known/openid-configuration`,
      authorizeUrl: `${h.accounts}/o/oauth2/v2/auth`,
      accessTokenUrl: `${h.oauth2}/token`,
      revocationEndpoint: `${h.oauth2}/revoke`,
      apiBaseUrl: `${h.api}/`,
      userinfoEndpoint: `${h.openidconnect}/v1/userinfo`,
      ...(Object.keys(authorizeParams).length ? { authorizeParams } : {}),
    };
  },
  profile: (user, _token, _context, { options }) =>
    options.hostedDomain ? googleProfileFor(options.hostedDomain)(user) : googleProfile(user),
});

/**
 * Maps Google's claims to standard claims (they are standard already;
 * `email_verified` may arrive as a string in old tokens).
 *
 * @param raw - a {@link GoogleProfile}: ID token claims or the UserInfo response
 * @throws {InvalidResponseError} when `raw` is not an object or has no `sub`
 */
export function googleProfile(raw: Record<string, unknown>): StandardClaims {
  const user = assertProfileObject(raw, USERINFO_URL);
  return compact({
    sub: requireSub(toSub(user.sub), USERINFO_URL),
    name: optionalString(user.name),
    given_name: optionalString(user.given_name),
    family_name: optionalString(user.family_name),
    email: optionalString(user.email),
    email_verified: optionalBoolean(user.email_verified),
    picture: optionalString(user.picture),
    locale: optionalString(user.locale),
    hd: optionalString(user.hd),
  });
}

/**
 * `googleProfile` that also requires the `hd` claim to equal `domain`.
 *
 * @param domain - the Google Workspace domain to accept
 * @throws {InvalidTokenError} (claim `hd`) for an account of another domain or a consumer account
 */
export function googleProfileFor(domain: string): (raw: Record<string, unknown>) => StandardClaims {
  return (raw) => {
    const claims = googleProfile(raw);
    if (claims.hd !== domain) {
      throw new InvalidTokenError('hd', 'the account is not in the required hosted domain');
    }
    return claims;
  };
}
