import {
  createLocalJWKSet,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from 'jose';
import { InvalidResponseError, InvalidTokenError } from '../errors.js';
import {
  DEFAULT_TIMEOUT,
  readOAuthResponse,
  sendToEndpoint,
  type HttpOptions,
} from '../http/fetcher.js';
import { describeEndpoint } from '../util/redact.js';

/** How long a fetched JWK set is used before it is fetched again: 10 minutes. */
export const DEFAULT_JWKS_TTL = 10 * 60_000;

/** Minimum time between two re-fetches caused by an unknown `kid`: 30 seconds. */
export const DEFAULT_JWKS_COOLDOWN = 30_000;

/** Options of {@link JwksCache}: transport plus cache timings. */
export interface JwksCacheOptions extends HttpOptions {
  /** How long (ms) a fetched key set is trusted before the next use fetches it again (default 10 min). */
  ttl?: number;
  /** Minimum time (ms) between two re-fetches triggered by an unknown `kid` (default 30 s). */
  cooldown?: number;
  /** Clock in milliseconds (for tests). */
  now?: () => number;
}

type KeyResolver = ReturnType<typeof createLocalJWKSet>;

interface Generation {
  resolve: KeyResolver;
  fetchedAt: number;
}

/**
 * A provider's JWK set (`jwks_uri`), fetched once and cached, usable as a
 * `jose` key resolver (`jwtVerify(token, cache.getKey)`).
 *
 * - The set is fetched on first use and again when `ttl` has elapsed.
 * - A token whose `kid` matches no cached key triggers exactly one re-fetch
 *   (key rotation); a burst of such tokens shares that one fetch.
 * - After a re-fetch, further unknown-`kid` tokens are refused without a
 *   fetch until `cooldown` has elapsed, so a flood of forged tokens cannot
 *   turn the client into a fetch amplifier.
 * - A failed fetch is not cached: the next use tries again.
 *
 * @example
 * ```ts
 * const keys = new JwksCache('https://op.example.com/jwks', { timeout: 5000 });
 * const { payload } = await jwtVerify(idToken, keys.getKey, { algorithms: ['RS256'] });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517.html#section-5
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RotateSigKeys
 */
export class JwksCache {
  /** How many times the key set has been fetched (successfully or not). */
  fetches = 0;

  private readonly endpoint: string;
  private readonly ttl: number;
  private readonly cooldown: number;
  private readonly now: () => number;
  private current?: Generation;
  private pending?: Promise<Generation>;
  private lastRefetchAt = Number.NEGATIVE_INFINITY;

  /**
   * @param jwksUri - the provider's `jwks_uri`
   * @param http - custom `fetch`, timeout, `ttl` and `cooldown` in milliseconds
   */
  constructor(
    readonly jwksUri: string,
    private readonly http: JwksCacheOptions = {},
  ) {
    this.endpoint = describeEndpoint(jwksUri);
    this.ttl = http.ttl ?? DEFAULT_JWKS_TTL;
    this.cooldown = http.cooldown ?? DEFAULT_JWKS_COOLDOWN;
    this.now = http.now ?? Date.now;
  }

  /**
   * Resolves the verification key for a token's protected header: a `jose`
   * key resolver (bound, so it can be passed around as a function).
   *
   * @param protectedHeader - the token's protected header (`alg`, `kid`)
   * @param token - the flattened token (for an unprotected header, if any)
   * @returns the public key matching `kid` and `alg`
   * @throws {InvalidTokenError} (`signature`) when no key matches, even after a re-fetch
   * @throws {OAuthNetworkError | OAuthTimeoutError | InvalidResponseError} when the set cannot be fetched
   */
  readonly getKey = async (
    protectedHeader: JWSHeaderParameters,
    token?: FlattenedJWSInput,
  ): Promise<CryptoKey> => {
    let generation = await this.load();
    for (;;) {
      try {
        return await generation.resolve(protectedHeader, token);
      } catch (err) {
        if ((err as { code?: unknown })?.code !== 'ERR_JWKS_NO_MATCHING_KEY') throw err;
        if (this.current && this.current !== generation) {
          // Someone refreshed the set while we looked: try the newer one.
          generation = this.current;
          continue;
        }
        if (this.pending) {
          generation = await this.pending;
          if (generation !== this.current) throw noMatchingKey(err);
          continue;
        }
        if (this.now() - this.lastRefetchAt < this.cooldown) throw noMatchingKey(err);
        this.lastRefetchAt = this.now();
        const fresh = await this.refresh();
        try {
          return await fresh.resolve(protectedHeader, token);
        } catch (again) {
          if ((again as { code?: unknown })?.code === 'ERR_JWKS_NO_MATCHING_KEY') {
            throw noMatchingKey(again);
          }
          throw again;
        }
      }
    }
  };

  /**
   * Forgets the cached key set: the next use fetches it again.
   */
  clear(): void {
    this.current = undefined;
  }

  /** The cached key set, fetched when missing or older than `ttl`; concurrent callers share one fetch. */
  private load(): Promise<Generation> {
    const current = this.current;
    if (current && this.now() - current.fetchedAt < this.ttl) return Promise.resolve(current);
    return this.pending ?? this.refresh();
  }

  private refresh(): Promise<Generation> {
    if (this.pending) return this.pending;
    const pending = this.fetchSet().then(
      (generation) => {
        this.current = generation;
        this.pending = undefined;
        return generation;
      },
      (err: unknown) => {
        this.pending = undefined;
        throw err;
      },
    );
    this.pending = pending;
    return pending;
  }

  private async fetchSet(): Promise<Generation> {
    this.fetches++;
    const response = await sendToEndpoint(
      this.jwksUri,
      { method: 'GET', headers: { accept: 'application/jwk-set+json, application/json' } },
      this.http,
    );
    const data = await readOAuthResponse(response, {
      endpoint: this.endpoint,
      timeout: this.http.timeout ?? DEFAULT_TIMEOUT,
    });
    if (!Array.isArray(data.keys)) {
      throw new InvalidResponseError(this.endpoint, 'not a JWK set (no "keys" array)', {
        status: response.status,
      });
    }
    let resolve: KeyResolver;
    try {
      resolve = createLocalJWKSet(data as unknown as JSONWebKeySet);
    } catch (err) {
      throw new InvalidResponseError(this.endpoint, 'malformed JWK set', {
        status: response.status,
        cause: err,
      });
    }
    return { resolve, fetchedAt: this.now() };
  }
}

function noMatchingKey(cause: unknown): InvalidTokenError {
  return new InvalidTokenError('signature', 'no key of the provider matches the token (kid, alg)', {
    cause,
  });
}
