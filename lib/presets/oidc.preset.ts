import { definePreset } from './define-preset.js';
import type { PresetOptions, StandardClaims } from './preset.interface.js';
import {
  assertProfileObject,
  compact,
  optionalBoolean,
  optionalString,
  presetError,
  requireSub,
  toSub,
} from './preset.util.js';

/** The claims of OpenID Connect Core §5.1 that {@link oidcProfile} keeps. */
const STANDARD_CLAIMS = [
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'email',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
] as const;

/** Options of `presets.oidc()`: the provider's issuer or its discovery document, and any client option. */
export interface OidcPresetOptions extends PresetOptions<never> {
  /**
   * The issuer identifier (`https://login.example.com/realms/main`); the
   * discovery document is read from `{issuer}/.well-known/openid-configuration`.
   */
  issuer?: string;
  /** The discovery (or RFC 8414) document itself; wins over `issuer`. */
  serverMetadataUrl?: string;
}

/**
 * Client options for any OpenID Connect provider (a local `oidc-provider`,
 * Dex, ...; Keycloak, Auth0, Okta, Authentik and Zitadel have presets of
 * their own): the endpoints come from its discovery document. Env keys:
 * `{NAME}_CLIENT_ID`, `{NAME}_CLIENT_SECRET` for the name you register it under.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) without an `issuer` or
 *   `serverMetadataUrl`, or when it is not an absolute http(s) URL
 * @example
 * ```ts
 * OAuthModule.forRoot({ clients: { sso: presets.oidc({ issuer: 'https://sso.example.com/realms/main' }) } });
 * ```
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export const oidc = definePreset<never, OidcPresetOptions>({
  name: 'oidc',
  title: 'Any OpenID Connect provider',
  docs: 'https://openid.net/specs/openid-connect-discovery-1_0.html',
  protocol: 'oidc',
  hosts: {},
  pkce: 'S256',
  scope: 'openid email profile',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'picture', 'preferred_username', 'profile'],
  params: ['issuer', 'serverMetadataUrl'],
  example: { issuer: 'https://sso.example.com' },
  endpoints: (_h, { issuer, serverMetadataUrl }) => {
    const metadataUrl = serverMetadataUrl ?? (issuer ? discoveryUrl(issuer) : undefined);
    if (!metadataUrl) throw presetError('presets.oidc() needs an issuer or a serverMetadataUrl');
    assertHttpUrl(metadataUrl);
    return { serverMetadataUrl: metadataUrl };
  },
  profile: (user) => oidcProfile(user),
});

/**
 * The discovery URL of an issuer: `/.well-known/openid-configuration`
 * appended to the issuer, path included (OpenID Connect Discovery §4).
 *
 * @param issuer - the issuer identifier
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationRequest
 */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * Keeps the standard claims (OpenID Connect Core §5.1) of an ID token or a
 * UserInfo response: protocol claims (`iss`, `aud`, `nonce`, ...) are
 * dropped, `email_verified` given as a string becomes a boolean.
 *
 * @param raw - ID token claims or the UserInfo response
 * @throws {InvalidResponseError} when `raw` is not an object or has no `sub`
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
export function oidcProfile(raw: Record<string, unknown>): StandardClaims {
  const user = assertProfileObject(raw, 'userinfo');
  const claims: StandardClaims = { sub: requireSub(toSub(user.sub), 'userinfo') };
  for (const key of STANDARD_CLAIMS) {
    const value = optionalString(user[key]);
    if (value !== undefined) claims[key] = value;
  }
  claims.email_verified = optionalBoolean(user.email_verified);
  claims.phone_number_verified = optionalBoolean(user.phone_number_verified);
  if (typeof user.address === 'object' && user.address !== null) claims.address = user.address;
  if (typeof user.updated_at === 'number') claims.updated_at = user.updated_at;
  return compact(claims);
}

function assertHttpUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw presetError('presets.oidc(): the issuer / serverMetadataUrl is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw presetError('presets.oidc(): the issuer / serverMetadataUrl must be an http(s) URL');
  }
}
