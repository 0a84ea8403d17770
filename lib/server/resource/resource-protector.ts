import type { ServerRequest, ServerResponse } from '../http/server-request.js';
import { insufficientScope, invalidToken, missingToken } from './bearer-error.js';
import { bearerErrorResponse, DEFAULT_REALM, toBearerError } from './bearer-response.js';
import {
  checkBearerTokenSyntax,
  extractBearerToken,
  type BearerExtractionOptions,
} from './bearer-token.js';
import { configError } from './issuer-metadata.js';
import { IntrospectionValidator, type IntrospectionOptions } from './introspection-validator.js';
import { JwtAccessTokenValidator, type JwtAccessTokenOptions } from './jwt-validator.js';
import { checkRequiredScopes, missingScopes, type BearerPrincipal } from './principal.js';
import {
  StorageValidator,
  type AccessTokenLookup,
  type StorageValidatorOptions,
} from './storage-validator.js';
import { looksLikeJwt, type AccessTokenValidator } from './validator.js';

/** Options of {@link ResourceProtector}. */
export interface ResourceProtectorOptions extends BearerExtractionOptions {
  /** The protection space named in `WWW-Authenticate` challenges (default `api`; printable ASCII). */
  realm?: string;
  /** JWT access tokens (RFC 9068) of one issuer, or of several. */
  jwt?: JwtAccessTokenOptions | readonly JwtAccessTokenOptions[];
  /** Token introspection (RFC 7662). */
  introspection?: IntrospectionOptions;
  /** This app's own authorization server's tokens, by lookup. */
  storage?: StorageValidatorOptions | AccessTokenLookup;
  /** Validators built elsewhere (or your own), tried after the ones above of the same kind. */
  validators?: readonly AccessTokenValidator[];
}

/** What {@link ResourceProtector.authorize} answers: a principal, or the response that refuses the request. */
export type AuthorizationResult =
  | {
      /** The request may proceed. */
      ok: true;
      /** Who the token speaks for. */
      principal: BearerPrincipal;
    }
  | {
      /** The request is refused. */
      ok: false;
      /** Why: a `BearerTokenError`, or the authorization server's failure. */
      error: unknown;
      /** The response to send (status, `WWW-Authenticate`, body). */
      response: ServerResponse;
    };

/**
 * Protects resources with bearer tokens (RFC 6750), the framework-free core
 * behind `@RequireOAuth()` (Authlib's `ResourceProtector`): reads the token
 * from the request, validates it with the configured validators, and checks
 * the scopes a resource needs.
 *
 * Validators are tried by token shape: a JWT-looking token goes to the JWT
 * validators first (each takes only its own issuer's tokens), then to storage
 * and introspection; any other token to storage, then introspection. The
 * first validator that recognizes the token decides.
 *
 * @example
 * ```ts
 * const protector = new ResourceProtector({
 *   realm: 'orders',
 *   jwt: { issuer: 'https://auth.example.com', audience: 'https://api.example.com' },
 * });
 * createServer(async (req, res) => {
 *   // nodeRequestHeaders keeps a repeated Authorization header, which Node's req.headers drops.
 *   const request = { method: req.method!, headers: nodeRequestHeaders(req) };
 *   const result = await protector.authorize(request, ['orders:read']);
 *   if (!result.ok) return writeNodeResponse(res, result.response);
 *   res.end(JSON.stringify({ hello: result.principal.sub }));
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750.html
 */
export class ResourceProtector {
  /** The realm of the challenges. */
  readonly realm: string;
  /** Every validator, in the order they are tried for a JWT-looking token. */
  readonly validators: readonly AccessTokenValidator[];

  private readonly structured: readonly AccessTokenValidator[];
  private readonly opaque: readonly AccessTokenValidator[];
  private readonly extraction: BearerExtractionOptions;

