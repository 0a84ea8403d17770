import type { JWK } from 'jose';
import type { ServerRequest, ServerResponse } from '../http/server-request.js';
import {
  AuthorizationRequestError,
  validateAuthorizationRequest,
  type AuthorizationErrorTarget,
  type OAuth2AuthorizationRequest,
} from './authorization-request.js';
import {
  authorizationErrorResponse,
  createAuthorizationResponse,
  type OAuth2AuthorizationDecision,
} from './authorization-response.js';
import type {
  AuthorizationServerOptions,
  OAuth2HookContext,
  OAuth2ServerEndpoint,
} from './authorization-server-options.js';
import { OAuth2ServerError } from './errors.js';
import { handleIntrospectionRequest } from './introspection.js';
import { metadataPaths, serverMetadata } from './metadata.js';
import type { Awaitable, OAuth2ServerUser, OAuth2TokenRecord } from './oauth2-server-storage.js';
import { errorResponse, jsonResponse } from './responses.js';
import { handleRevocationRequest } from './revocation.js';
import {
  createServerContext,
  type ResolvedEndpoints,
  type ServerContext,
} from './server-context.js';
import { handleTokenRequest } from './token-endpoint.js';
import { findActiveAccessToken } from './token-lookup.js';
import { handleUserinfoRequest } from './userinfo.js';

/** The outcome of {@link AuthorizationServer.validateAuthorizationRequest}: the request to show consent for, or the response to send. */
export type OAuth2AuthorizationValidation =
  | {
      /** The validated request: render the consent page for it. */
      authorization: OAuth2AuthorizationRequest;
      /** Absent on success. */
      response?: undefined;
    }
  | {
      /** Absent on failure. */
      authorization?: undefined;
      /** The error response to send as it is. */
      response: ServerResponse;
    };

/**
 * The app's part of the authorization endpoint for {@link AuthorizationServer.handle}:
 * given a validated request, return the decision, or a response of its own
 * (a login or consent page).
 */
export type OAuth2AuthorizeCallback = (
  authorization: OAuth2AuthorizationRequest,
) => Awaitable<OAuth2AuthorizationDecision | ServerResponse>;

/** Options of {@link AuthorizationServer.handle}. */
export interface OAuth2HandleOptions {
  /** Serves the authorization endpoint (without it, `handle` leaves that path to the caller). */
  authorize?: OAuth2AuthorizeCallback;
  /** Extra token response fields (the seed's `token_handler` result). */
  tokenFields?: Record<string, unknown>;
}

/** A public JWK set (RFC 7517 §5). */
export interface JwkSet {
  /** The public keys, with `kid`, `alg` and `use`. */
  keys: JWK[];
}

const CACHEABLE = { 'Cache-Control': 'public, max-age=300' };

/**
 * An OAuth 2.0 / OpenID Connect authorization server, framework-free: the
 * seed's `OAuth2Provider` (Flask-OAuthlib) and Authlib's
 * `AuthorizationServer`. Each endpoint method takes a {@link ServerRequest}
 * and returns a {@link ServerResponse}; a framework adapter (the Nest module,
 * or `readNodeRequest`/`writeNodeResponse` on plain `node:http`) converts
 * both, nothing more. Every error is an RFC error response (never a thrown
 * exception, never a secret in it); only a failure of the app's own code or
 * storage becomes a `server_error` 500, whose cause reaches `invalidResponse`.
 *
 * @example
 * ```ts
 * // AuthorizationServer, MemoryOAuth2ServerStorage, readNodeRequest and writeNodeResponse come from nestjs-oauth/server;
 * // readFileSync from node:fs, createServer from node:http.
 * const server = new AuthorizationServer({
 *   issuer: 'http://localhost:3000',
 *   storage: new MemoryOAuth2ServerStorage({
 *     clients: [{ clientId: 'app', clientSecret: 'a-long-random-secret', redirectUris: ['http://localhost:8080/cb'],
 *                 defaultScopes: ['openid', 'profile'] }],
 *     users: [{ sub: 'alice', claims: { name: 'Alice' } }],
 *   }),
 *   keys: [readFileSync('id-token-key.pem', 'utf8')], // a PKCS#8 RSA, EC or Ed25519 private key
 * });
 * createServer(async (req, res) => {
 *   const request = await readNodeRequest(req, { origin: 'http://localhost:3000' }).catch(() => undefined);
 *   if (!request) return writeNodeResponse(res, { status: 413, headers: { Connection: 'close' }, body: 'Too large' });
 *   const response = await server.handle(request, {
 *     // The app's login and consent: here every request is approved for alice.
 *     authorize: () => ({ allow: true, user: { sub: 'alice' }, authTime: Math.floor(Date.now() / 1000) }),
 *   });
 *   writeNodeResponse(res, response ?? { status: 404, headers: {}, body: 'Not found' });
 * }).listen(3000);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749.html
 * @see https://openid.net/specs/openid-connect-core-1_0.html
 */
