import type { OAuth2TokenRecord } from './oauth2-server-storage.js';
import type { ServerContext } from './server-context.js';
import { hashToken } from './token-hash.js';

/** A token found in the storage, and which of the pair it was. */
export interface FoundToken {
  /** The record. */
  record: OAuth2TokenRecord;
  /** Whether the value was the access or the refresh token. */
  kind: 'access_token' | 'refresh_token';
}

/**
 * Finds a token by its value (hashed first), trying the hinted kind first
 * (RFC 7009 §2.1, RFC 7662 §2.1: an unknown or wrong hint only changes the order).
 * Revoked and expired records are returned as they are: the caller decides.
 */
export async function findToken(
  ctx: ServerContext,
  token: string,
  hint?: string,
): Promise<FoundToken | undefined> {
  const hash = hashToken(token);
  const order: FoundToken['kind'][] =
    hint === 'refresh_token'
      ? ['refresh_token', 'access_token']
      : ['access_token', 'refresh_token'];
  for (const kind of order) {
    const record =
      kind === 'access_token'
        ? await ctx.storage.getToken({ accessTokenHash: hash })
        : await ctx.storage.getToken({ refreshTokenHash: hash });
    // Never trust a storage that answered for another hash.
    if (
      record &&
      (kind === 'access_token' ? record.accessTokenHash : record.refreshTokenHash) === hash
    ) {
      return { record, kind };
    }
  }
  return undefined;
}

/** Whether a token of the record is usable now: not revoked, not expired. */
export function isActive(found: FoundToken, now: number): boolean {
  const { record, kind } = found;
  if (record.revoked) return false;
  const expiresAt =
    kind === 'access_token' ? record.accessTokenExpiresAt : record.refreshTokenExpiresAt;
  return expiresAt === undefined || expiresAt > now;
}

/**
 * The record of an access token that is usable now (not revoked, not
 * expired), or `undefined`: what a resource server checks a bearer token with.
 */
export async function findActiveAccessToken(
  ctx: ServerContext,
  token: string,
): Promise<OAuth2TokenRecord | undefined> {
  const hash = hashToken(token);
  const record = await ctx.storage.getToken({ accessTokenHash: hash });
  if (!record || record.accessTokenHash !== hash) return undefined;
  return isActive({ record, kind: 'access_token' }, ctx.now()) ? record : undefined;
}
