import type { ServerRequest } from '../http/server-request.js';
import { authenticateClient } from './client-authentication.js';
import { invalidGrant, invalidRequest, OAuth2ServerError } from './errors.js';
import { readFormRequest } from './form-request.js';
import { authorizationCodeGrant } from './grants/authorization-code.grant.js';
import { clientCredentialsGrant } from './grants/client-credentials.grant.js';
import type { GrantHandler } from './grants/grant.js';
import { jwtBearerGrant } from './grants/jwt-bearer.grant.js';
import { passwordGrant } from './grants/password.grant.js';
import { refreshTokenGrant } from './grants/refresh-token.grant.js';
import { peekClaims } from './jwt-assertion.js';
import { allowsGrantType } from './oauth2-server-client.js';
import { JWT_BEARER_GRANT, type ServerContext } from './server-context.js';

const GRANTS: Record<string, GrantHandler> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  password: passwordGrant,
  [JWT_BEARER_GRANT]: jwtBearerGrant,
};

/** Fields of the token response the app's extra fields cannot replace. */
const RESERVED = new Set([
  'access_token',
  'token_type',
  'expires_in',
  'refresh_token',
  'scope',
  'id_token',
]);

/**
 * The token endpoint (RFC 6749 §3.2): reads the form, checks the grant type
 * is supported, authenticates the client (optional only for the JWT bearer
 * grant, whose assertion names its client), checks the client may use the
 * grant type, then runs the grant.
 *
 * @param extraFields - the app's extra response fields (the seed's
 *   `token_handler` result); they never replace a standard field
 * @returns the RFC 6749 §5.1 response body
 * @throws {OAuth2ServerError}
 */
export async function handleTokenRequest(
  ctx: ServerContext,
  request: ServerRequest,
  extraFields?: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const params = readFormRequest(request);
  const grantType = params.require('grant_type');
  const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
  if (!grant || !ctx.grantTypesSupported.includes(grantType)) {
    throw new OAuth2ServerError('unsupported_grant_type', 'the grant type is not supported');
  }
  const jwtBearer = grantType === JWT_BEARER_GRANT;
  const authenticated = await authenticateClient(
    ctx,
    request,
    params,
    ctx.endpoints.token,
    jwtBearer,
  );
  let client = authenticated?.client;
  if (!client) {
    // JWT bearer without client authentication: the assertion's issuer is the client (RFC 7523 §3.1).
    const iss = peekClaims(params.require('assertion'))?.iss;
    if (typeof iss !== 'string' || iss === '') throw invalidRequest('the assertion is malformed');
    client = (await ctx.storage.getClient(iss)) ?? undefined;
    if (!client || client.clientId !== iss) throw invalidGrant('the assertion issuer is unknown');
  }
  if (!allowsGrantType(client, grantType)) {
    throw new OAuth2ServerError('unauthorized_client', 'the client may not use this grant type');
  }
  const body = await grant({ ctx, client, params, request });
  for (const [name, value] of Object.entries(extraFields ?? {})) {
    if (!RESERVED.has(name) && value !== undefined) body[name] = value;
  }
  return body;
}
