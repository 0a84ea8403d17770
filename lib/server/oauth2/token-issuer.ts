import { signIdToken } from './id-token-issuer.js';
import type { OAuth2ServerClient } from './oauth2-server-client.js';
import type { OAuth2TokenRecord } from './oauth2-server-storage.js';
import { formatScope } from './scope.js';
import type { ServerContext } from './server-context.js';
import { generateToken, hashToken } from './token-hash.js';

/** What a grant hands to {@link issueTokens}. */
export interface IssueTokensInput {
  /** The client. */
  client: OAuth2ServerClient;
  /** The granted scopes. */
  scope: string[];
  /** The user, if any. */
  subject?: string;
  /** The family to join (a code's hash, a refreshed record's family); default a new one. */
  familyId?: string;
  /** Whether to issue a refresh token. */
  refreshToken: boolean;
  /** Whether to issue an ID token (scope `openid` with a user). */
  idToken?: boolean;
  /** The `nonce` for the ID token. */
  nonce?: string;
  /** Authentication time, epoch seconds. */
  authTime?: number;
  /** Authentication context class reference. */
  acr?: string;
  /** Authentication methods. */
  amr?: string[];
}

/** The outcome of {@link issueTokens}. */
export interface IssuedTokens {
  /** The RFC 6749 §5.1 response body. */
  body: Record<string, unknown>;
  /** The record saved (hashes only). */
  record: OAuth2TokenRecord;
  /** The access token in clear (for `at_hash`). */
  accessToken: string;
}

/**
 * Creates an access token (and a refresh token, an ID token when asked),
 * saves the record holding their **hashes** through `storage.saveToken`, and
 * returns the response body with the values in clear: the only place they
 * exist after this call.
 */
export async function issueTokens(
  ctx: ServerContext,
  input: IssueTokensInput,
): Promise<IssuedTokens> {
  const now = ctx.now();
  const generatorContext = { client: input.client, scope: input.scope, subject: input.subject };
  const accessToken = ctx.options.tokenGenerator?.(generatorContext) ?? generateToken();
  const refreshToken = input.refreshToken
    ? (ctx.options.refreshTokenGenerator?.(generatorContext) ?? generateToken())
    : undefined;
  const record: OAuth2TokenRecord = {
    id: generateToken(),
    familyId: input.familyId ?? generateToken(),
    clientId: input.client.clientId,
    scope: input.scope,
    accessTokenHash: hashToken(accessToken),
    accessTokenExpiresAt: now + ctx.tokenExpiresIn,
    issuedAt: now,
  };
  if (input.subject !== undefined) record.subject = input.subject;
  if (refreshToken !== undefined) {
    record.refreshTokenHash = hashToken(refreshToken);
    record.refreshTokenExpiresAt = now + ctx.refreshTokenExpiresIn;
  }
  if (input.authTime !== undefined) record.authTime = input.authTime;
  if (input.acr !== undefined) record.acr = input.acr;
  if (input.amr !== undefined) record.amr = input.amr;
  await ctx.storage.saveToken(record);

  const body: Record<string, unknown> = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ctx.tokenExpiresIn,
    scope: formatScope(input.scope),
  };
  if (refreshToken !== undefined) body.refresh_token = refreshToken;
  if (input.idToken && input.subject !== undefined) {
    body.id_token = await signIdToken(ctx, {
      client: input.client,
      subject: input.subject,
      nonce: input.nonce,
      authTime: input.authTime,
      acr: input.acr,
      amr: input.amr,
      accessToken,
    });
  }
  return { body, record, accessToken };
}
