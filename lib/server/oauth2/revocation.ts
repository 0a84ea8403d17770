import type { ServerRequest } from '../http/server-request.js';
import { authenticateClient } from './client-authentication.js';
import { OAuth2ServerError } from './errors.js';
import { readFormRequest } from './form-request.js';
import type { ServerContext } from './server-context.js';
import { findToken } from './token-lookup.js';

/**
 * The revocation endpoint (RFC 7009): the client authenticates as at the
 * token endpoint (a public client with its `client_id`); an unknown token is
 * a success; a token of another client is refused. Revoking a refresh token
 * revokes its whole family (every access token from the same grant, §2.1);
 * revoking an access token revokes its pair.
 *
 * @throws {OAuth2ServerError}
 */
export async function handleRevocationRequest(
  ctx: ServerContext,
  request: ServerRequest,
): Promise<void> {
  const params = readFormRequest(request);
  const endpoint = ctx.endpoints.revocation ?? ctx.endpoints.token;
  const authenticated = await authenticateClient(ctx, request, params, endpoint);
  const { client } = authenticated!;
  const token = params.require('token');
  const found = await findToken(ctx, token, params.get('token_type_hint'));
  if (!found) return;
  if (found.record.clientId !== client.clientId) {
    throw new OAuth2ServerError('unauthorized_client', 'the token was issued to another client');
  }
  if (found.kind === 'refresh_token')
    await ctx.storage.revokeToken({ familyId: found.record.familyId });
  else await ctx.storage.revokeToken({ id: found.record.id });
}
