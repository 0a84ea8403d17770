import type { ServerRequest } from '../http/server-request.js';
import { authenticateClient } from './client-authentication.js';
import { invalidClient } from './errors.js';
import { readFormRequest } from './form-request.js';
import { isPublicClient } from './oauth2-server-client.js';
import { formatScope } from './scope.js';
import type { ServerContext } from './server-context.js';
import { findToken, isActive } from './token-lookup.js';

/**
 * The introspection endpoint (RFC 7662): for authenticated confidential
 * clients (resource servers register as such); public clients are refused
 * (`invalid_client`). An unknown, revoked or expired token is
 * `{ "active": false }` and nothing more.
 *
 * @returns the RFC 7662 §2.2 response body
 * @throws {OAuth2ServerError}
 */
export async function handleIntrospectionRequest(
  ctx: ServerContext,
  request: ServerRequest,
): Promise<Record<string, unknown>> {
  const params = readFormRequest(request);
  const endpoint = ctx.endpoints.introspection ?? ctx.endpoints.token;
  const { client } = (await authenticateClient(ctx, request, params, endpoint))!;
  if (isPublicClient(client)) throw invalidClient('a public client cannot introspect tokens');
  const token = params.require('token');
  const found = await findToken(ctx, token, params.get('token_type_hint'));
  if (!found || !isActive(found, ctx.now())) return { active: false };
  const { record, kind } = found;
  const body: Record<string, unknown> = {
    active: true,
    scope: formatScope(record.scope),
    client_id: record.clientId,
    exp: kind === 'access_token' ? record.accessTokenExpiresAt : record.refreshTokenExpiresAt,
    iat: record.issuedAt,
    iss: ctx.issuer,
    aud: record.clientId,
  };
  if (kind === 'access_token') body.token_type = 'Bearer';
  if (record.subject !== undefined) body.sub = record.subject;
  if (record.authTime !== undefined) body.auth_time = record.authTime;
  if (record.acr !== undefined) body.acr = record.acr;
  return body;
}