  /**
   * @param options - the validators and extraction settings
   * @throws {TypeError} (`ERR_OAUTH_RESOURCE_CONFIG`) with no validator, a bad realm, or a validator's own configuration error
   */
  constructor(options: ResourceProtectorOptions) {
    const realm = options.realm ?? DEFAULT_REALM;
    if (!/^[\x20-\x7e]*$/.test(realm)) throw configError('realm must be printable ASCII');
    this.realm = realm;
    this.extraction = {
      allowFormBody: options.allowFormBody ?? false,
      maxTokenLength: options.maxTokenLength,
    };
    const jwt =
      options.jwt === undefined ? [] : Array.isArray(options.jwt) ? options.jwt : [options.jwt];
    const all: AccessTokenValidator[] = [
      ...(jwt as JwtAccessTokenOptions[]).map((o) => new JwtAccessTokenValidator(o)),
      ...(options.storage ? [new StorageValidator(options.storage)] : []),
      ...(options.introspection ? [new IntrospectionValidator(options.introspection)] : []),
      ...(options.validators ?? []),
    ];
    if (all.length === 0) {
      throw configError(
        'a resource protector needs at least one validator (jwt, introspection or storage)',
      );
    }
    this.structured = all.filter((v) => v.structured);
    this.opaque = all.filter((v) => !v.structured);
    this.validators = [...this.structured, ...this.opaque];
  }

  /**
   * Verifies a request: its bearer token, and that the token grants every one
   * of `scopes`.
   *
   * @param request - the framework-neutral request
   * @param scopes - the scopes the resource needs, all of them (none: any valid token)
   * @returns the principal
   * @throws {BearerTokenError} `missing_token` (401), `invalid_request` (400), `invalid_token` (401), `insufficient_scope` (403)
   * @throws {OAuthNetworkError | OAuthTimeoutError | InvalidResponseError | OAuthError} when the authorization server fails (502 / 504)
   * @throws {TypeError} (`ERR_OAUTH_SCOPE`) when a scope is not an RFC 6749 scope token
   */
  async verifyRequest(
    request: Pick<ServerRequest, 'method' | 'headers' | 'body' | 'contentType'>,
    scopes: readonly string[] = [],
  ): Promise<BearerPrincipal> {
    checkRequiredScopes(scopes);
    return this.check(extractBearerToken(request, this.extraction), scopes);
  }

  /**
   * Verifies a token obtained some other way (a WebSocket handshake, a message's metadata).
   *
   * @param token - the access token
   * @param scopes - the scopes needed, all of them
   * @returns the principal
   * @throws the same as {@link ResourceProtector.verifyRequest} (a missing token is `missing_token`)
   */
  async verifyToken(
    token: string | undefined,
    scopes: readonly string[] = [],
  ): Promise<BearerPrincipal> {
    checkRequiredScopes(scopes);
    if (token === undefined || token === '') throw missingToken();
    return this.check(checkBearerTokenSyntax(token, this.extraction.maxTokenLength), scopes);
  }

  /**
   * {@link ResourceProtector.verifyRequest} that never throws: the principal,
   * or the response to send (status, `WWW-Authenticate`, body). The shape a
   * guard or a middleware wants.
   *
   * @param request - the framework-neutral request
   * @param scopes - the scopes needed, all of them
   */
  async authorize(
    request: Pick<ServerRequest, 'method' | 'headers' | 'body' | 'contentType'>,
    scopes: readonly string[] = [],
  ): Promise<AuthorizationResult> {
    try {
      return { ok: true, principal: await this.verifyRequest(request, scopes) };
    } catch (err) {
      const error = toBearerError(err);
      return { ok: false, error, response: this.errorResponse(error) };
    }
  }

  /**
   * The response for an error `verifyRequest` threw, with this protector's realm.
   * @param err - the error
   */
  errorResponse(err: unknown): ServerResponse {
    return bearerErrorResponse(err, this.realm);
  }

  private async check(token: string, scopes: readonly string[]): Promise<BearerPrincipal> {
    const principal = await this.validate(token);
    const missing = missingScopes(principal.scope, scopes);
    if (missing.length > 0) throw insufficientScope(scopes);
    return principal;
  }

  private async validate(token: string): Promise<BearerPrincipal> {
    const validators = looksLikeJwt(token) ? this.validators : this.opaque;
    for (const validator of validators) {
      let principal: BearerPrincipal | undefined;
      try {
        principal = await validator.validate(token);
      } catch (err) {
        throw toBearerError(err);
      }
      if (principal) return principal;
    }
    throw invalidToken('unknown', 'The access token is not valid');
  }
}
