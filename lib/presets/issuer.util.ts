/**
 * The endpoints of an OpenID Connect provider whose URLs all hang off one
 * issuer (Okta, Keycloak, ZITADEL, ...): discovery at
 * `{issuer}/.well-known/openid-configuration`, the rest at the given paths.
 */
import type { PresetEndpoints, ProfileField } from './define-preset.js';

/** Paths of an issuer's endpoints, below `base` (default: the issuer). */
export interface IssuerPaths {
  /** The authorization endpoint. */
  authorize: string;
  /** The token endpoint. */
  token: string;
  /** The UserInfo endpoint. */
  userinfo: string;
  /** The RFC 7009 revocation endpoint. */
  revoke?: string;
  /** Where the paths start (default: the issuer). */
  base?: string;
}

/**
 * Builds the discovery URL and endpoints of an issuer.
 *
 * @param issuer - the issuer identifier, without a trailing slash
 * @param paths - the endpoints' paths
 */
export function issuerEndpoints(issuer: string, paths: IssuerPaths): PresetEndpoints {
  const base = paths.base ?? issuer;
  return {
    serverMetadataUrl: `${issuer}/.well-known/openid-configuration`,
    authorizeUrl: `${base}${paths.authorize}`,
    accessTokenUrl: `${base}${paths.token}`,
    userinfoEndpoint: `${base}${paths.userinfo}`,
    ...(paths.revoke ? { revocationEndpoint: `${base}${paths.revoke}` } : {}),
  };
}

/**
 * What identity servers you run or rent (Keycloak, authentik, ZITADEL, Okta)
 * have in common: OpenID Connect with PKCE, refresh tokens, the standard
 * scope and claims. Their presets differ in where the issuer is.
 */
export const IDENTITY_SERVER = {
  protocol: 'oidc',
  pkce: 'S256',
  scope: 'openid email profile',
  refresh: true,
  fields: ['sub', 'name', 'email', 'email_verified', 'preferred_username'] as ProfileField[],
} as const;
