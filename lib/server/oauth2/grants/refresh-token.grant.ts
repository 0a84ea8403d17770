import { invalidGrant, invalidScope } from '../errors.js';
import { isSubset, parseScope } from '../scope.js';
import { hashToken } from '../token-hash.js';
import { issueTokens } from '../token-issuer.js';
import type { GrantHandler } from './grant.js';

/**
 * The refresh token grant with rotation and reuse detection (RFC 6749 §6,
 * RFC 9700 §4.14.2): every refresh revokes the presented token pair and issues
 * a new one in the same family; presenting a revoked (already rotated) refresh
 * token, or losing the race to rotate it, revokes the whole family, including
 * the pair of the request that won the race. The scope may narrow, never widen.
 */
export const refreshTokenGrant: GrantHandler = async ({ ctx, client, params }) => {
  const refreshToken = params.require('refresh_token');
  const requested = parseScope(params.get('scope'));
  const record = await ctx.storage.getToken({ refreshTokenHash: hashToken(refreshToken) });
  if (!record || record.refreshTokenHash !== hashToken(refreshToken)) {
    throw invalidGrant('the refresh token is invalid');
  }
  if (record.clientId !== client.clientId) {
    await ctx.storage.revokeToken({ familyId: record.familyId });
    throw invalidGrant('the refresh token is invalid');
  }
  if (record.revoked) {
    // Reuse of a rotated (or revoked) refresh token: someone holds a copy.
    await ctx.storage.revokeToken({ familyId: record.familyId });
    throw invalidGrant('the refresh token is invalid');
  }
  if (record.refreshTokenExpiresAt !== undefined && record.refreshTokenExpiresAt <= ctx.now()) {
    throw invalidGrant('the refresh token has expired');
  }
  const scope = requested ?? record.scope;
  if (!isSubset(scope, record.scope)) throw invalidScope('the scope exceeds what was granted');
  // The new pair is saved BEFORE the presented one is claimed: whoever then finds the
  // presented one revoked, and revokes the family, revokes the new pair with it. (Claiming
  // first would leave a window where a concurrent reuse revokes the family before the
  // winner's pair exists, and the winner's pair would escape.)
  const issued = await issueTokens(ctx, {
    client,
    scope,
    subject: record.subject,
    familyId: record.familyId,
    refreshToken: true,
    idToken: scope.includes('openid'),
    authTime: record.authTime,
    acr: record.acr,
    amr: record.amr,
  });
  if ((await ctx.storage.revokeToken({ id: record.id })) !== true) {
    // Another request rotated it first: a concurrent reuse. The family includes the pair just saved.
    await ctx.storage.revokeToken({ familyId: record.familyId });
    throw invalidGrant('the refresh token is invalid');
  }
  return issued.body;
};
