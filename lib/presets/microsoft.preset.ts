import { definePreset } from './define-preset.js';
import type { PresetOptions, StandardClaims } from './preset.interface.js';
import {
  displayName,
  assertProfileObject,
  compact,
  siteUrl,
  optionalString,
  requireSub,
  toSub,
} from './preset.util.js';

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
export interface MicrosoftPresetOptions extends PresetOptions<'login' | 'graph'> {
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
 * Env keys: `MICROSOFT_CLIENT_ID`, `MICROSOFT_CLIENT_SECRET`. Hosts for
 * `baseUrls`: `login` (https://login.microsoftonline.com), `graph`.
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
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { microsoft: presets.microsoft({ tenant: 'contoso.onmicrosoft.com' }) } });
 * ```
 * @see https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export const microsoft = definePreset<'login' | 'graph', MicrosoftPresetOptions>({
  name: 'microsoft',
  title: 'Microsoft Entra ID',
  docs: 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc',
  protocol: 'oidc',
  hosts: { login: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com' },
  pkce: 'S256',
  scope: 'openid email profile offline_access',
  refresh: true,
  fields: ['sub', 'name', 'email', 'picture', 'preferred_username'],
  quirks: [
    {
      id: 'microsoft-tenant-issuer',
      summary:
        '`tenant` picks the authority; `common`/`organizations` issuers are `{tenantid}` templates checked against `tid`',
    },
  ],
  params: ['tenant', 'authority'],
  endpoints: (h, { tenant = 'common', authority }) => {
    const host = authority ? siteUrl(authority, 'presets.microsoft(): authority') : h.login;
    const base = `${host}/${encodeURIComponent(tenant)}`;
    return {
      serverMetadataUrl: `${base}/v2.0/.well-known/openid-configuration`,
      authorizeUrl: `${base}/oauth2/v2.0/authorize`,
      accessTokenUrl: `${base}/oauth2/v2.0/token`,
      apiBaseUrl: `${h.graph}/v1.0/`,
      userinfoEndpoint: `${h.graph}/oidc/userinfo`,
    };
  },
  profile: (user) => microsoftProfile(user),
});

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
