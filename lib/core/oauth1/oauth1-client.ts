/**
 * OAuth1Client: an RFC 5849 client (Authlib's OAuth1Session), framework-agnostic.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html
 */
import { MismatchingStateError, MissingTokenError } from '../errors.js';
import { HttpVerbs } from '../http/http-verbs.js';
import { DEFAULT_TIMEOUT, sendRequest, type HttpOptions } from '../http/fetcher.js';
import type { OAuth1Token } from '../token.js';
import { randomNonce } from '../util/random.js';
import {
  checkCallbackConfirmed,
  checkToken,
  readCallback,
  requestCredentials,
} from './credentials.js';
import { checkOptions } from './oauth1-options.js';
import { messages, oauth1TypeError } from './oauth1-errors.js';
import type {
  OAuth1AccessTokenOptions,
  OAuth1AuthorizationResponse,
  OAuth1AuthorizationUrlOptions,
  OAuth1ClientOptions,
  OAuth1RequestInit,
  OAuth1SignedRequest,
  OAuth1SignOptions,
} from './oauth1-types.js';
import { percentEncode } from './percent-encode.js';
import { RequestSigner } from './request-signer.js';
import {
  parseRequestUrl,
  type OAuth1SignatureMethod,
  type OAuth1SignatureType,
} from './signature.js';

/**
 * An OAuth 1.0a client (RFC 5849): the three-legged flow (temporary
 * credentials, authorization redirect, token credentials) and signed requests
 * to protected resources. Signature methods `HMAC-SHA1` (default),
 * `HMAC-SHA256`, `RSA-SHA1`, `RSA-SHA256` and `PLAINTEXT`; the protocol
 * parameters travel in the `Authorization` header (default), the query or a
 * form body. Network failures and timeouts surface as
 * {@link OAuthNetworkError}/{@link OAuthTimeoutError} naming the endpoint;
 * provider refusals as {@link OAuthError} whose `error` is the provider's
 * `oauth_problem`. Secrets, tokens and verifiers are kept in private fields
 * and never appear in messages.
 *
 * @example
 * ```ts
 * const client = new OAuth1Client({ clientId, clientSecret, redirectUri: 'https://app.example/cb' });
 * await client.fetchRequestToken('https://api.example/oauth/request_token');
 * const url = client.createAuthorizationUrl('https://api.example/oauth/authorize');
 * // ... the user comes back to https://app.example/cb?oauth_token=...&oauth_verifier=...
 * client.parseAuthorizationResponse(callbackUrl);
 * const token = await client.fetchAccessToken('https://api.example/oauth/access_token');
 * const me = await (await client.get('https://api.example/1/me.json')).json();
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3
 */
export class OAuth1Client extends HttpVerbs<OAuth1RequestInit> {
  /** The client identifier (`oauth_consumer_key`). */
  readonly clientId: string;
  /** The callback URI sent with the request-token call. */
  readonly redirectUri?: string;
  /** The signature method. */
  readonly signatureMethod: OAuth1SignatureMethod;
  /** Where the protocol parameters are sent. */
  readonly signatureType: OAuth1SignatureType;
  /** The `realm` of the `Authorization` header, if any. */
  readonly realm?: string;
  /** Per-request timeout in milliseconds. */
  readonly timeout: number;

  readonly #httpOptions: HttpOptions;
  readonly #clientSecret: string;
  readonly #signer: RequestSigner;
  #token?: string;
  #tokenSecret = '';
  #tokenExtra: Record<string, unknown> = {};
  #verifier?: string;
  /** The request token fetched by this client and not yet exchanged. */
  #pendingRequestToken?: string;
  /** The `oauth_token` of the last parsed authorization response. */
  #authorizedToken?: string;

