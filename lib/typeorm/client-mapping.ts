import type { JSONWebKeySet } from 'jose';
import type { ClientAuthMethod } from '../core/oauth2/client-auth.js';
import type { OAuth2ServerClient } from '../server/oauth2/oauth2-server-client.js';
import type { ClientSecretCipher } from './client-secret-cipher.js';
import { OAuth2ClientEntity } from './entities/oauth2-client.entity.js';

/** The row of a client, its secret already in stored form (hash or sealed). */
export function clientToEntity(
  client: Omit<OAuth2ServerClient, 'clientSecret'>,
  secret: { hash?: string; sealed?: string },
  createdAt: number,
): OAuth2ClientEntity {
  const row = new OAuth2ClientEntity();
  row.clientId = client.clientId;
  row.clientSecretHash = secret.hash ?? null;
  row.clientSecretEncrypted = secret.sealed ?? null;
  row.clientSecretExpiresAt = client.clientSecretExpiresAt || null;
  row.confidential = client.confidential ?? null;
  row.redirectUris = [...client.redirectUris];
  row.defaultRedirectUri = client.defaultRedirectUri ?? null;
  row.defaultScopes = client.defaultScopes ? [...client.defaultScopes] : null;
  row.allowedScopes = client.allowedScopes ? [...client.allowedScopes] : null;
  row.allowedGrantTypes = client.allowedGrantTypes ? [...client.allowedGrantTypes] : null;
  row.allowedResponseTypes = client.allowedResponseTypes ? [...client.allowedResponseTypes] : null;
  row.tokenEndpointAuthMethod = client.tokenEndpointAuthMethod ?? null;
  row.tokenEndpointAuthSigningAlg = client.tokenEndpointAuthSigningAlg ?? null;
  row.jwks = (client.jwks as OAuth2ClientEntity['jwks']) ?? null;
  row.jwksUri = client.jwksUri ?? null;
  row.idTokenSignedResponseAlg = client.idTokenSignedResponseAlg ?? null;
  row.clientName = client.clientName ?? null;
  row.createdAt = createdAt;
  return row;
}

/**
 * The client the server sees, from its row: absent columns are left out (so
 * the server's defaults apply). A sealed `client_secret_jwt` secret is opened
 * with `cipher`; without the cipher (or with the wrong key) the client has no
 * usable secret and its assertions fail, closed.
 */
export function entityToClient(
  row: OAuth2ClientEntity,
  cipher: ClientSecretCipher | undefined,
): OAuth2ServerClient {
  const client: OAuth2ServerClient = {
    clientId: row.clientId,
    redirectUris: row.redirectUris ?? [],
  };
  if (row.clientSecretHash !== null) client.clientSecretHash = row.clientSecretHash;
  if (row.clientSecretEncrypted !== null && cipher) {
    const secret = cipher.open(row.clientId, row.clientSecretEncrypted);
    if (secret !== undefined) client.clientSecret = secret;
  }
  if (row.clientSecretExpiresAt !== null) client.clientSecretExpiresAt = row.clientSecretExpiresAt;
  if (row.confidential !== null) client.confidential = row.confidential;
  if (row.defaultRedirectUri !== null) client.defaultRedirectUri = row.defaultRedirectUri;
  if (row.defaultScopes !== null) client.defaultScopes = row.defaultScopes;
  if (row.allowedScopes !== null) client.allowedScopes = row.allowedScopes;
  if (row.allowedGrantTypes !== null) client.allowedGrantTypes = row.allowedGrantTypes;
  if (row.allowedResponseTypes !== null) client.allowedResponseTypes = row.allowedResponseTypes;
  if (row.tokenEndpointAuthMethod !== null) {
    client.tokenEndpointAuthMethod = row.tokenEndpointAuthMethod as ClientAuthMethod;
  }
  if (row.tokenEndpointAuthSigningAlg !== null) {
    client.tokenEndpointAuthSigningAlg = row.tokenEndpointAuthSigningAlg;
  }
  if (row.jwks !== null) client.jwks = row.jwks as unknown as JSONWebKeySet;
  if (row.jwksUri !== null) client.jwksUri = row.jwksUri;
  if (row.idTokenSignedResponseAlg !== null) {
    client.idTokenSignedResponseAlg = row.idTokenSignedResponseAlg;
  }
  if (row.clientName !== null) client.clientName = row.clientName;
  return client;
}