export class AuthorizationServer {
  private readonly ctx: ServerContext;

  /**
   * @param options - issuer, storage, keys and settings
   * @throws {TypeError} (`ERR_OAUTH_SERVER_CONFIG`, `ERR_OAUTH_INVALID_KEY`) for a bad setting or key, naming it
   */
  constructor(options: AuthorizationServerOptions) {
    this.ctx = createServerContext(options);
  }

  /** The issuer identifier. */
  get issuer(): string {
    return this.ctx.issuer;
  }

  /** The absolute URLs of the endpoints (a disabled one is absent). */
  get endpoints(): Readonly<ResolvedEndpoints> {
    return this.ctx.endpoints;
  }

  /** The RFC 8414 / OpenID Connect Discovery metadata document. */
  metadata(): Record<string, unknown> {
    return serverMetadata(this.ctx);
  }

  /** The public JWK set: every signing key, old ones included. */
  jwks(): JwkSet {
    return this.ctx.keys.jwks();
  }

  /**
   * The authorization endpoint, first half (the seed's `authorize_handler`
   * before the handler runs): validates the request. On success, render the
   * consent page for `authorization`; else send `response` (a redirect with
   * `error` to a trusted redirect URI, or a 400 / `errorUri` redirect).
   *
   * @param request - the GET (or POST) to the authorization endpoint
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
   */
  async validateAuthorizationRequest(
    request: ServerRequest,
  ): Promise<OAuth2AuthorizationValidation> {
    const context: OAuth2HookContext = { endpoint: 'authorization', request };
    const early = await this.ctx.options.beforeRequest?.(context);
    if (early) return { response: early };
    try {
      return { authorization: await validateAuthorizationRequest(this.ctx, request) };
    } catch (err) {
      const target = err instanceof AuthorizationRequestError ? err.target : undefined;
      const error = toServerError(err instanceof AuthorizationRequestError ? err.error : err);
      const response = await this.failed(
        authorizationErrorResponse(this.ctx, error, target),
        error,
        context,
      );
      return { response: (await this.ctx.options.afterRequest?.(response, context)) ?? response };
    }
  }

  /**
   * The authorization endpoint, second half: applies the user's decision
   * and redirects back to the client with a code, tokens or an ID token (or
   * `access_denied`, `login_required`, ...), with `state` and RFC 9207 `iss`.
   *
   * @param authorization - the validated request
   * @param decision - `true`/`false`, or `{ allow, user, scope, authTime, acr, amr, error }`
   * @param user - the user, when the decision does not name one
   * @throws {TypeError} (`ERR_OAUTH_SERVER_USER`) when allowing without a user (a programming error)
   */
  async createAuthorizationResponse(
    authorization: OAuth2AuthorizationRequest,
    decision: OAuth2AuthorizationDecision,
    user?: OAuth2ServerUser,
  ): Promise<ServerResponse> {
    const { redirectUri, responseMode, state } = authorization;
    return this.run(
      'authorization',
      authorization.request,
      () => createAuthorizationResponse(this.ctx, authorization, decision, user),
      { redirectUri, responseMode, state },
    );
  }

  /**
   * The whole authorization endpoint: validates, asks `decide`, responds.
   * @param request - the request to the authorization endpoint
   * @param decide - the app's login/consent step
   */
  async authorize(
    request: ServerRequest,
    decide: OAuth2AuthorizeCallback,
  ): Promise<ServerResponse> {
    const { authorization, response } = await this.validateAuthorizationRequest(request);
    if (!authorization) return response;
    const decision = await decide(authorization);
    if (typeof decision === 'object' && 'status' in decision) return decision;
    return this.createAuthorizationResponse(authorization, decision);
  }

  /**
   * The token endpoint (the seed's `token_handler`): every grant, client
   * authentication, and RFC 6749 §5.2 errors with `Cache-Control: no-store`.
   *
   * @param request - the POST to the token endpoint
   * @param extraFields - fields added to a successful response (never replacing a standard one)
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-3.2
   */
  createTokenResponse(
    request: ServerRequest,
    extraFields?: Record<string, unknown>,
  ): Promise<ServerResponse> {
    return this.run('token', request, async () =>
      jsonResponse(200, await handleTokenRequest(this.ctx, request, extraFields)),
    );
  }

  /**
   * The revocation endpoint (RFC 7009; the seed's `revoke_handler`).
   * @param request - the POST to the revocation endpoint
   */
  createRevocationResponse(request: ServerRequest): Promise<ServerResponse> {
    return this.run('revocation', request, async () => {
      await handleRevocationRequest(this.ctx, request);
      return { status: 200, headers: { 'Cache-Control': 'no-store' } };
    });
  }

  /**
   * The introspection endpoint (RFC 7662), for authenticated confidential clients.
   * @param request - the POST to the introspection endpoint
   */
  createIntrospectionResponse(request: ServerRequest): Promise<ServerResponse> {
    return this.run('introspection', request, async () =>
      jsonResponse(200, await handleIntrospectionRequest(this.ctx, request)),
    );
  }

