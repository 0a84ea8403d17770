import { InvalidResponseError, OAuthError } from '../errors.js';
import {
  DEFAULT_TIMEOUT,
  readOAuthResponse,
  sendToEndpoint,
  type HttpOptions,
} from '../http/fetcher.js';
import { describeEndpoint } from '../util/redact.js';

/**
 * Authorization server metadata (RFC 8414) / OpenID Provider metadata
 * (OpenID Connect Discovery 1.0 §3). Members the library uses are typed;
 * everything else the server sent is kept as it is.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414.html#section-2
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export interface AuthorizationServerMetadata {
  /** The issuer identifier (RFC 8414 §2); must match the metadata URL and the ID tokens' `iss`. */
  issuer: string;
  /** The authorization endpoint (RFC 6749 §3.1). */
  authorization_endpoint?: string;
  /** The token endpoint (RFC 6749 §3.2). */
  token_endpoint?: string;
  /** The OpenID Connect UserInfo endpoint. */
  userinfo_endpoint?: string;
  /** URL of the server's JSON Web Key Set, the keys that verify its signatures. */
  jwks_uri?: string;
  /** The token revocation endpoint (RFC 7009). */
  revocation_endpoint?: string;
  /** The token introspection endpoint (RFC 7662). */
  introspection_endpoint?: string;
  /** The dynamic client registration endpoint (RFC 7591). */
  registration_endpoint?: string;
  /** The OpenID Connect RP-Initiated Logout endpoint. */
  end_session_endpoint?: string;
  /** The scope values the server supports. */
  scopes_supported?: string[];
  /** The `response_type` values the server supports. */
  response_types_supported?: string[];
  /** The grant types the server supports (RFC 8414 default: `authorization_code`, `implicit`). */
  grant_types_supported?: string[];
  /** The JWS algorithms the server may sign ID tokens with (`RS256` when absent). */
  id_token_signing_alg_values_supported?: string[];
  /** The JWS algorithms the server may sign UserInfo responses with. */
  userinfo_signing_alg_values_supported?: string[];
  /** The client authentication methods the token endpoint supports (RFC 8414 default: `client_secret_basic`). */
  token_endpoint_auth_methods_supported?: string[];
  /** The JWS algorithms the token endpoint accepts for JWT client authentication. */
  token_endpoint_auth_signing_alg_values_supported?: string[];
  /** The PKCE code challenge methods the server supports (RFC 7636). */
  code_challenge_methods_supported?: string[];
  /** RFC 9207: the server puts `iss` on every authorization response. */
  authorization_response_iss_parameter_supported?: boolean;
  [key: string]: unknown;
}

/** Options of {@link fetchServerMetadata}: transport plus an explicit expected issuer. */
export interface ServerMetadataOptions extends HttpOptions {
  /**
   * The issuer the document must name. By default it is derived from the URL:
   * `https://op/tenant/.well-known/openid-configuration` → `https://op/tenant`,
   * `https://as/.well-known/oauth-authorization-server/tenant` → `https://as/tenant`.
   * Required in practice for a metadata URL of neither form (otherwise the
   * issuer is only checked to be a URL).
   */
  issuer?: string;
  /**
   * Accept plain `http` endpoints on other hosts than loopback ones (a test
   * provider on a private network). Off by default: every endpoint must be
   * `https` except on `localhost`, `127.0.0.0/8` and `[::1]`. Other schemes
   * (`javascript:`, `data:`, ...) are refused whatever this says.
   */
  allowInsecureRequests?: boolean;
}

const OIDC_SUFFIX = '/.well-known/openid-configuration';
const RFC8414_PREFIX = '/.well-known/oauth-authorization-server';

const URL_MEMBERS = [
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'jwks_uri',
  'revocation_endpoint',
  'introspection_endpoint',
  'registration_endpoint',
  'end_session_endpoint',
  'pushed_authorization_request_endpoint',
  'device_authorization_endpoint',
] as const;

const STRING_ARRAY_MEMBERS = [
  'scopes_supported',
  'response_types_supported',
  'grant_types_supported',
  'id_token_signing_alg_values_supported',
  'userinfo_signing_alg_values_supported',
  'token_endpoint_auth_methods_supported',
  'token_endpoint_auth_signing_alg_values_supported',
  'code_challenge_methods_supported',
] as const;

