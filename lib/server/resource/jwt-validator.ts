import { InvalidResponseError, InvalidTokenError } from '../../core/errors.js';
import type { HttpOptions } from '../../core/http/fetcher.js';
import { verifyJws } from '../../core/oidc/id-token.js';
import type { AuthorizationServerMetadata } from '../../core/oidc/discovery.js';
import { JwksCache } from '../../core/oidc/jwks.js';
import { describeEndpoint } from '../../core/util/redact.js';
import { invalidToken } from './bearer-error.js';
import { checkJwtAccessTokenClaims, normalizeTyp, type JwtClaimRules } from './jwt-claims.js';
import { configError, IssuerMetadata, type IssuerOptions } from './issuer-metadata.js';
import type { BearerPrincipal } from './principal.js';
import type { AccessTokenValidator } from './validator.js';

/** Options of {@link JwtAccessTokenValidator}. */
export interface JwtAccessTokenOptions extends IssuerOptions, HttpOptions {
  /**
   * This API's identifier(s): the token's `aud` must contain one of them
   * (RFC 9068 §4; the resource indicator the client asked the token for).
   */
  audience: string | readonly string[];
  /**
   * The claim compared with `audience` (default `aud`, RFC 9068 §4). For
   * issuers whose access tokens carry no `aud` and name the app client in
   * `client_id` instead (Amazon Cognito user pools), `'client_id'`: then
   * `audience` lists the app client ids whose tokens this API accepts, and a
   * token without that claim (a Cognito ID token) is refused.
   */
  audienceClaim?: 'aud' | 'client_id';
  /**
   * The issuer's JWK set URL. Default: the metadata's `jwks_uri`. With
   * `jwksUri` and `issuer` no metadata is fetched at all.
   */
  jwksUri?: string;
  /**
   * Accepted signing algorithms. Default: the ones the issuer advertises
   * (`access_token_signing_alg_values_supported` when the metadata has it,
   * else `id_token_signing_alg_values_supported`), asymmetric ones only;
   * `RS256` (RFC 9068 §2.1) when nothing is advertised. `none` and `HS*` are
   * always refused: a resource server has no shared secret with the issuer.
   */
  algorithms?: readonly string[];
  /**
   * Accepted `typ` header values, compared case-insensitively, with or without
   * `application/` (default `['at+jwt']`, RFC 9068 §2.1). Issuers that do not
   * follow RFC 9068 may need `['at+jwt', 'JWT']`.
   */
  typ?: readonly string[];
  /** Accept tokens with no `typ` header (issuers that omit it, such as Cognito). Default `false`. */
  allowMissingTyp?: boolean;
  /**
   * Claims that must be present (default RFC 9068 §2.2: `iss`, `exp`, `aud`,
   * `sub`, `client_id`, `iat`, `jti`). `iss`, `exp` and the `audienceClaim`
   * are required whatever this says. For issuers that name the client `azp` (Auth0,
   * Keycloak) drop `client_id`; `clientId` then comes from `azp`.
   */
  requiredClaims?: readonly string[];
  /** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds (default 60). */
  clockTolerance?: number;
  /**
   * The issuer's key set cache. Pass the one an `OAuth2Client` or another
   * validator uses for the same `jwks_uri` to share it; by default one is made
   * (10 min TTL, one re-fetch per unknown `kid`, 30 s cooldown between such re-fetches).
   */
  keys?: JwksCache;
  /** Clock in milliseconds (for tests). */
  now?: () => number;
}

/** RFC 9068 §2.2's required claims. */
export const RFC9068_REQUIRED_CLAIMS: readonly string[] = [
  'iss',
  'exp',
  'aud',
  'sub',
  'client_id',
  'iat',
  'jti',
];

const AUDIENCE_CLAIMS: readonly string[] = ['aud', 'client_id'];
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^(EdDSA|Ed25519)$/;

/**
 * Validates JWT access tokens (RFC 9068) from one issuer: the signature with
 * the issuer's JWK set (the clients' {@link JwksCache}: one re-fetch on an
 * unknown `kid`, bounded under a flood of junk `kid`s), only the algorithms the
 * issuer advertises (never `none`, never HMAC), the `typ` header, `iss`,
 * `aud`, `exp` / `nbf` / `iat` with skew, `sub`, `client_id`, `jti`, and the
 * scope (`scope`, or `scp`). A sender-constrained token (`cnf`) is refused:
 * a bearer resource cannot check its proof.
 *
 * A JWT whose (unverified) `iss` is another issuer is not this validator's
 * (`undefined`, the next validator is asked). Once `iss` names this issuer,
 * every failure is final.
 *
 * @example
 * ```ts
 * const jwt = new JwtAccessTokenValidator({
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 * });
 * const protector = new ResourceProtector({ validators: [jwt] });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068.html#section-4
 */
export class JwtAccessTokenValidator implements AccessTokenValidator {
  /** @inheritDoc */
  readonly source = 'jwt' as const;
  /** @inheritDoc */
  readonly structured = true;

