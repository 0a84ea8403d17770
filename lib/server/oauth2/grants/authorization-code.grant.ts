import { createCodeChallenge, isCodeVerifier } from '../../../core/oauth2/pkce.js';
import { invalidGrant } from '../errors.js';
import { allowsGrantType } from '../oauth2-server-client.js';
import { constantTimeEqual } from '../../../core/util/constant-time.js';
import { hashToken } from '../token-hash.js';
import { issueTokens } from '../token-issuer.js';
import type { GrantHandler } from './grant.js';

/** Replay-cache key prefix of a code presented after it was redeemed (or never issued). */
const REPLAYED = 'oauth2:code-replayed:';

/**
 * The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.6): the code is
 * taken from its store once (a second redemption finds nothing), must belong
 * to the client, be unexpired, come with the same `redirect_uri` as the
 * authorization request, and with the `code_verifier` of its PKCE challenge.
 * A code that is not found is treated as a replay: every token issued from it
 * is revoked (RFC 6749 §4.1.2), also the tokens of a first redemption that
 * runs at the same time (the replay leaves a mark in the replay cache, which
 * that redemption checks after saving its tokens).
 */
export const authorizationCodeGrant: GrantHandler = async ({ ctx, client, params }) => {
  const code = params.require('code');
  const redirectUri = params.get('redirect_uri');
  const verifier = params.get('code_verifier');
  const codeHash = hashToken(code);
  const grant = await ctx.codes.take(codeHash);
  if (!grant) {
    // Unknown, expired or already redeemed: revoke what a first redemption issued (family =
    // code hash). The mark comes first: a first redemption still in flight, whose tokens are
    // not saved yet, finds it after saving them and revokes them itself.
    await ctx.replay.set(REPLAYED + codeHash, 1, ctx.codeExpiresIn);
    await ctx.storage.revokeToken({ familyId: codeHash });
    throw invalidGrant('the code is invalid, expired or already used');
  }
  if (grant.clientId !== client.clientId)
    throw invalidGrant('the code was issued to another client');
  if (grant.expiresAt <= ctx.now())
    throw invalidGrant('the code is invalid, expired or already used');
  if (
    grant.redirectUri !== undefined ? redirectUri !== grant.redirectUri : redirectUri !== undefined
  ) {
    throw invalidGrant('the redirect_uri does not match the authorization request');
  }
  if (grant.codeChallenge !== undefined) {
    if (verifier === undefined) throw invalidGrant('the code_verifier is missing');
    if (!isCodeVerifier(verifier)) throw invalidGrant('the code_verifier is malformed');
    const method = grant.codeChallengeMethod ?? 'plain';
    if (!constantTimeEqual(createCodeChallenge(verifier, method), grant.codeChallenge)) {
      throw invalidGrant('the code_verifier does not match the code_challenge');
    }
  } else if (verifier !== undefined) {
    // A verifier for a code issued without a challenge: a PKCE downgrade attempt.
    throw invalidGrant('the code was issued without a code_challenge');
  }
  const issued = await issueTokens(ctx, {
    client,
    scope: grant.scope,
    subject: grant.subject,
    familyId: codeHash,
    refreshToken: allowsGrantType(client, 'refresh_token'),
    idToken: grant.scope.includes('openid'),
    nonce: grant.nonce,
    authTime: grant.authTime,
    acr: grant.acr,
    amr: grant.amr,
  });
  const replayed = await ctx.replay.get(REPLAYED + codeHash);
  if (replayed !== undefined && replayed !== null) {
    // The code was presented again while this redemption ran: a replay, whose revocation may
    // have come before these tokens were saved. The one redemption answers, with revoked tokens.
    await ctx.storage.revokeToken({ familyId: codeHash });
  }
  return issued.body;
};
