import { InvalidResponseError } from '../../core/errors.js';
import type { HttpOptions } from '../../core/http/fetcher.js';
import { MetadataCache, type AuthorizationServerMetadata } from '../../core/oidc/discovery.js';
import { describeEndpoint } from '../../core/util/redact.js';

/** Where a validator learns about the authorization server that issued a token. */
export interface IssuerOptions extends HttpOptions {
  /**
   * The issuer identifier, compared exactly with `iss`. Without
   * `serverMetadataUrl` its metadata is read from
   * `{issuer}/.well-known/openid-configuration`.
   */
  issuer?: string;
  /** An OpenID Discovery or RFC 8414 metadata URL (its issuer is checked against `issuer` when both are given). */
  serverMetadataUrl?: string;
  /**
   * A metadata cache to share (with other validators or an `OAuth2Client`'s
   * discovery); by default each resolver keeps its own.
   */
  metadataCache?: MetadataCache;
}

const OIDC_SUFFIX = '/.well-known/openid-configuration';

/**
 * Resolves an issuer's metadata lazily with the discovery code of the clients
 * (`fetchServerMetadata` through a {@link MetadataCache}): fetched on first
 * use, then cached; a failed fetch is retried on the next use.
 * @internal
 */
export class IssuerMetadata {
  /** The metadata URL. */
  readonly url: string;
  private readonly cache: MetadataCache;

  /**
   * @param options - `issuer` and/or `serverMetadataUrl`, transport, shared cache
   * @param what - the validator, for the start-up error
   * @throws {TypeError} (`ERR_OAUTH_RESOURCE_CONFIG`) when neither `issuer` nor `serverMetadataUrl` is set
   */
  constructor(
    private readonly options: IssuerOptions,
    what: string,
  ) {
    if (!options.serverMetadataUrl && !options.issuer) {
      throw configError(`${what} needs an issuer or a serverMetadataUrl`);
    }
    this.url = options.serverMetadataUrl ?? `${options.issuer!.replace(/\/+$/, '')}${OIDC_SUFFIX}`;
    this.cache =
      options.metadataCache ??
      new MetadataCache({ fetch: options.fetch, timeout: options.timeout });
  }

  /**
   * The metadata, fetched and validated (its `issuer` must be the configured one).
   * @throws whatever `fetchServerMetadata` throws (network, timeout, invalid document, `invalid_issuer`)
   */
  get(): Promise<AuthorizationServerMetadata> {
    return this.cache.get(
      this.url,
      this.options.issuer !== undefined ? { issuer: this.options.issuer } : {},
    );
  }

  /**
   * A URL member of the metadata that the validator cannot work without.
   * @throws {InvalidResponseError} naming the metadata URL when it is missing
   */
  async endpoint(member: 'jwks_uri' | 'introspection_endpoint'): Promise<string> {
    const metadata = await this.get();
    const value = metadata[member];
    if (typeof value !== 'string') {
      throw new InvalidResponseError(describeEndpoint(this.url), `the metadata has no "${member}"`);
    }
    return value;
  }
}

/**
 * A configuration mistake found when a validator is built.
 * @internal
 */
export function configError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_OAUTH_RESOURCE_CONFIG' });
}
