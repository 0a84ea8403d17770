import { InvalidResponseError, OAuthError } from '../../core/errors.js';
import type { HttpOptions } from '../../core/http/fetcher.js';
import type {
  ClientAssertionOptions,
  ClientAuthFunction,
  ClientAuthMethod,
} from '../../core/oauth2/client-auth.js';
import { OAuth2Client } from '../../core/oauth2/oauth2-client.js';
import { SingleFlight } from '../../core/oauth2/single-flight.js';
import { describeEndpoint } from '../../core/util/redact.js';
import { invalidToken } from './bearer-error.js';
import {
  IntrospectionCache,
  type IntrospectionCacheOptions,
  type IntrospectionEntry,
} from './introspection-cache.js';
import { configError, IssuerMetadata, type IssuerOptions } from './issuer-metadata.js';
import { checkIntrospectionResponse } from './introspection-response.js';
import type { BearerPrincipal } from './principal.js';
import type { AccessTokenValidator } from './validator.js';

/** Options of {@link IntrospectionValidator}. */
export interface IntrospectionOptions extends IssuerOptions, HttpOptions, ClientAssertionOptions {
  /**
   * The RFC 7662 endpoint. Default: the metadata's `introspection_endpoint`
   * (from `serverMetadataUrl`, or `issuer`'s discovery document).
   */
  introspectionEndpoint?: string;
  /** This resource server's client id at the authorization server. */
  clientId?: string;
  /** Its client secret, for the secret-based methods. */
  clientSecret?: string;
  /**
   * How it authenticates at the introspection endpoint: the methods and names
   * of `OAuth2Client` (`client_secret_basic` by default, `client_secret_post`,
   * `client_secret_jwt`, `private_key_jwt` with `clientKey`, or a function).
   */
  tokenEndpointAuthMethod?: ClientAuthMethod | ClientAuthFunction;
  /**
   * An `OAuth2Client` to introspect with instead (its credentials, method,
   * compliance hooks and endpoints are used); the options above are then ignored.
   */
  client?: OAuth2Client;
  /**
   * This API's identifier(s): an active token's `aud` must contain one of
   * them. `false` accepts a token for any audience of this authorization
   * server: only when it issues tokens for this API alone.
   */
  audience: string | readonly string[] | false;
  /**
   * Refuse an active answer without `token_type` (default `true`). Some
   * servers leave it out for refresh tokens only (oidc-provider); one that
   * leaves it out for access tokens too needs `false`, and then only `aud`
   * keeps its refresh tokens out.
   */
  requireTokenType?: boolean;
  /** The answer cache, or `false` for none (every request is introspected). */
  cache?: IntrospectionCacheOptions | false;
  /** Clock skew tolerated on `exp` and `nbf`, in seconds (default 60). */
  clockTolerance?: number;
  /** Clock in milliseconds (for tests). */
  now?: () => number;
}

/** Error codes of an introspection endpoint that speak about the token, not about us. */
const TOKEN_REFUSALS = new Set(['unsupported_token_type', 'invalid_token']);

/**
 * Validates opaque (or any) access tokens by asking the authorization
 * server's introspection endpoint (RFC 7662), authenticated like an
 * `OAuth2Client` (one implementation of every client authentication method).
 *
 * - `active` must be `true`; then `token_type` must be `Bearer`,
 *   `exp` / `nbf` are checked with skew, `iss` against the issuer (when known
 *   and sent), `aud` against `audience`; a sender-constrained token (`cnf`) is
 *   refused.
 * - Answers are cached by the SHA-256 of the token (never the token), at most
 *   `maxEntries`, an active one never past its `exp`; concurrent requests with
 *   one token share one introspection call.
 * - An endpoint that cannot be reached, answers in error or refuses our
 *   credentials is a 502 / 504 (`OAuthNetworkError`, `OAuthTimeoutError`,
 *   `InvalidResponseError`, `OAuthError`), never a 401 blamed on the token.
 *
 * @example
 * ```ts
 * const introspection = new IntrospectionValidator({
 *   issuer: 'https://auth.example.com',
 *   clientId: 'my-api', clientSecret: process.env.API_SECRET,
 *   audience: 'https://api.example.com',
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662.html
 */