/**
 * Derives the issuer a metadata URL stands for, or `undefined` when the URL
 * has neither well-known form.
 *
 * - OpenID Connect Discovery: the URL minus `/.well-known/openid-configuration`.
 * - RFC 8414: origin plus whatever follows `/.well-known/oauth-authorization-server`
 *   (also accepted: `/.well-known/openid-configuration/path`, the RFC 8414 §5 form).
 *
 * @param url - the metadata URL
 * @returns the expected issuer identifier
 * @see https://www.rfc-editor.org/rfc/rfc8414.html#section-3.1
 */
export function issuerFromMetadataUrl(url: string | URL): string | undefined {
  const u = typeof url === 'string' ? new URL(url) : url;
  const path = u.pathname;
  if (path.endsWith(OIDC_SUFFIX)) return u.origin + path.slice(0, -OIDC_SUFFIX.length);
  for (const prefix of [RFC8414_PREFIX, OIDC_SUFFIX]) {
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      return u.origin + path.slice(prefix.length);
    }
  }
  return undefined;
}

/**
 * Fetches and validates an authorization server's metadata document.
 *
 * The document must be a JSON object whose `issuer` equals the issuer the URL
 * stands for (see {@link issuerFromMetadataUrl}; a single trailing `/` is
 * tolerated, as OpenID Discovery strips it before appending the well-known
 * suffix), and whose endpoint members, when present, are `https` URLs
 * (`http` only on loopback hosts, or everywhere with `allowInsecureRequests`;
 * any other scheme never).
 *
 * @param url - a `.well-known/openid-configuration` or `.well-known/oauth-authorization-server` URL
 * @param http - custom `fetch`, timeout, and optionally the expected `issuer`
 * @returns the metadata, as sent
 * @throws {TypeError} (`ERR_OAUTH_INVALID_URL`) when `url` is not an absolute URL;
 *   (`ERR_OAUTH_INSECURE_URL`) when it is not `https` (see `allowInsecureRequests`)
 * @throws {OAuthError} (`invalid_issuer`) when the document names another issuer (mix-up / impersonation)
 * @throws {InvalidResponseError} when the body is not a valid metadata document, or names
 *   an endpoint that is not `https` (see `allowInsecureRequests`)
 * @throws {OAuthNetworkError | OAuthTimeoutError} when the server cannot be reached in time
 * @example
 * ```ts
 * const metadata = await fetchServerMetadata('https://accounts.google.com/.well-known/openid-configuration');
 * metadata.token_endpoint; // 'https://oauth2.googleapis.com/token'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414.html#section-3.3
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 */
export async function fetchServerMetadata(
  url: string,
  http: ServerMetadataOptions = {},
): Promise<AuthorizationServerMetadata> {
  const parsed = parseUrl(url);
  const endpoint = describeEndpoint(parsed);
  const insecure = insecureReason(parsed, http.allowInsecureRequests);
  if (insecure) {
    throw Object.assign(new TypeError(`serverMetadataUrl ${insecure}`), {
      code: 'ERR_OAUTH_INSECURE_URL',
    });
  }
  const expected = http.issuer ?? issuerFromMetadataUrl(parsed);
  const response = await sendToEndpoint(
    parsed,
    { method: 'GET', headers: { accept: 'application/json' } },
    http,
  );
  const data = await readOAuthResponse(response, {
    endpoint,
    timeout: http.timeout ?? DEFAULT_TIMEOUT,
  });
  const invalid = (reason: string) =>
    new InvalidResponseError(endpoint, reason, { status: response.status, response: data });

  if (typeof data.issuer !== 'string' || !isUrl(data.issuer)) {
    throw invalid('the metadata has no "issuer" URL');
  }
  if (expected !== undefined && !sameIssuer(data.issuer, expected)) {
    throw new OAuthError('invalid_issuer', {
      message: `the metadata from ${endpoint} names another issuer than ${describeEndpoint(expected)}`,
      endpoint,
      status: response.status,
      response: data,
    });
  }
  for (const member of URL_MEMBERS) {
    const value = data[member];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !isUrl(value)) throw invalid(`"${member}" is not a URL`);
    const reason = insecureReason(new URL(value), http.allowInsecureRequests);
    if (reason) throw invalid(`"${member}" ${reason}`);
  }
  for (const member of STRING_ARRAY_MEMBERS) {
    const value = data[member];
    if (
      value !== undefined &&
      !(Array.isArray(value) && value.every((v) => typeof v === 'string'))
    ) {
      throw invalid(`"${member}" is not an array of strings`);
    }
  }
  const iss = data.authorization_response_iss_parameter_supported;
  if (iss !== undefined && typeof iss !== 'boolean') {
    throw invalid('"authorization_response_iss_parameter_supported" is not a boolean');
  }
  return data as AuthorizationServerMetadata;
}

