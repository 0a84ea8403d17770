import type { OAuthClientOptions } from '../interfaces/oauth-client-options.interface.js';
import type { StandardClaims } from './preset.interface.js';
import {
  displayName,
  assertProfileObject,
  compact,
  mergePreset,
  optionalString,
  requireSub,
  toSub,
} from './preset.util.js';

const AUTHORITY = 'https://login.microsoftonline.com';
const GRAPH_API_URL = 'https://graph.microsoft.com/v1.0/';
const USERINFO_URL = 'https://graph.microsoft.com/oidc/userinfo';

/**
 * Microsoft identity platform (Entra ID) ID token claims / UserInfo response,
 * the fields the mapping reads.
 * @see https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference
 */
export interface MicrosoftProfile {
  /** Pairwise subject: stable per user and application. */
  sub: string;
  /** The user's object id, the same for every application of the tenant. */
  oid?: string;
  /** The tenant id. */
  tid?: string;
  /** Full name. */
  name?: string;
  /** Given (first) name. */
  given_name?: string;
  /** Family (last) name. */
  family_name?: string;
  /** The sign-in name (often an e-mail-shaped UPN, not verified). */
  preferred_username?: string;
  /** The e-mail address, if any (needs the `email` scope; not verified). */
  email?: string;
  /** UserInfo: a Microsoft Graph URL of the photo (fetching it needs the access token). */
  picture?: string;
  [key: string]: unknown;
}

/** Options of `presets.microsoft()`. */
export interface MicrosoftPresetOptions extends OAuthClientOptions {
  /**
   * The tenant: `common` (default: work, school and personal accounts),
   * `organizations`, `consumers`, a tenant id or a domain.
   */
  tenant?: string;
  /** Sign-in host, for national clouds (default `https://login.microsoftonline.com`). */
  authority?: string;
}

/**
 * Client options for the Microsoft identity platform v2.0 (Entra ID,
 * personal Microsoft accounts; OpenID Connect with PKCE).
 * Env keys: `MICROSOFT_CLIENT_ID`, `MICROSOFT_CLIENT_SECRET`.
 *
 * Quirks: a refresh token needs the `offline_access` scope (in the default
 * scope); with `tenant` `common`, `organizations` or `consumers` the
 * discovery document's `issuer` is a template
 * (`https://login.microsoftonline.com/{tenantid}/v2.0`): the core accepts it
 * for that URL and expects each ID token's `iss` to be the template with the
 * token's own `tid` (after the signature check); restrict which tenants may
 * sign in with your own check of `tid`; `email` is optional and unverified
 * (`preferred_username` is not an e-mail address you may trust); `picture`
 * is a Graph URL that needs the access token.
 *
 * @param overrides - options laid over the defaults; `tenant` picks the authority
 * @returns options for `OAuthModule.forRoot({ clients: { microsoft: ... } })`
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { microsoft: presets.microsoft({ tenant: 'contoso.onmicrosoft.com' }) } });
 * ```
 * @see https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export function microsoft(overrides: MicrosoftPresetOptions = {}): OAuthClientOptions {
  const { tenant = 'common', authority = AUTHORITY, ...rest } = overrides;
  const base = `${authority.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}`;
  return mergePreset(
    {
      serverMetadataUrl: `${base}/v2.0/.well-known/openid-configuration`,
      authorizeUrl: `${base}/oauth2/v2.0/authorize`,
      accessTokenUrl: `${base}/oauth2/v2.0/token`,
      apiBaseUrl: GRAPH_API_URL,
      userinfoEndpoint: USERINFO_URL,
      codeChallengeMethod: 'S256',
      clientKwargs: { scope: 'openid email profile offline_access' },
      profile: microsoftProfile,
    },
    rest,
  );
}

/**
 * Maps Microsoft claims to standard claims. `email_verified` is never set:
 * Microsoft does not assert that an e-mail address was verified. `oid` and
 * `tid` are kept (their pair identifies a user across applications).
 *
 * @param raw - a {@link MicrosoftProfile}: ID token claims or the UserInfo response
 * @throws {InvalidResponseError} when `raw` is not an object or has no `sub`
 */
export function microsoftProfile(raw: Record<string, unknown>): StandardClaims {
  const user = assertProfileObject(raw, USERINFO_URL);
  const name = displayName(user);
  return compact({
    sub: requireSub(toSub(user.sub), USERINFO_URL),
    name,
    given_name: optionalString(user.given_name),
    family_name: optionalString(user.family_name),
    email: optionalString(user.email),
    preferred_username: optionalString(user.preferred_username),
    picture: optionalString(user.picture),
    oid: optionalString(user.oid),
    tid: optionalString(user.tid),
  });
}
