import { SignJWT, type JWTHeaderParameters } from 'jose';
import { importSigningKey, type SigningKey, type SigningKeyInput } from '../util/signing-key.js';
import { MissingTokenError } from '../errors.js';
import {
  DEFAULT_TIMEOUT,
  readOAuthResponse,
  sendRequest,
  sendToEndpoint,
  type FetchLike,
  type HttpOptions,
} from '../http/fetcher.js';
import { HttpVerbs } from '../http/http-verbs.js';
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
export type AssertionKey = SigningKeyInput;

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
  header?: {
    /** The signing algorithm, used when the `alg` option is not set. */
    alg?: string;
    /** The key id, telling the server which key verifies the assertion. */
    kid?: string;
    /** The media type of the assertion, e.g. `JWT`. */
    typ?: string;
    [key: string]: unknown;
  };
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
  /** The largest token response read, in bytes after decompression (default 1 MiB). */
  maxResponseBytes?: number;
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
export class AssertionClient extends HttpVerbs<RequestInit, string | URL> {
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
    super();
    for (const name of ['tokenEndpoint', 'issuer', 'audience', 'key'] as const) {
      if (options?.[name] === undefined || options[name] === '') {
        throw invalidOption(`AssertionClient needs the "${name}" option`);
      }
    }
    this.endpoint = describeEndpoint(options.tokenEndpoint);
    this.http = {
      fetch: options.fetch,
      timeout: options.timeout,
      maxResponseBytes: options.maxResponseBytes,
    };
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
    const response = await sendToEndpoint(
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
      this.signingKey = importSigningKey(this.options.key, alg);
    }
    return this.signingKey;
  }
}

function invalidOption(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_OAUTH_INVALID_OPTION' });
}
