import type {
  OAuth2AuthorizationGrant,
  OAuth2TokenRecord,
} from '../server/oauth2/oauth2-server-storage.js';
import { OAuth2GrantEntity } from './entities/oauth2-grant.entity.js';
import { OAuth2TokenEntity } from './entities/oauth2-token.entity.js';

/** The end-user authentication a grant and its tokens carry (for ID tokens). */
type Authentication = Pick<OAuth2AuthorizationGrant, 'authTime' | 'acr' | 'amr'>;

/** The columns of that authentication, in a grant or token row. */
type AuthenticationColumns = Pick<OAuth2GrantEntity, 'authTime' | 'acr' | 'amr'>;

/** Sets a row's authentication columns from a grant or token (`null` when absent). */
function setAuthenticationColumns(row: AuthenticationColumns, record: Authentication): void {
  row.authTime = record.authTime ?? null;
  row.acr = record.acr ?? null;
  row.amr = record.amr ? [...record.amr] : null;
}

/** Sets a grant's or token's authentication from a row, absent columns left out. */
function readAuthenticationColumns(row: AuthenticationColumns, record: Authentication): void {
  if (row.authTime !== null) record.authTime = row.authTime;
  if (row.acr !== null) record.acr = row.acr;
  if (row.amr !== null) record.amr = row.amr;
}

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
  setAuthenticationColumns(row, grant);
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
  readAuthenticationColumns(row, grant);
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
  setAuthenticationColumns(row, token);
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
  readAuthenticationColumns(row, token);
  return token;
}
