import { HMAC_ALGORITHMS, KEY_ALGORITHMS } from './jwt-assertion.js';
import type { ServerContext } from './server-context.js';
import { SCOPE_CLAIMS } from '../../core/oidc/scope-claims.js';

const AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
];
const ASSERTION_ALGS = [...HMAC_ALGORITHMS, ...KEY_ALGORITHMS];

/**
 * The server's metadata: RFC 8414 and OpenID Connect Discovery 1.0 §3, served
 * at `/.well-known/oauth-authorization-server` and
 * `/.well-known/openid-configuration`. Disabled endpoints are left out.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414.html#section-2
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export function serverMetadata(ctx: ServerContext): Record<string, unknown> {
  const { endpoints, options } = ctx;
  const oidc = ctx.keys.algorithms.length > 0;
  const metadata: Record<string, unknown> = {
    issuer: ctx.issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
  };
  if (endpoints.jwks && oidc) metadata.jwks_uri = endpoints.jwks;
  if (endpoints.userinfo && oidc) metadata.userinfo_endpoint = endpoints.userinfo;
  if (endpoints.revocation) {
    metadata.revocation_endpoint = endpoints.revocation;
    metadata.revocation_endpoint_auth_methods_supported = AUTH_METHODS;
    metadata.revocation_endpoint_auth_signing_alg_values_supported = ASSERTION_ALGS;
  }
  if (endpoints.introspection) {
    metadata.introspection_endpoint = endpoints.introspection;
    metadata.introspection_endpoint_auth_methods_supported = AUTH_METHODS.filter(
      (m) => m !== 'none',
    );
    metadata.introspection_endpoint_auth_signing_alg_values_supported = ASSERTION_ALGS;
  }
  const scopes =
    options.scopesSupported ?? (oidc ? ['openid', ...Object.keys(SCOPE_CLAIMS)] : undefined);
  if (scopes) metadata.scopes_supported = scopes;
  metadata.response_types_supported = ctx.responseTypesSupported;
  metadata.response_modes_supported = ['query', 'fragment', 'form_post'];
  metadata.grant_types_supported = ctx.grantTypesSupported;
  metadata.token_endpoint_auth_methods_supported = AUTH_METHODS;
  metadata.token_endpoint_auth_signing_alg_values_supported = ASSERTION_ALGS;
  metadata.code_challenge_methods_supported = options.allowPlainPkce ? ['S256', 'plain'] : ['S256'];
  metadata.authorization_response_iss_parameter_supported = true;
  if (oidc) {
    metadata.subject_types_supported = ['public'];
    metadata.id_token_signing_alg_values_supported = ctx.keys.algorithms;
    metadata.claims_supported = options.claimsSupported ?? [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'acr',
      'amr',
      'azp',
      ...Object.values(SCOPE_CLAIMS).flat(),
    ];
    metadata.claims_parameter_supported = false;
    metadata.request_parameter_supported = false;
    metadata.request_uri_parameter_supported = false;
  }
  return metadata;
}

/**
 * The paths at which the metadata is served for an issuer: RFC 8414 §3
 * inserts `/.well-known/oauth-authorization-server` between host and path;
 * OpenID Connect Discovery §4 appends `/.well-known/openid-configuration`.
 */
export function metadataPaths(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return [
    `/.well-known/oauth-authorization-server${path}`,
    `${path}/.well-known/openid-configuration`,
  ];
}
