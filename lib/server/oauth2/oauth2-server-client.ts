import type { JSONWebKeySet } from 'jose';
import type { ClientAuthMethod } from '../../core/oauth2/client-auth.js';

/**
 * A registered client, as the storage's `getClient` returns it: the seed's
 * client object (`client_id`, `client_secret`, `client_type`,
 * `redirect_uris`, `default_redirect_uri`, `default_scopes`,
 * `allowed_grant_types`, `allowed_response_types`) plus what key-based client
 * authentication needs. Every list defaults to the safe choice.
 *
 * Client secrets: keep `clientSecretHash` (from `hashClientSecret`) for
 * `client_secret_basic` / `client_secret_post`, so the store never holds a
 * usable secret. Only `client_secret_jwt` needs the secret in clear
 * (`clientSecret`: it is the HMAC key the client signs with).
 */
export interface OAuth2ServerClient {
  /** The client identifier (RFC 6749 §2.2). */
  clientId: string;
  /** The SHA-256 of the secret (`hashClientSecret(secret)`), for the secret-based methods. */
  clientSecretHash?: string;
  /** The secret in clear: needed only by `client_secret_jwt` (it is the HMAC key). Prefer `clientSecretHash` otherwise. */
  clientSecret?: string;
  /** When the secret stops working, epoch seconds; `0` or absent: never. */
  clientSecretExpiresAt?: number;
  /**
   * Whether the client can keep a secret (RFC 6749 §2.1). Default: `true`
   * unless `tokenEndpointAuthMethod` is `none`. A public client must use PKCE
   * and never gets `client_credentials`.
   */
  confidential?: boolean;
  /** Redirect URIs, compared exactly (RFC 6749 §3.1.2, no prefix or pattern matching). */
  redirectUris: readonly string[];
  /** The redirect URI used when a request names none (else the only registered one). */
  defaultRedirectUri?: string;
  /** Scopes granted when a request names none. */
  defaultScopes?: readonly string[];
  /** Scopes the client may ask for (default: `defaultScopes`, as in the seed). */
  allowedScopes?: readonly string[];
  /**
   * Grant types the client may use at the token endpoint (default
   * `['authorization_code', 'refresh_token']`); also `client_credentials`,
   * `password`, `urn:ietf:params:oauth:grant-type:jwt-bearer`. A refresh
   * token is issued only to clients listing `refresh_token`.
   */
  allowedGrantTypes?: readonly string[];
  /**
   * Response types the client may request (default `['code']`). Implicit and
   * hybrid responses (`token`, `id_token`, `code id_token`, ...) only when listed here.
   */
  allowedResponseTypes?: readonly string[];
  /** How the client authenticates at the token endpoint (default `client_secret_basic`, or `none` for a public client). */
  tokenEndpointAuthMethod?: ClientAuthMethod;
  /** The only algorithm accepted on the client's assertions, if set (`RS256`, `ES256`, `HS256`, ...). */
  tokenEndpointAuthSigningAlg?: string;
  /** The client's public keys, for `private_key_jwt` and JWT bearer grants. */
  jwks?: JSONWebKeySet;
  /** Where the client publishes its public keys (fetched and cached), if not `jwks`. */
  jwksUri?: string;
  /** The algorithm of this client's ID tokens (default: RS256 when the server has an RSA key, else its first key's). */
  idTokenSignedResponseAlg?: string;
  /** A display name for the consent page. */
  clientName?: string;
}

const DEFAULT_GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;
const DEFAULT_RESPONSE_TYPES = ['code'] as const;

/** The client's authentication method, with its default. */
export function clientAuthMethod(client: OAuth2ServerClient): ClientAuthMethod {
  return (
    client.tokenEndpointAuthMethod ??
    (client.confidential === false ? 'none' : 'client_secret_basic')
  );
}

/** Whether the client is public (cannot keep a secret). */
export function isPublicClient(client: OAuth2ServerClient): boolean {
  return client.confidential === false || clientAuthMethod(client) === 'none';
}

/** Whether the client may use a grant type. */
export function allowsGrantType(client: OAuth2ServerClient, grantType: string): boolean {
  return (client.allowedGrantTypes ?? DEFAULT_GRANT_TYPES).includes(grantType);
}

/** Whether the client may request a (normalized) response type. */
export function allowsResponseType(client: OAuth2ServerClient, responseType: string): boolean {
  return (client.allowedResponseTypes ?? DEFAULT_RESPONSE_TYPES).some(
    (allowed) => normalizeResponseType(allowed) === responseType,
  );
}

/** A response type with its values sorted (`id_token code` and `code id_token` are the same). */
export function normalizeResponseType(responseType: string): string {
  return responseType.split(' ').filter(Boolean).sort().join(' ');
}