  /**
   * @param options - client credentials, saved token credentials, signature settings, transport
   * @throws {TypeError} `ERR_OAUTH1_INVALID_OPTION` for a missing `clientId`, an unknown
   *   signature method or type, or a `realm` with control characters;
   *   `ERR_OAUTH1_INVALID_RSA_KEY` when an RSA method has no usable RSA private key
   */
  constructor(options: OAuth1ClientOptions) {
    super();
    const { signatureMethod, signatureType } = checkOptions(options);
    this.clientId = options.clientId;
    this.signatureMethod = signatureMethod;
    this.signatureType = signatureType;
    if (options.redirectUri !== undefined) this.redirectUri = options.redirectUri;
    if (options.realm !== undefined) this.realm = options.realm;
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT;
    this.#httpOptions = {
      timeout: this.timeout,
      fetch: options.fetch,
      maxResponseBytes: options.maxResponseBytes,
    };
    this.#clientSecret = options.clientSecret ?? '';
    this.#signer = new RequestSigner({
      clientId: this.clientId,
      clientSecret: this.#clientSecret,
      signatureMethod,
      signatureType,
      realm: options.realm,
      rsaKey: options.rsaKey,
    });
    if (options.token) this.#token = options.token;
    this.#tokenSecret = options.tokenSecret ?? '';
    if (options.verifier) this.#verifier = options.verifier;
  }

  /**
   * The current token credentials (or temporary credentials mid-flow), with
   * the other fields of the provider's last token response; `undefined` when
   * the client has no token. Setting it replaces them (`undefined` clears).
   */
  get token(): OAuth1Token | undefined {
    if (this.#token === undefined) return undefined;
    return { ...this.#tokenExtra, oauth_token: this.#token, oauth_token_secret: this.#tokenSecret };
  }

  /**
   * Replaces the token credentials (and the token's other fields); `undefined` clears them.
   * @throws {TypeError} `ERR_OAUTH1_INVALID_OPTION` when `oauth_token` is not a non-empty string
   */
  set token(token: OAuth1Token | undefined) {
    if (token === undefined || token === null) {
      this.#token = undefined;
      this.#tokenSecret = '';
      this.#tokenExtra = {};
      return;
    }
    const credentials = checkToken(token);
    const { oauth_token: _t, oauth_token_secret: _s, ...extra } = token;
    this.#token = credentials.oauth_token;
    this.#tokenSecret = credentials.oauth_token_secret;
    this.#tokenExtra = extra;
  }

  /** The verification code of the authorization step, once known. */
  get verifier(): string | undefined {
    return this.#verifier;
  }

  /** Sets the verification code; `undefined` or an empty string clears it. */
  set verifier(verifier: string | undefined) {
    this.#verifier = verifier || undefined;
  }

  /**
   * Obtains temporary credentials (a request token), RFC 5849 §2.1: a signed
   * `POST` with `oauth_callback` set to `redirectUri` (or `oob`), signed
   * with the client credentials only. The provider must answer
   * `oauth_callback_confirmed=true` (in any case: Authlib writes `True`). The client keeps the request token for
   * {@link createAuthorizationUrl} and {@link fetchAccessToken}.
   *
   * @param url - the temporary credential request endpoint
   * @param extraParams - additional parameters, sent in the query string
   *   (names starting with `oauth_` are sent as protocol parameters instead)
   * @returns the temporary credentials and any other field of the response
   * @throws {OAuthError} the provider's `oauth_problem` (`nonce_used`, `signature_invalid`, ...)
   *   or `error` as `error`; `callback_not_confirmed` when the provider does not confirm
   *   the callback; {@link InvalidResponseError} for a non-OAuth answer;
   *   {@link MissingTokenError} when the response has no credentials
   * @throws {OAuthNetworkError} / {@link OAuthTimeoutError} naming the endpoint
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.1
   */
  async fetchRequestToken(
    url: string,
    extraParams: Record<string, string | number | boolean | undefined> = {},
  ): Promise<OAuth1Token> {
    const oauthParams: Record<string, string> = { oauth_callback: this.redirectUri || 'oob' };
    const target = parseRequestUrl(url);
    for (const [name, value] of Object.entries(extraParams)) {
      if (value === undefined) continue;
      if (name.startsWith('oauth_')) oauthParams[name] = String(value);
      else target.searchParams.append(name, String(value));
    }
    const data = await this.#fetchCredentials(target.href, { token: null, oauthParams }, []);
    checkCallbackConfirmed(data, target);
    this.token = data;
    this.#pendingRequestToken = data.oauth_token;
    this.#authorizedToken = undefined;
    this.#verifier = undefined;
    return data;
  }

  /**
   * Builds the URL to send the resource owner to (RFC 5849 §2.2): the
   * authorization endpoint with `oauth_token` and any extra parameters added
   * to its query.
   *
   * @param url - the resource owner authorization endpoint
   * @param options - `requestToken` (default: the one just fetched) and extra query parameters
   * @returns the authorization URL
   * @throws {MissingTokenError} when there is no request token
   * @throws {TypeError} `ERR_OAUTH1_INVALID_URL` when `url` is not an absolute http(s) URL
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.2
   */
  createAuthorizationUrl(url: string, options: OAuth1AuthorizationUrlOptions = {}): string {
    const { requestToken, ...extra } = options;
    const target = parseRequestUrl(url);
    const oauthToken = requestToken ?? this.#token;
    if (!oauthToken) throw new MissingTokenError({ message: messages.noRequestToken });
    target.searchParams.set('oauth_token', oauthToken);
    for (const [name, value] of Object.entries(extra)) {
      if (value !== undefined) target.searchParams.set(name, String(value));
    }
    return target.href;
  }

  /**
   * Reads the callback request of RFC 5849 §2.2 (the URL the provider
   * redirected the resource owner to, absolute or just path and query) and
   * keeps its `oauth_verifier` for {@link fetchAccessToken}.
   *
   * @param url - the callback URL (`/callback?oauth_token=...&oauth_verifier=...` is enough)
   * @returns the callback's query parameters (first value of each)
   * @throws {OAuthError} `access_denied` when the provider says the user refused
   *   (`denied=...`), the provider's `oauth_problem`, or `invalid_request` when
   *   `oauth_token` or `oauth_verifier` is missing
   * @throws {MismatchingStateError} when `oauth_token` is not the request token this client fetched
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.2
   */
  parseAuthorizationResponse(url: string | URL): OAuth1AuthorizationResponse {
    const params = readCallback(url, this.#secrets());
    if (
      this.#pendingRequestToken !== undefined &&
      params.oauth_token !== this.#pendingRequestToken
    ) {
      throw new MismatchingStateError({ message: messages.tokenMismatch });
    }
    this.#verifier = params.oauth_verifier;
    this.#authorizedToken = params.oauth_token;
    return params as OAuth1AuthorizationResponse;
  }

  /**
   * Exchanges the temporary credentials and the verifier for token
   * credentials (RFC 5849 §2.3): a signed `POST` with `oauth_token` and
   * `oauth_verifier`. The client then holds the token credentials.
   *
   * @param url - the token request endpoint
   * @param options - `verifier` and `token` (the temporary credentials) when the client does not hold them
   * @returns the token credentials and any other field of the response (`user_id`, ...)
   * @throws {MissingTokenError} when there are no temporary credentials
   * @throws {TypeError} `ERR_OAUTH1_MISSING_VERIFIER` when there is no verifier
   * @throws {MismatchingStateError} when the verifier was issued for another request token
   * @throws {OAuthError} the provider's `oauth_problem` (`verifier_invalid`, `token_rejected`, ...)
   * @throws {OAuthNetworkError} / {@link OAuthTimeoutError} naming the endpoint
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.3
   */
  async fetchAccessToken(
    url: string,
    options: OAuth1AccessTokenOptions = {},
  ): Promise<OAuth1Token> {
    const requestToken = options.token ? checkToken(options.token) : this.token;
    if (!requestToken) throw new MissingTokenError({ message: messages.noRequestToken });
    const verifier = options.verifier ?? this.#verifier;
    if (!verifier) throw oauth1TypeError('ERR_OAUTH1_MISSING_VERIFIER', messages.noVerifier);
    if (this.#authorizedToken !== undefined && this.#authorizedToken !== requestToken.oauth_token) {
      throw new MismatchingStateError({ message: messages.tokenMismatch });
    }
    const data = await this.#fetchCredentials(
      url,
      { token: requestToken, oauthParams: { oauth_verifier: verifier } },
      [verifier, requestToken.oauth_token_secret],
    );
    this.token = data;
    this.#pendingRequestToken = undefined;
    this.#authorizedToken = undefined;
    this.#verifier = undefined;
    return data;
  }

  /**
   * Sends a signed request (RFC 5849 §3) and returns the provider's response
   * as it is (any status). A `URLSearchParams` body, or a string body with a
   * form content type, is covered by the signature.
   *
   * @param method - the HTTP method
   * @param url - the absolute URL
   * @param init - `fetch` options, plus `token` to sign with other token credentials
   * @returns the `fetch` Response
   * @throws {TypeError} `ERR_OAUTH1_BODY_SIGNATURE` for the `body` signature type without a
   *   form body; `ERR_OAUTH1_BODY_NOT_ALLOWED` for a GET/HEAD body; `ERR_OAUTH1_INVALID_URL`
   * @throws {OAuthNetworkError} / {@link OAuthTimeoutError} naming the endpoint
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.1
   */
  async request(method: string, url: string, init: OAuth1RequestInit = {}): Promise<Response> {
    const { token, headers, body, method: _ignored, ...rest } = init;
    const signed = this.sign(method, url, { headers, body, token });
    return sendRequest(
      signed.url,
      { ...rest, method: signed.method, headers: signed.headers, body: signed.body },
      this.#httpOptions,
    );
  }

  /**
   * Signs a request without sending it: the protocol parameters (consumer
   * key, token, signature method, timestamp, nonce, `oauth_version=1.0`,
   * `oauth_signature`) are added to the header, the query or the form body,
   * per {@link signatureType}.
   *
   * @param method - the HTTP method (sent uppercase)
   * @param url - the absolute http(s) URL; its query is part of the signature
   * @param options - headers, body, token override, fixed nonce/timestamp
   * @returns the request to send
   * @throws {TypeError} `ERR_OAUTH1_BODY_SIGNATURE` when the `body` type has no form body;
   *   `ERR_OAUTH1_BODY_NOT_ALLOWED` for a GET/HEAD body; `ERR_OAUTH1_INVALID_URL`,
   *   `ERR_OAUTH1_INVALID_METHOD` on bad input
   * @example
   * ```ts
   * const { url, headers } = client.sign('GET', 'https://api.example/1/me.json');
   * await fetch(url, { headers });
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.4
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.5
   */
  sign(method: string, url: string, options: OAuth1SignOptions = {}): OAuth1SignedRequest {
    let token: string | undefined;
    let tokenSecret: string;
    if (options.token === undefined) {
      token = this.#token;
      tokenSecret = this.#tokenSecret;
    } else if (options.token === null) {
      tokenSecret = '';
    } else {
      const credentials = checkToken(options.token);
      token = credentials.oauth_token;
      tokenSecret = credentials.oauth_token_secret;
    }
    return this.#signer.sign(method, url, options, {
      token,
      tokenSecret,
      nonce: options.nonce ?? this.generateNonce(),
      timestamp:
        options.timestamp === undefined ? this.generateTimestamp() : String(options.timestamp),
    });
  }

  /**
   * A fresh nonce: 128 bits from the CSPRNG, base64url. Override in a
   * subclass to control it (tests).
   *
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.3
   */
  protected generateNonce(): string {
    return randomNonce(16);
  }

  /**
   * The current time in seconds since the epoch, as `oauth_timestamp`.
   * Override in a subclass to correct a skewed clock.
   *
   * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.3
   */
  protected generateTimestamp(): string {
    return String(Math.floor(Date.now() / 1000));
  }

  #secrets(extra: Array<string | undefined> = []): Array<string | undefined> {
    return [this.#clientSecret, this.#tokenSecret, this.#verifier, this.#token, ...extra];
  }

  /** POSTs a signed request to a credentials endpoint and reads the credentials. */
  #fetchCredentials(
    url: string,
    options: OAuth1SignOptions,
    secrets: Array<string | undefined>,
  ): Promise<OAuth1Token> {
    const tokenSecret = options.token ? options.token.oauth_token_secret : this.#tokenSecret;
    // The HMAC/PLAINTEXT key (a PLAINTEXT signature is the key itself), and the
    // oauth_verifier, oauth_callback and any other value the request carried.
    const key = `${percentEncode(this.#clientSecret)}&${percentEncode(tokenSecret)}`;
    return requestCredentials(
      this.sign('POST', url, options),
      this.#httpOptions,
      this.#secrets([
        ...secrets,
        key,
        options.token?.oauth_token,
        ...Object.values(options.oauthParams ?? {}),
      ]),
    );
  }
}