export class IntrospectionValidator implements AccessTokenValidator {
  /** @inheritDoc */
  readonly source = 'introspection' as const;
  /** @inheritDoc */
  readonly structured = false;
  /** How many introspection requests this validator has sent. */
  calls = 0;

  private readonly client: OAuth2Client;
  private readonly metadata?: IssuerMetadata;
  private readonly cache?: IntrospectionCache;
  private readonly flights = new SingleFlight<IntrospectionEntry>(0);
  private readonly audiences: readonly string[] | false;
  private readonly clockTolerance: number;
  private readonly now: () => number;

  /**
   * @param options - endpoint, credentials, audience, cache
   * @throws {TypeError} (`ERR_OAUTH_RESOURCE_CONFIG`) without an audience setting, an endpoint source, or credentials
   */
  constructor(private readonly options: IntrospectionOptions) {
    const { audience } = options;
    const audiences =
      audience === false ? false : typeof audience === 'string' ? [audience] : audience;
    if (audiences !== false && (!Array.isArray(audiences) || audiences.length === 0)) {
      throw configError(
        'an introspection validator needs an audience (this API), or audience: false to accept any',
      );
    }
    this.audiences = audiences;
    if (options.issuer || options.serverMetadataUrl) {
      this.metadata = new IssuerMetadata(options, 'an introspection validator');
    } else if (!options.introspectionEndpoint && !options.client) {
      throw configError(
        'an introspection validator needs an introspectionEndpoint, an issuer or a serverMetadataUrl',
      );
    }
    if (!options.client && !options.clientId) {
      throw configError('an introspection validator needs the clientId it authenticates with');
    }
    this.client =
      options.client ??
      new OAuth2Client({
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        tokenEndpointAuthMethod: options.tokenEndpointAuthMethod,
        clientKey: options.clientKey,
        clientKeyId: options.clientKeyId,
        clientKeyAlg: options.clientKeyAlg,
        assertionLifetime: options.assertionLifetime,
        fetch: options.fetch,
        timeout: options.timeout,
        stateless: true,
      });
    this.now = options.now ?? (() => Date.now());
    this.clockTolerance = options.clockTolerance ?? 60;
    if (options.cache !== false)
      this.cache = new IntrospectionCache({ now: this.now, ...options.cache });
  }

  /**
   * Validates a token by introspection (or a cached answer).
   * @param token - the access token
   * @returns the principal
   * @throws {BearerTokenError} `invalid_token` when the token is inactive or fails a check
   * @throws {OAuthNetworkError | OAuthTimeoutError | InvalidResponseError | OAuthError} when the endpoint fails
   */
  async validate(token: string): Promise<BearerPrincipal> {
    const key = IntrospectionCache.key(token);
    const entry =
      this.cache?.get(key) ?? (await this.flights.run(key, () => this.introspect(token, key)));
    if (!entry.active) throw invalidToken('inactive', 'The access token is not active');
    const issuer = this.metadata ? (await this.metadata.get()).issuer : undefined;
    return checkIntrospectionResponse(entry.response, token, {
      issuer,
      audiences: this.audiences,
      requireTokenType: this.options.requireTokenType ?? true,
      clockTolerance: this.clockTolerance,
      now: this.now,
    });
  }

  private async introspect(token: string, key: string): Promise<IntrospectionEntry> {
    const endpoint =
      this.options.introspectionEndpoint ??
      (this.metadata ? await this.metadata.endpoint('introspection_endpoint') : undefined);
    this.calls++;
    let response: Record<string, unknown>;
    try {
      response = await this.client.introspectToken(endpoint, {
        token,
        tokenTypeHint: 'access_token',
      });
    } catch (err) {
      if (err instanceof OAuthError && TOKEN_REFUSALS.has(err.error) && isClientError(err.status)) {
        const entry = { active: false } as const;
        this.cache?.set(key, entry);
        return entry;
      }
      throw err;
    }
    if (typeof response.active !== 'boolean') {
      throw new InvalidResponseError(
        endpoint ? describeEndpoint(endpoint) : 'the introspection endpoint',
        'no boolean "active" member',
      );
    }
    const entry: IntrospectionEntry = response.active
      ? { active: true, response }
      : { active: false };
    this.cache?.set(key, entry, typeof response.exp === 'number' ? response.exp : undefined);
    return entry;
  }
}

function isClientError(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500;
}