/** Options of {@link MetadataCache}. */
export interface MetadataCacheOptions extends HttpOptions {
  /** See {@link ServerMetadataOptions.allowInsecureRequests}. */
  allowInsecureRequests?: boolean;
  /** How long (ms) a fetched document is reused (default 24 h). */
  ttl?: number;
  /** Clock in milliseconds (for tests). */
  now?: () => number;
}

/** Default lifetime of a cached metadata document: 24 hours. */
export const DEFAULT_METADATA_TTL = 24 * 60 * 60_000;

/**
 * Caches metadata documents by URL: one fetch per URL per `ttl`, concurrent
 * callers share the fetch in flight, and a failed fetch is not cached.
 *
 * @example
 * ```ts
 * const cache = new MetadataCache({ timeout: 5000 });
 * const metadata = await cache.get('https://op.example.com/.well-known/openid-configuration');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414.html#section-3
 */
export class MetadataCache {
  /** How many fetches this cache has started. */
  fetches = 0;

  private readonly entries = new Map<
    string,
    { value: AuthorizationServerMetadata; fetchedAt: number }
  >();
  private readonly inflight = new Map<string, Promise<AuthorizationServerMetadata>>();
  private readonly ttl: number;
  private readonly now: () => number;

  /** @param http - custom `fetch`, timeout and `ttl` (ms, default 24 h) */
  constructor(private readonly http: MetadataCacheOptions = {}) {
    this.ttl = http.ttl ?? DEFAULT_METADATA_TTL;
    this.now = http.now ?? Date.now;
  }

  /**
   * The metadata at `url`, fetched (and validated by {@link fetchServerMetadata}) when not cached.
   *
   * @param url - the metadata URL
   * @param options - optionally the expected `issuer`, when the URL does not imply it
   * @throws whatever {@link fetchServerMetadata} throws
   */
  get(url: string, options: { issuer?: string } = {}): Promise<AuthorizationServerMetadata> {
    const entry = this.entries.get(url);
    if (entry && this.now() - entry.fetchedAt < this.ttl) return Promise.resolve(entry.value);
    const pending = this.inflight.get(url);
    if (pending) return pending;
    this.fetches++;
    const promise = fetchServerMetadata(url, { ...this.http, ...options }).then(
      (value) => {
        this.entries.set(url, { value, fetchedAt: this.now() });
        this.inflight.delete(url);
        return value;
      },
      (err: unknown) => {
        this.inflight.delete(url);
        throw err;
      },
    );
    this.inflight.set(url, promise);
    return promise;
  }

  /** Forgets one URL's document, or all of them. */
  clear(url?: string): void {
    if (url === undefined) this.entries.clear();
    else this.entries.delete(url);
  }
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw Object.assign(new TypeError('serverMetadataUrl must be an absolute URL'), {
      code: 'ERR_OAUTH_INVALID_URL',
    });
  }
}

/**
 * Why a provider URL is not acceptable, or `undefined` when it is: `https`,
 * or `http` on a loopback host (or anywhere when insecure requests are allowed).
 */
function insecureReason(url: URL, allowInsecure = false): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return 'is not an http(s) URL';
  if (allowInsecure || isLoopback(url.hostname)) return undefined;
  return 'is not https (plain http is allowed on loopback hosts, or with allowInsecureRequests)';
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function sameIssuer(actual: string, expected: string): boolean {
  if (actual === expected || actual === `${expected}/` || `${actual}/` === expected) return true;
  // A multi-tenant issuer template (Microsoft's `.../{tenantid}/v2.0` served at
  // `.../common/v2.0/...`) stands for any one tenant in that path segment.
  if (!actual.includes(TENANT_PLACEHOLDER)) return false;
  const pattern = actual.split(TENANT_PLACEHOLDER).map(escapeRegExp).join('[^/]+');
  return new RegExp(`^${pattern}/?$`).test(expected);
}

/**
 * The placeholder of a multi-tenant issuer template, as in Microsoft's
 * `https://login.microsoftonline.com/{tenantid}/v2.0`: an ID token's `iss`
 * has the token's `tid` claim in its place.
 */
export const TENANT_PLACEHOLDER = '{tenantid}';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
