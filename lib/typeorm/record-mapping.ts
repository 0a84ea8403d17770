import type {
  OAuth2AuthorizationGrant,
  OAuth2TokenRecord,
} from '../server/oauth2/oauth2-server-storage.js';
import { OAuth2GrantEntity } from './entities/oauth2-grant.entity.js';
import { OAuth2TokenEntity } from './entities/oauth2-token.entity.js';

/** The row of an authorization code grant. */
export function grantToEntity(grant: OAuth2AuthorizationGrant): OAuth2GrantEntity {
  const row = new OAuth2GrantEntity();
  row.codeHash = grant.codeHash;
  row.clientId = grant.clientId;
  row.subject = grant.subject;
  row.scope = [...grant.scope];
  row.redirectUri = grant.redirectUri ?? null;
  row.expiresAt = grant.expiresAt;
  row.codeChallenge = grant.codeChallenge ?? null;
  row.codeChallengeMethod = grant.codeChallengeMethod ?? null;
  row.nonce = grant.nonce ?? null;
  row.authTime = grant.authTime ?? null;
  row.acr = grant.acr ?? null;
  row.amr = grant.amr ? [...grant.amr] : null;
  return row;
}

/** The grant of a row, absent columns left out. */
export function entityToGrant(row: OAuth2GrantEntity): OAuth2AuthorizationGrant {
  const grant: OAuth2AuthorizationGrant = {
    codeHash: row.codeHash,
    clientId: row.clientId,
    subject: row.subject,
    scope: row.scope,
    expiresAt: row.expiresAt,
  };
  if (row.redirectUri !== null) grant.redirectUri = row.redirectUri;
  if (row.codeChallenge !== null) grant.codeChallenge = row.codeChallenge;
  if (row.codeChallengeMethod !== null) {
    grant.codeChallengeMethod = row.codeChallengeMethod as 'S256' | 'plain';
  }
  if (row.nonce !== null) grant.nonce = row.nonce;
  if (row.authTime !== null) grant.authTime = row.authTime;
  if (row.acr !== null) grant.acr = row.acr;
  if (row.amr !== null) grant.amr = row.amr;
  return grant;
}

/** The row of a token record (a new one: not revoked). */
export function tokenToEntity(token: OAuth2TokenRecord): OAuth2TokenEntity {
  const row = new OAuth2TokenEntity();
  row.id = token.id;
  row.familyId = token.familyId;
  row.clientId = token.clientId;
  row.subject = token.subject ?? null;
  row.scope = [...token.scope];
  row.accessTokenHash = token.accessTokenHash;
  row.accessTokenExpiresAt = token.accessTokenExpiresAt;
  row.refreshTokenHash = token.refreshTokenHash ?? null;
  row.refreshTokenExpiresAt = token.refreshTokenExpiresAt ?? null;
  row.issuedAt = token.issuedAt;
  row.authTime = token.authTime ?? null;
  row.acr = token.acr ?? null;
  row.amr = token.amr ? [...token.amr] : null;
  row.revoked = token.revoked === true;
  row.revokedAt = null;
  row.expiresAt = Math.max(token.accessTokenExpiresAt, token.refreshTokenExpiresAt ?? 0);
  return row;
}

/** The record of a row, `revoked` always set, absent columns left out. */
export function entityToToken(row: OAuth2TokenEntity): OAuth2TokenRecord {
  const token: OAuth2TokenRecord = {
    id: row.id,
    familyId: row.familyId,
    clientId: row.clientId,
    scope: row.scope,
    accessTokenHash: row.accessTokenHash,
    accessTokenExpiresAt: row.accessTokenExpiresAt,
    issuedAt: row.issuedAt,
    revoked: Boolean(row.revoked),
  };
  if (row.subject !== null) token.subject = row.subject;
  if (row.refreshTokenHash !== null) token.refreshTokenHash = row.refreshTokenHash;
  if (row.refreshTokenExpiresAt !== null) token.refreshTokenExpiresAt = row.refreshTokenExpiresAt;
  if (row.authTime !== null) token.authTime = row.authTime;
  if (row.acr !== null) token.acr = row.acr;
  if (row.amr !== null) token.amr = row.amr;
  return token;
}
