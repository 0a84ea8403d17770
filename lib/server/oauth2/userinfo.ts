import { formParameters, singleHeader, type ServerRequest } from '../http/server-request.js';
import { OAuth2ServerError } from './errors.js';
import { OAuthParams } from './request-params.js';
import type { ServerContext } from './server-context.js';
import { findActiveAccessToken } from './token-lookup.js';
import { userClaims } from './user-claims.js';

/**
 * The UserInfo endpoint (OIDC Core §5.3): a bearer access token (RFC 6750
 * §2.1 header, or §2.2 form body on POST) with the `openid` scope and a user;
 * the claims come from the storage's `getUserClaims` for the token's scopes.
 * Errors are RFC 6750 §3 challenges: 401 with no error code when no token was
 * sent, `invalid_token` (401), `insufficient_scope` (403), `invalid_request` (400).
 *
 * @returns the claims, `sub` first
 * @throws {OAuth2ServerError} carrying the `WWW-Authenticate` challenge
 */
export async function handleUserinfoRequest(
  ctx: ServerContext,
  request: ServerRequest,
): Promise<Record<string, unknown>> {
  const token = readBearer(ctx, request);
  const record = await findActiveAccessToken(ctx, token);
  if (!record)
    throw bearerError(ctx, 'invalid_token', 'the access token is invalid, expired or revoked');
  if (!record.scope.includes('openid')) {
    throw bearerError(
      ctx,
      'insufficient_scope',
      'the access token lacks the openid scope',
      'openid',
    );
  }
  if (record.subject === undefined) {
    throw bearerError(ctx, 'invalid_token', 'the access token was not issued for a user');
  }
  const client = await ctx.storage.getClient(record.clientId);
  if (!client)
    throw bearerError(ctx, 'invalid_token', 'the access token is invalid, expired or revoked');
  const claims = await userClaims(ctx, record.subject, record.scope, client);
  return { sub: record.subject, ...claims };
}

function readBearer(ctx: ServerContext, request: ServerRequest): string {
  if (request.method !== 'GET' && request.method !== 'POST') {
    throw new OAuth2ServerError('invalid_request', 'the endpoint accepts GET and POST', {
      status: 405,
      headers: { Allow: 'GET, POST' },
    });
  }
  const tokens: string[] = [];
  if (request.headers.authorization !== undefined) {
    const header = singleHeader(request, 'authorization');
    const match = header === undefined ? null : /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (!match) throw bearerError(ctx, 'invalid_request', 'the Authorization header is malformed');
    tokens.push(match[1]);
  }
  if (request.method === 'POST' && request.contentType === 'application/x-www-form-urlencoded') {
    const form = formParameters(request.body);
    if (!form) throw bearerError(ctx, 'invalid_request', 'the body is not a flat form');
    let bodyToken: string | undefined;
    try {
      bodyToken = new OAuthParams(form).get('access_token');
    } catch {
      throw bearerError(ctx, 'invalid_request', 'the access_token parameter is repeated');
    }
    if (bodyToken !== undefined) tokens.push(bodyToken);
  }
  if (tokens.length > 1)
    throw bearerError(ctx, 'invalid_request', 'the access token was sent twice');
  if (tokens.length === 0) {
    throw new OAuth2ServerError('invalid_token', 'no access token was sent', {
      headers: { 'WWW-Authenticate': `Bearer realm="${ctx.issuer}"` },
    });
  }
  return tokens[0];
}

function bearerError(
  ctx: ServerContext,
  error: 'invalid_request' | 'invalid_token' | 'insufficient_scope',
  description: string,
  scope?: string,
): OAuth2ServerError {
  const challenge = [
    `Bearer realm="${ctx.issuer}"`,
    `error="${error}"`,
    `error_description="${description}"`,
  ];
  if (scope) challenge.push(`scope="${scope}"`);
  return new OAuth2ServerError(error, description, {
    headers: { 'WWW-Authenticate': challenge.join(', ') },
  });
}