  /**
   * The UserInfo endpoint (OIDC Core §5.3), claims from the storage's `getUserClaims`.
   * @param request - the GET or POST with a bearer access token
   */
  createUserinfoResponse(request: ServerRequest): Promise<ServerResponse> {
    return this.run('userinfo', request, async () =>
      jsonResponse(200, await handleUserinfoRequest(this.ctx, request)),
    );
  }

  /**
   * The metadata document as a response (cacheable for 5 minutes).
   * @param request - the GET to a `.well-known` path
   */
  createMetadataResponse(request: ServerRequest): Promise<ServerResponse> {
    return this.run('metadata', request, async () => {
      requireGet(request);
      return jsonResponse(200, this.metadata(), CACHEABLE);
    });
  }

  /**
   * The JWK set as a response (cacheable for 5 minutes).
   * @param request - the GET to the JWKS endpoint
   */
  createJwksResponse(request: ServerRequest): Promise<ServerResponse> {
    return this.run('jwks', request, async () => {
      requireGet(request);
      return jsonResponse(200, this.jwks(), {
        ...CACHEABLE,
        'Content-Type': 'application/jwk-set+json; charset=utf-8',
      });
    });
  }

  /**
   * The stored record of an access token that is usable now (not revoked,
   * not expired), or `undefined`: how a resource server of the same app
   * validates bearer tokens against this server's storage.
   *
   * @param accessToken - the bearer token in clear (hashed before the storage sees it)
   */
  findAccessToken(accessToken: string): Promise<OAuth2TokenRecord | undefined> {
    return findActiveAccessToken(this.ctx, accessToken);
  }

  /**
   * Routes a request to the endpoint its path names (token, revocation,
   * introspection, UserInfo, JWKS, both metadata paths, and the authorization
   * endpoint when `options.authorize` is given).
   *
   * @param request - any request to the app
   * @param options - the app's authorization step and extra token fields
   * @returns the response, or `undefined` when the path is not an endpoint of this server
   */
  async handle(
    request: ServerRequest,
    options: OAuth2HandleOptions = {},
  ): Promise<ServerResponse | undefined> {
    let path: string;
    try {
      path = new URL(request.url).pathname;
    } catch {
      return undefined;
    }
    const e = this.ctx.endpoints;
    const at = (url: string | undefined) => url !== undefined && new URL(url).pathname === path;
    if (at(e.token)) return this.createTokenResponse(request, options.tokenFields);
    if (at(e.authorization) && options.authorize) return this.authorize(request, options.authorize);
    if (at(e.revocation)) return this.createRevocationResponse(request);
    if (at(e.introspection)) return this.createIntrospectionResponse(request);
    if (at(e.userinfo)) return this.createUserinfoResponse(request);
    if (at(e.jwks)) return this.createJwksResponse(request);
    if (metadataPaths(this.ctx.issuer).includes(path)) return this.createMetadataResponse(request);
    return undefined;
  }

  /** Runs an endpoint with the hooks around it, turning every failure into an error response. */
  private async run(
    endpoint: OAuth2ServerEndpoint,
    request: ServerRequest,
    produce: () => Promise<ServerResponse>,
    target?: AuthorizationErrorTarget,
  ): Promise<ServerResponse> {
    const context: OAuth2HookContext = { endpoint, request };
    // The authorization endpoint's hook ran when the request was validated.
    if (!target) {
      const early = await this.ctx.options.beforeRequest?.(context);
      if (early) return early;
    }
    let response: ServerResponse;
    try {
      response = await produce();
    } catch (err) {
      if (isProgrammingError(err)) throw err;
      const error = toServerError(err);
      response = await this.failed(
        target
          ? authorizationErrorResponse(this.ctx, error, target)
          : errorResponse(error, this.ctx.options.errorUri),
        error,
        context,
      );
    }
    return (await this.ctx.options.afterRequest?.(response, context)) ?? response;
  }

  private async failed(
    response: ServerResponse,
    error: OAuth2ServerError,
    context: OAuth2HookContext,
  ): Promise<ServerResponse> {
    return (await this.ctx.options.invalidResponse?.(error, response, context)) ?? response;
  }
}

function requireGet(request: ServerRequest): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new OAuth2ServerError('invalid_request', 'the endpoint accepts GET only', {
      status: 405,
      headers: { Allow: 'GET' },
    });
  }
}

/** The error to answer with: protocol errors as they are, anything else a `server_error` 500 keeping the cause. */
function toServerError(err: unknown): OAuth2ServerError {
  if (err instanceof OAuth2ServerError) return err;
  return new OAuth2ServerError('server_error', 'the server failed to process the request', {
    cause: err,
  });
}

function isProgrammingError(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 'ERR_OAUTH_SERVER_USER';
}
