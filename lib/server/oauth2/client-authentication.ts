import { CLIENT_ASSERTION_TYPE, type ClientAuthMethod } from '../../core/oauth2/client-auth.js';
import { formDecode } from '../../core/oauth1/percent-encode.js';
import { singleHeader, type ServerRequest } from '../http/server-request.js';
import { invalidClient, invalidRequest } from './errors.js';
import { verifyClientSecret } from './client-secret.js';
import { peekClaims, verifyJwtAssertion } from './jwt-assertion.js';
import { clientAuthMethod, type OAuth2ServerClient } from './oauth2-server-client.js';
import type { OAuthParams } from './request-params.js';
import type { ServerContext } from './server-context.js';

/** A client that proved who it is at the token, revocation or introspection endpoint. */
export interface AuthenticatedClient {
  /** The registered client. */
  client: OAuth2ServerClient;
  /** How it authenticated (`none` for a public client). */
  method: ClientAuthMethod;
}

interface Presented {
  method: ClientAuthMethod;
  clientId: string;
  secret?: string;
  assertion?: string;
}

/**
 * Authenticates the client of a back-channel request (RFC 6749 §2.3, OIDC
 * Core §9): HTTP Basic (form-decoded, §2.3.1), `client_secret` in the body,
 * a `client_assertion` JWT, or only a `client_id` for a public client. The
 * client must use the method it registered; more than one method in a request
 * is refused. Secrets are compared in constant time; an unknown client and a
 * wrong secret get the same `invalid_client`.
 *
 * @param ctx - the server
 * @param request - the HTTP request (for the `Authorization` header)
 * @param params - the form body
 * @param endpoint - the URL of the endpoint being called (an accepted assertion `aud`)
 * @param optional - when `true`, a request with no client identification at all yields `undefined` (JWT bearer grant)
 * @throws {OAuth2ServerError} `invalid_client` (401) or `invalid_request`
 */
export async function authenticateClient(
  ctx: ServerContext,
  request: ServerRequest,
  params: OAuthParams,
  endpoint: string,
  optional = false,
): Promise<AuthenticatedClient | undefined> {
  const presented = readCredentials(request, params);
  if (!presented) {
    if (optional) return undefined;
    throw invalidClient('no client authentication was sent');
  }
  const basic = presented.method === 'client_secret_basic';
  const client = await ctx.storage.getClient(presented.clientId);
  if (!client || client.clientId !== presented.clientId) throw invalidClient(undefined, basic);
  const registered = clientAuthMethod(client);
  const method = presented.assertion ? registered : presented.method;
  if (method !== registered) throw invalidClient(undefined, basic);
  if (method === 'client_secret_basic' || method === 'client_secret_post') {
    if (!verifyClientSecret(client, presented.secret ?? '', ctx.now())) {
      throw invalidClient(undefined, basic);
    }
  } else if (method === 'client_secret_jwt' || method === 'private_key_jwt') {
    if (!presented.assertion) throw invalidClient();
    // The client was looked up by the assertion's `sub`; `iss` must name it too.
    await verifyJwtAssertion(ctx, presented.assertion, {
      client,
      audiences: [endpoint, ctx.endpoints.token, ctx.issuer],
      keys: method === 'client_secret_jwt' ? 'secret' : 'public',
      fail: (description) => invalidClient(description),
    });
  } else if (method !== 'none') {
    throw invalidClient();
  }
  return { client, method };
}

function readCredentials(request: ServerRequest, params: OAuthParams): Presented | undefined {
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  const assertion = params.get('client_assertion');
  const assertionType = params.get('client_assertion_type');
  const basic = readBasic(request);
  const methods = [basic, bodySecret, assertion ?? assertionType].filter((m) => m !== undefined);
  if (methods.length > 1)
    throw invalidRequest('more than one client authentication method was used');
  if (basic) {
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw invalidRequest('the client_id does not match the authenticated client');
    }
    return basic;
  }
  if (assertion !== undefined || assertionType !== undefined) {
    if (assertionType !== CLIENT_ASSERTION_TYPE || !assertion) {
      throw invalidClient('the client assertion type is not supported');
    }
    const sub = peekClaims(assertion)?.sub;
    if (typeof sub !== 'string' || sub === '')
      throw invalidClient('the client assertion is malformed');
    if (bodyId !== undefined && bodyId !== sub) {
      throw invalidRequest('the client_id does not match the authenticated client');
    }
    // The method (client_secret_jwt or private_key_jwt) is the client's registered one.
    return { method: 'private_key_jwt', clientId: sub, assertion };
  }
  if (bodySecret !== undefined) {
    if (bodyId === undefined) throw invalidClient('the client_id is missing');
    return { method: 'client_secret_post', clientId: bodyId, secret: bodySecret };
  }
  if (bodyId !== undefined) return { method: 'none', clientId: bodyId };
  return undefined;
}

function readBasic(request: ServerRequest): Presented | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const value = singleHeader(request, 'authorization');
  if (value === undefined) throw invalidRequest('the Authorization header is repeated');
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(value);
  if (!match) {
    if (/^Basic\b/i.test(value)) throw invalidClient('malformed HTTP Basic credentials', true);
    return undefined; // another scheme (DPoP, Bearer): not client authentication
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw invalidClient('malformed HTTP Basic credentials', true);
  return {
    method: 'client_secret_basic',
    clientId: formDecode(decoded.slice(0, colon)),
    secret: formDecode(decoded.slice(colon + 1)),
  };
}