  private readonly metadata?: IssuerMetadata;
  private readonly rules: Omit<JwtClaimRules, 'issuer'>;
  private resolved?: Resolved;

  /**
   * @param options - issuer, audience and checks
   * @throws {TypeError} (`ERR_OAUTH_RESOURCE_CONFIG`) without an audience, or without an issuer or metadata URL
   */
  constructor(private readonly options: JwtAccessTokenOptions) {
    const audiences = typeof options.audience === 'string' ? [options.audience] : options.audience;
    if (!Array.isArray(audiences) || audiences.length === 0 || !audiences.every(nonEmpty)) {
      throw configError('a JWT access token validator needs an audience (this API)');
    }
    if (options.algorithms && !options.algorithms.some((alg) => ASYMMETRIC.test(alg))) {
      throw configError(
        'a JWT access token validator needs an asymmetric algorithm (RS256, ES256, ...)',
      );
    }
    if (options.jwksUri && options.issuer && !options.serverMetadataUrl) {
      if (!URL.canParse(options.jwksUri)) throw configError('jwksUri must be an absolute URL');
    } else {
      this.metadata = new IssuerMetadata(options, 'a JWT access token validator');
    }
    if (options.audienceClaim !== undefined && !AUDIENCE_CLAIMS.includes(options.audienceClaim)) {
      throw configError('audienceClaim must be "aud" or "client_id"');
    }
    this.rules = {
      audiences,
      audienceClaim: options.audienceClaim ?? 'aud',
      typ: (options.typ ?? ['at+jwt']).map(normalizeTyp),
      allowMissingTyp: options.allowMissingTyp ?? false,
      requiredClaims: options.requiredClaims ?? RFC9068_REQUIRED_CLAIMS,
      clockTolerance: options.clockTolerance ?? 60,
      now: options.now ?? (() => Date.now()),
    };
  }

  /**
   * Validates a JWT access token.
   * @param token - the compact JWS
   * @returns the principal, or `undefined` when the token is not a JWT of this issuer
   * @throws {BearerTokenError} `invalid_token` naming the failed check in `reason`
   * @throws {OAuthNetworkError | OAuthTimeoutError | InvalidResponseError} when the metadata or keys cannot be fetched
   */
  async validate(token: string): Promise<BearerPrincipal | undefined> {
    const peeked = peekIssuer(token);
    if (peeked === undefined) return undefined;
    const { issuer, algorithms, keys } = await this.resolve();
    if (peeked !== issuer) return undefined;
    let verified;
    try {
      verified = await verifyJws(token, { algorithms, keys, label: 'access token' });
    } catch (err) {
      if (err instanceof InvalidTokenError) {
        throw invalidToken(
          err.claim ?? 'signature',
          'The access token signature is not valid',
          err,
        );
      }
      throw err;
    }
    const claims = parsePayload(verified.payload);
    return checkJwtAccessTokenClaims(verified.header, claims, { ...this.rules, issuer }, token);
  }

  /**
   * Issuer, algorithms and keys, from the metadata (cached by the
   * `MetadataCache`, so this costs nothing per token): worked out again
   * whenever the cache hands out a newer document, with a new key cache when
   * `jwks_uri` changed. A failure is retried on the next token.
   */
  private async resolve(): Promise<Resolved> {
    const metadata = this.metadata ? await this.metadata.get() : undefined;
    if (this.resolved && this.resolved.metadata === metadata) return this.resolved;
    const { options } = this;
    const advertised = options.algorithms ??
      stringArray(metadata?.access_token_signing_alg_values_supported) ??
      metadata?.id_token_signing_alg_values_supported ?? ['RS256'];
    const algorithms = advertised.filter((alg) => ASYMMETRIC.test(alg));
    if (algorithms.length === 0) {
      throw new InvalidResponseError(
        describeEndpoint(this.metadata!.url),
        'the issuer advertises no asymmetric signing algorithm',
      );
    }
    let keys = options.keys;
    if (!keys) {
      const jwksUri = options.jwksUri ?? (await this.metadata!.endpoint('jwks_uri'));
      keys =
        this.resolved?.keys.jwksUri === jwksUri
          ? this.resolved.keys
          : new JwksCache(jwksUri, { fetch: options.fetch, timeout: options.timeout });
    }
    this.resolved = { metadata, issuer: metadata?.issuer ?? options.issuer!, algorithms, keys };
    return this.resolved;
  }
}

interface Resolved {
  metadata?: AuthorizationServerMetadata;
  issuer: string;
  algorithms: string[];
  keys: JwksCache;
}

/** The `iss` of a JWT's payload, unverified: only to route the token to its issuer's validator. */
function peekIssuer(token: string): string | undefined {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first < 1 || second < 0) return undefined;
  try {
    const claims: unknown = JSON.parse(
      Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8'),
    );
    const iss = (claims as { iss?: unknown } | null)?.iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

function parsePayload(payload: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (err) {
    throw invalidToken('format', 'The access token is not a JWT', err);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidToken('format', 'The access token is not a JWT');
  }
  return value as Record<string, unknown>;
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}
