import { definePreset } from './define-preset.js';
import type { StandardClaims } from './preset.interface.js';
import {
  displayName,
  assertProfileObject,
  compact,
  optionalBoolean,
  optionalString,
  requireSub,
  toSub,
} from './preset.util.js';

const USERINFO_URL = 'https://api.linkedin.com/v2/userinfo';

/**
 * LinkedIn's ID token claims / UserInfo response, the fields the mapping reads.
 * @see https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2
 */
export interface LinkedInProfile {
  /** The member's unique identifier. */
  sub: string;
  /** Full name. */
  name?: string;
  /** Given (first) name. */
  given_name?: string;
  /** Family (last) name. */
  family_name?: string;
  /** URL of the profile picture. */
  picture?: string;
  /** The primary e-mail address (needs the `email` scope). */
  email?: string;
  /** Whether `email` was verified: a boolean, or the string `"true"`/`"false"`. */
  email_verified?: boolean | string;
  /** A BCP 47 tag in the documentation, an object `{ country, language }` in practice. */
  locale?:
    | string
    | {
        /** Country code, e.g. `US`. */
        country?: string;
        /** Language code, e.g. `en`. */
        language?: string;
      };
  [key: string]: unknown;
}

/**
 * Client options for "Sign In with LinkedIn using OpenID Connect".
 * Env keys: `LINKEDIN_CLIENT_ID`, `LINKEDIN_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `www` (https://www.linkedin.com), `api` (https://api.linkedin.com).
 *
 * Quirks: the token endpoint wants the credentials in the body
 * (`client_secret_post`); PKCE is for native apps only, so none is sent;
 * refresh tokens are for approved partners only; `locale` is an object.
 *
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { linkedin: presets.linkedin() } });
 * ```
 * @see https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export const linkedin = definePreset<'www' | 'api'>({
  name: 'linkedin',
  title: 'LinkedIn',
  docs: 'https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2',
  protocol: 'oidc',
  hosts: { www: 'https://www.linkedin.com', api: 'https://api.linkedin.com' },
  pkce: false,
  clientAuth: 'client_secret_post',
  scope: 'openid profile email',
  refresh: false,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture'],
  quirks: [
    {
      id: 'linkedin-locale-object',
      summary: '`locale` comes as `{ country, language }`: mapped to `en-US`',
    },
  ],
  endpoints: (h) => ({
    serverMetadataUrl: `${h.www}/oauth/.well-known/openid-configuration`,
    authorizeUrl: `${h.www}/oauth/v2/authorization`,
    accessTokenUrl: `${h.www}/oauth/v2/accessToken`,
    revocationEndpoint: `${h.www}/oauth/v2/revoke`,
    apiBaseUrl: `${h.api}/v2/`,
    userinfoEndpoint: `${h.api}/v2/userinfo`,
  }),
  profile: (user) => linkedinProfile(user),
});

/**
 * Maps LinkedIn's claims to standard claims; an object `locale` becomes a
 * BCP 47 tag (`en-US`).
 *
 * @param raw - a {@link LinkedInProfile}: ID token claims or the UserInfo response
 * @throws {InvalidResponseError} when `raw` is not an object or has no `sub`
 */
export function linkedinProfile(raw: Record<string, unknown>): StandardClaims {
  const user = assertProfileObject(raw, USERINFO_URL);
  const name = displayName(user);
  return compact({
    sub: requireSub(toSub(user.sub), USERINFO_URL),
    name,
    given_name: optionalString(user.given_name),
    family_name: optionalString(user.family_name),
    email: optionalString(user.email),
    email_verified: optionalBoolean(user.email_verified),
    picture: optionalString(user.picture),
    locale: toLocale(user.locale),
  });
}

function toLocale(value: unknown): string | undefined {
  if (typeof value === 'string') return optionalString(value);
  if (typeof value !== 'object' || value === null) return undefined;
  const { language, country } = value as { language?: unknown; country?: unknown };
  const lang = optionalString(language);
  if (!lang) return undefined;
  const region = optionalString(country);
  return region ? `${lang}-${region}` : lang;
}
