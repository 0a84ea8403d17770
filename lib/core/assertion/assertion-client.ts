import { createPrivateKey, KeyObject } from 'node:crypto';
import { importJWK, SignJWT, type JWK, type JWTHeaderParameters } from 'jose';
import { MissingTokenError } from '../errors.js';
import {
  DEFAULT_TIMEOUT,
  readOAuthResponse,
  sendRequest,
  type FetchLike,
  type HttpOptions,
} from '../http/fetcher.js';
import { isTokenExpired, normalizeToken, type OAuth2Token } from '../token.js';
import { randomToken } from '../util/random.js';
import { describeEndpoint } from '../util/redact.js';

/**
 * The `grant_type` of the JWT bearer grant.
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-2.1
 */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * A key that signs assertions: an RSA, EC (P-256/384/521) or Ed25519 private
 * key as a PEM string (PKCS#8, PKCS#1 or SEC1), a private JWK, a Node
 * `KeyObject` or a WebCrypto `CryptoKey`; or an HMAC secret as a string
 * (UTF-8), `Uint8Array`, `oct` JWK or secret `KeyObject`.
 */
export type AssertionKey = string | Uint8Array | JWK | KeyObject | CryptoKey;

/**
 * Options of {@link AssertionClient}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-3
 */
export interface AssertionClientOptions {
  /** The token endpoint that accepts the JWT bearer grant. */
  tokenEndpoint: string;
  /** `iss` of the assertion: usually the client id or the service account. */
  issuer: string;
  /** `sub` of the assertion: the principal the token is for (default: `issuer`). */
  subject?: string;
  /** `aud` of the assertion: the authorization server (often its token endpoint URL). */
  audience: string | string[];
  /** Extra claims of the assertion (they may override the standard ones). */
  claims?: Record<string, unknown>;
  /** Extra protected header parameters, such as `kid`; `alg` here chooses the algorithm. */
  header?: { alg?: string; kid?: string; typ?: string; [key: string]: unknown };
  /** The signing key or HMAC secret. */
  key: AssertionKey;
  /**
   * The signing algorithm; inferred from the key when absent (`RS256` for RSA,
   * `PS256` for RSA-PSS, `ES256/384/512` after the curve, `EdDSA` for Ed25519,
   * `HS256` for a secret).
   */
  alg?: string;
  /** Requested scope (an array is joined with spaces). */
  scope?: string | string[];
  /** Lifetime of each assertion, in seconds (default 3600). */
  expiresIn?: number;
  /** Seconds before expiry at which the access token is renewed (default 60). */
  leeway?: number;
  /** A token obtained before (used until it expires). */
  token?: OAuth2Token;
  /** Extra form parameters of the token request. */
  extraParams?: Record<string, string>;
  /** Replaces the platform `fetch`. */
  fetch?: FetchLike;
  /** Per-request timeout in milliseconds (default 30 000). */
  timeout?: number;
}

interface SigningKey {
  key: CryptoKey | Uint8Array;
  alg: string;
}

/**
 * A client for the JWT bearer grant (RFC 7523, the "service account" flow):
 * it signs an assertion with `jose`, exchanges it at the token endpoint, keeps
 * the access token, and gets a new one by itself when it expires (within
 * `leeway`). Concurrent requests that find the token expired share one fetch.
 *
 * Neither the key, the assertion nor the token ever appears in an error message.
 *
 * @example
 * ```ts
 * const client = new AssertionClient({
 *   tokenEndpoint: 'https://oauth2.googleapis.com/token',
 *   issuer: serviceAccount.client_email,
 *   audience: 'https://oauth2.googleapis.com/token',
 *   key: serviceAccount.private_key,
 *   header: { kid: serviceAccount.private_key_id },
 *   scope: 'https://www.googleapis.com/auth/devstorage.read_only',
 * });
 * const response = await client.get('https://storage.googleapis.com/storage/v1/b?project=p');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc7521.html#section-4.1
 */
export class AssertionClient {
  private readonly endpoint: string;
  private readonly http: HttpOptions;
  private readonly leeway: number;
  private readonly expiresIn: number;
  private signingKey?: Promise<SigningKey>;
  private current?: OAuth2Token;
  private pending?: Promise<OAuth2Token>;

  /**
   * @param options - endpoint, assertion claims, key and transport
   * @throws {TypeError} (`ERR_OAUTH_INVALID_OPTION`) when a required option is missing
   */
  constructor(private readonly options: AssertionClientOptions) {
    for (const name of ['tokenEndpoint', 'issuer', 'audience', 'key'] as const) {
      if (options?.[name] === undefined || options[name] === '') {
        throw invalidOption(`AssertionClient needs the "${name}" option`);
      }
    }
    this.endpoint = describeEndpoint(options.tokenEndpoint);
    this.http = { fetch: options.fetch, timeout: options.timeout };
    this.leeway = options.leeway ?? 60;
    this.expiresIn = options.expiresIn ?? 3600;
    this.current = options.token;
  }

  /** The current token, if one has been obtained (it may have expired). */
  get token(): OAuth2Token | undefined {
    return this.current;
  }

  /**
   * Signs a fresh assertion: `iss`, `sub`, `aud`, `iat`, `exp`, a random
   * `jti`, then the extra `claims`. The key is imported once and reused.
   *
   * @returns the compact JWT
   * @throws {TypeError} (`ERR_OAUTH_INVALID_KEY`) when the key is unusable (a public key, an unsupported type)
   * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-3
   */
  async createAssertion(): Promise<string> {
    const { key, alg } = await this.getSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const { issuer, subject, audience, claims, header } = this.options;
    const payload = {
      iss: issuer,
      sub: subject ?? issuer,
      aud: audience,
      iat: now,
      exp: now + this.expiresIn,
      jti: randomToken(),
      ...claims,
    };
    return new SignJWT(payload)
      .setProtectedHeader({ ...header, alg } as JWTHeaderParameters)
      .sign(key);
  }

  /**
   * Gets a new access token with a fresh assertion, whatever the state of the
   * current one. Concurrent calls share one request.
   *
   * @returns the normalized token (with `expires_at`)
   * @throws {OAuthError} when the server refuses the assertion (`invalid_grant`, ...)
   * @throws {MissingTokenError} when the response has no `access_token`
   * @throws {InvalidResponseError | OAuthNetworkError | OAuthTimeoutError} on transport failures
   * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-2.1
   */
  fetchToken(): Promise<OAuth2Token> {
    if (this.pending) return this.pending;
    const pending = this.requestToken().finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
    return pending;
  }

  /**
   * Sends a request with `Authorization: Bearer`, getting a token first when
   * there is none or it expires within `leeway`.
   *
   * @param method - the HTTP method
   * @param url - the resource URL
   * @param init - the rest of the `fetch` options
   * @returns the resource server's response, as it is
   * @throws whatever {@link AssertionClient.fetchToken} throws
   * @throws {OAuthNetworkError | OAuthTimeoutError} when the resource cannot be reached in time
   * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-2.1
   */
  async request(method: string, url: string | URL, init: RequestInit = {}): Promise<Response> {
    const token = await this.ensureToken();
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token.access_token}`);
    return sendRequest(url, { ...init, method: method.toUpperCase(), headers }, this.http);
  }

  /** `GET` with the bearer token; see {@link AssertionClient.request}. */
  get(url: string | URL, init?: RequestInit): Promise<Response> {
    return this.request('GET', url, init);
  }

  /** `POST` with the bearer token; see {@link AssertionClient.request}. */
  post(url: string | URL, init?: RequestInit): Promise<Response> {
    return this.request('POST', url, init);
  }

  /** `PUT` with the bearer token; see {@link AssertionClient.request}. */
  put(url: string | URL, init?: RequestInit): Promise<Response> {
    return this.request('PUT', url, init);
  }

  /** `PATCH` with the bearer token; see {@link AssertionClient.request}. */
  patch(url: string | URL, init?: RequestInit): Promise<Response> {
    return this.request('PATCH', url, init);
  }

  /** `DELETE` with the bearer token; see {@link AssertionClient.request}. */
  delete(url: string | URL, init?: RequestInit): Promise<Response> {
    return this.request('DELETE', url, init);
  }

  private ensureToken(): Promise<OAuth2Token> {
    const token = this.current;
    if (token && !isTokenExpired(token, this.leeway)) return Promise.resolve(token);
    return this.fetchToken();
  }

  private async requestToken(): Promise<OAuth2Token> {
    const assertion = await this.createAssertion();
    const body = new URLSearchParams(this.options.extraParams);
    body.set('grant_type', JWT_BEARER_GRANT_TYPE);
    body.set('assertion', assertion);
    const scope = Array.isArray(this.options.scope)
      ? this.options.scope.join(' ')
      : this.options.scope;
    if (scope) body.set('scope', scope);
    const response = await sendRequest(
      this.options.tokenEndpoint,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
      },
      this.http,
    );
    const data = await readOAuthResponse(response, {
      endpoint: this.endpoint,
      timeout: this.http.timeout ?? DEFAULT_TIMEOUT,
      secrets: [assertion],
    });
    if (typeof data.access_token !== 'string' || data.access_token === '') {
      throw new MissingTokenError({
        message: `the token response from ${this.endpoint} has no access_token`,
        endpoint: this.endpoint,
        status: response.status,
      });
    }
    const token = normalizeToken(data);
    this.current = token;
    return token;
  }

  private getSigningKey(): Promise<SigningKey> {
    if (!this.signingKey) {
      const alg = this.options.alg ?? this.options.header?.alg;
      this.signingKey = prepareSigningKey(this.options.key, alg);
    }
    return this.signingKey;
  }
}

const HMAC_ALG = /^HS(256|384|512)$/;

async function prepareSigningKey(key: AssertionKey, alg: string | undefined): Promise<SigningKey> {
  if (typeof key === 'string') {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
      let keyObject: KeyObject;
      try {
        keyObject = createPrivateKey(key);
      } catch (err) {
        throw invalidKey('the PEM private key cannot be read', err);
      }
      return fromKeyObject(keyObject, alg);
    }
    if (key.includes('-----BEGIN')) {
      throw invalidKey(
        'a private key is needed to sign assertions, not a public key or certificate',
      );
    }
    return hmac(new TextEncoder().encode(key), alg);
  }
  if (key instanceof Uint8Array) return hmac(key, alg);
  if (key instanceof KeyObject) return fromKeyObject(key, alg);
  if (isCryptoKey(key)) return fromCryptoKey(key, alg);
  if (key && typeof key === 'object' && typeof (key as JWK).kty === 'string') {
    return fromJwk(key as JWK, alg);
  }
  throw invalidKey('unsupported key type');
}

function hmac(secret: Uint8Array, alg: string | undefined): SigningKey {
  const chosen = alg ?? 'HS256';
  if (!HMAC_ALG.test(chosen)) throw invalidKey(`a secret can only sign with HS256/384/512`);
  if (secret.length === 0) throw invalidKey('the secret is empty');
  return { key: secret, alg: chosen };
}

async function fromKeyObject(keyObject: KeyObject, alg: string | undefined): Promise<SigningKey> {
  if (keyObject.type === 'secret') return hmac(keyObject.export(), alg);
  if (keyObject.type !== 'private') {
    throw invalidKey('a private key is needed to sign assertions, not a public key');
  }
  const type = keyObject.asymmetricKeyType;
  if (type === 'rsa-pss') {
    throw invalidKey('RSA-PSS-only keys are not supported: use an RSA key with alg PS256');
  }
  if (type !== 'rsa' && type !== 'ec' && type !== 'ed25519') {
    throw invalidKey('unsupported key type');
  }
  return fromJwk(keyObject.export({ format: 'jwk' }) as JWK, alg);
}

async function fromJwk(jwk: JWK, alg: string | undefined): Promise<SigningKey> {
  const chosen = alg ?? jwk.alg ?? inferFromJwk(jwk);
  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string') throw invalidKey('the oct JWK has no "k"');
    const imported = await importKey(jwk, chosen);
    return hmac(imported as Uint8Array, chosen);
  }
  if (typeof jwk.d !== 'string') {
    throw invalidKey('a private key is needed to sign assertions, not a public key');
  }
  const key = await importKey(jwk, chosen);
  return { key: key as CryptoKey, alg: chosen };
}

async function importKey(jwk: JWK, alg: string): Promise<CryptoKey | Uint8Array> {
  try {
    return await importJWK({ ...jwk, alg: undefined, ext: undefined, key_ops: undefined }, alg);
  } catch (err) {
    throw invalidKey(`the key cannot be used with ${printable(alg)}`, err);
  }
}

function inferFromJwk(jwk: JWK): string {
  switch (jwk.kty) {
    case 'RSA':
      return 'RS256';
    case 'EC':
      return inferFromCurve(jwk.crv);
    case 'OKP':
      if (jwk.crv === 'Ed25519') return 'EdDSA';
      throw invalidKey(`unsupported OKP curve`);
    case 'oct':
      return 'HS256';
    default:
      throw invalidKey('unsupported key type');
  }
}

function inferFromCurve(crv: unknown): string {
  switch (crv) {
    case 'P-256':
      return 'ES256';
    case 'P-384':
      return 'ES384';
    case 'P-521':
      return 'ES512';
    default:
      throw invalidKey('unsupported EC curve');
  }
}

function fromCryptoKey(key: CryptoKey, alg: string | undefined): SigningKey {
  if (key.type === 'public') {
    throw invalidKey('a private key is needed to sign assertions, not a public key');
  }
  const algorithm = key.algorithm as KeyAlgorithm & {
    hash?: { name?: string };
    namedCurve?: string;
  };
  const bits = algorithm.hash?.name?.replace('SHA-', '');
  let inferred: string | undefined;
  switch (algorithm.name) {
    case 'RSASSA-PKCS1-v1_5':
      inferred = `RS${bits}`;
      break;
    case 'RSA-PSS':
      inferred = `PS${bits}`;
      break;
    case 'ECDSA':
      inferred = inferFromCurve(algorithm.namedCurve);
      break;
    case 'Ed25519':
      inferred = 'EdDSA';
      break;
    case 'HMAC':
      inferred = `HS${bits}`;
      break;
    default:
      throw invalidKey('unsupported CryptoKey algorithm');
  }
  if (!key.usages.includes('sign')) throw invalidKey('the CryptoKey cannot sign');
  return { key, alg: alg ?? inferred };
}

function isCryptoKey(key: unknown): key is CryptoKey {
  return (
    (key as { [Symbol.toStringTag]?: unknown })?.[Symbol.toStringTag] === 'CryptoKey' ||
    (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey)
  );
}

function printable(alg: string): string {
  return /^[A-Za-z0-9+_-]{1,32}$/.test(alg) ? alg : 'the requested algorithm';
}

function invalidKey(reason: string, cause?: unknown): TypeError {
  return Object.assign(new TypeError(`AssertionClient key: ${reason}`, { cause }), {
    code: 'ERR_OAUTH_INVALID_KEY',
  });
}

function invalidOption(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_OAUTH_INVALID_OPTION' });
}
