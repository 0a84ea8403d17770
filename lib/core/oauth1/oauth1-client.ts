/**
 * OAuth1Client: an RFC 5849 client (Authlib's OAuth1Session), framework-agnostic.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html
 */
import { createPrivateKey, KeyObject } from 'node:crypto';
import { MismatchingStateError, MissingTokenError, OAuthError } from '../errors.js';
import { HttpVerbs } from '../http/http-verbs.js';
import {
  DEFAULT_TIMEOUT,
  parseBody,
  parseOAuthResponse,
  readResponseText,
  sendRequest,
  type CallContext,
  type FetchLike,
  type HttpOptions,
} from '../http/fetcher.js';
import type { OAuth1Token } from '../token.js';
import { randomNonce } from '../util/random.js';
import { describeEndpoint } from '../util/redact.js';
import { messages, oauth1TypeError, problemError } from './oauth1-errors.js';
import { parseForm, percentEncode } from './percent-encode.js';
import {
  assembleBaseString,
  normalizeMethod,
  OAUTH1_SIGNATURE_METHODS,
  OAUTH1_SIGNATURE_TYPES,
  parseRequestUrl,
  signWithKey,
  type OAuth1SignatureMethod,
  type OAuth1SignatureType,
} from './signature.js';

/** Options of {@link OAuth1Client}. */
export interface OAuth1ClientOptions extends HttpOptions {
  /** The client identifier (`oauth_consumer_key`). */
  clientId: string;
  /** The client shared-secret (HMAC and PLAINTEXT methods). */
  clientSecret?: string;
  /** A token (`oauth_token`): saved token credentials, or temporary credentials mid-flow. */
  token?: string;
  /** The token shared-secret that goes with `token`. */
  tokenSecret?: string;
  /** The callback URI sent as `oauth_callback` when fetching a request token (else `oob`). */
  redirectUri?: string;
  /** Signature method; `HMAC-SHA1` by default. */
  signatureMethod?: OAuth1SignatureMethod;
  /** Where the protocol parameters go; `header` by default. */
  signatureType?: OAuth1SignatureType;
  /** The RSA private key for `RSA-SHA1`/`RSA-SHA256`: a PEM string or a `KeyObject`. */
  rsaKey?: string | KeyObject;
  /** The `realm` of the `Authorization` header (header signature type only). */
  realm?: string;
  /** The verification code of the authorization step, when already known. */
  verifier?: string;
}

/** A request: `RequestInit` plus the token credentials to sign with for this call only. */
export interface OAuth1RequestInit extends RequestInit {
  /**
   * Token credentials for this request instead of the client's own (one
   * client can then serve many users). `null` signs with the client
   * credentials only.
   */
  token?: OAuth1Token | null;
}

/** Options of {@link OAuth1Client.sign}. */
export interface OAuth1SignOptions {
  /** Request headers; the result has the same ones plus `Authorization` (header type). */
  headers?: HeadersInit;
  /**
   * The body. A `URLSearchParams`, or a string sent with a
   * `application/x-www-form-urlencoded` content type, is part of the signature.
   */
  body?: BodyInit | null;
  /** Token credentials to sign with instead of the client's; `null` for none. */
  token?: OAuth1Token | null;
  /** Additional protocol parameters (`oauth_callback`, `oauth_verifier`, ...). */
  oauthParams?: Record<string, string>;
  /** A fixed nonce (tests, benchmarks); a fresh CSPRNG value by default. */
  nonce?: string;
  /** A fixed timestamp in seconds (tests, benchmarks); the current time by default. */
  timestamp?: string | number;
}

/** A signed request, ready for `fetch(url, { method, headers, body })`. */
export interface OAuth1SignedRequest {
  /** The uppercase HTTP method. */
  method: string;
  /** The URL, with the protocol parameters in its query for the `query` type. */
  url: string;
  /** The headers, with `Authorization` for the `header` type. */
  headers: Record<string, string>;
  /** The body; a form body is a string (with the protocol parameters for the `body` type). */
  body?: BodyInit | null;
}

/** The parameters of the callback request of RFC 5849 §2.2. */
export interface OAuth1AuthorizationResponse {
  /** The temporary credentials identifier. */
  oauth_token: string;
  /** The verification code. */
  oauth_verifier: string;
  [key: string]: string;
}

/** Options of {@link OAuth1Client.createAuthorizationUrl}. */
export interface OAuth1AuthorizationUrlOptions {
  /** The `oauth_token` to authorize; the request token just fetched by default. */
  requestToken?: string;
  /** Additional query parameters of the provider's authorization endpoint. */
  [param: string]: string | number | boolean | undefined;
}

/** Options of {@link OAuth1Client.fetchAccessToken}. */
export interface OAuth1AccessTokenOptions {
  /** The verification code; the one read by {@link OAuth1Client.parseAuthorizationResponse} by default. */
  verifier?: string;
  /**
   * The temporary credentials (request token and secret) to exchange, instead
   * of the client's own: the Nest layer keeps them in a cookie between the
   * redirect and the callback.
   */
  token?: OAuth1Token;
}

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const FORM_TYPE_PATTERN = /^\s*application\/x-www-form-urlencoded\s*(?:;|$)/i;
/** C0 controls and DEL: never valid in a header value. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

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

  readonly #fetch?: FetchLike;
  readonly #encodedClientId: string;
  readonly #encodedClientSecret: string;
  readonly #clientSecret: string;
  readonly #rsaKey?: KeyObject;
  readonly #realmHeader: string;
  #token?: string;
  #tokenSecret = '';
  #tokenExtra: Record<string, unknown> = {};
  #verifier?: string;
  /** The request token fetched by this client and not yet exchanged. */
  #pendingRequestToken?: string;
  /** The `oauth_token` of the last parsed authorization response. */
  #authorizedToken?: string;
  /** Cache of the HMAC/PLAINTEXT key for the last token secret used. */
  #keyTokenSecret?: string;
  #key = '';

  /**
   * @param options - client credentials, saved token credentials, signature settings, transport
   * @throws {TypeError} `ERR_OAUTH1_INVALID_OPTION` for a missing `clientId`, an unknown
   *   signature method or type, or a `realm` with control characters;
   *   `ERR_OAUTH1_INVALID_RSA_KEY` when an RSA method has no usable RSA private key
   */
  constructor(options: OAuth1ClientOptions) {
    super();
    if (!options || typeof options.clientId !== 'string' || options.clientId === '') {
      throw oauth1TypeError('ERR_OAUTH1_INVALID_OPTION', 'OAuth1Client needs a clientId');
    }
    const signatureMethod = options.signatureMethod ?? 'HMAC-SHA1';
    if (!OAUTH1_SIGNATURE_METHODS.includes(signatureMethod)) {
      throw oauth1TypeError(
        'ERR_OAUTH1_INVALID_OPTION',
        'unsupported signatureMethod: use HMAC-SHA1, HMAC-SHA256, RSA-SHA1, RSA-SHA256 or PLAINTEXT',
      );
    }
    const signatureType = options.signatureType ?? 'header';
    if (!OAUTH1_SIGNATURE_TYPES.includes(signatureType)) {
      throw oauth1TypeError(
        'ERR_OAUTH1_INVALID_OPTION',
        'unsupported signatureType: use header, query or body',
      );
    }
    for (const name of [
      'clientSecret',
      'token',
      'tokenSecret',
      'redirectUri',
      'realm',
      'verifier',
    ] as const) {
      if (options[name] !== undefined && typeof options[name] !== 'string') {
        throw oauth1TypeError('ERR_OAUTH1_INVALID_OPTION', `${name} must be a string`);
      }
    }
    if (options.realm !== undefined && hasControlCharacter(options.realm)) {
      throw oauth1TypeError(
        'ERR_OAUTH1_INVALID_OPTION',
        'realm must not contain control characters',
      );
    }
    this.clientId = options.clientId;
    this.signatureMethod = signatureMethod;
    this.signatureType = signatureType;
    if (options.redirectUri !== undefined) this.redirectUri = options.redirectUri;
    if (options.realm !== undefined) this.realm = options.realm;
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT;
    if (options.fetch) this.#fetch = options.fetch;
    this.#clientSecret = options.clientSecret ?? '';
    this.#encodedClientId = percentEncode(this.clientId);
    this.#encodedClientSecret = percentEncode(this.#clientSecret);
    this.#realmHeader =
      options.realm === undefined ? '' : `realm="${options.realm.replace(/["\\]/g, '\\$&')}", `;
    if (signatureMethod.startsWith('RSA-')) this.#rsaKey = toRsaPrivateKey(options.rsaKey);
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
   * `oauth_callback_confirmed=true`. The client keeps the request token for
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
    const confirmed = data.oauth_callback_confirmed;
    if (confirmed !== 'true' && confirmed !== true) {
      const endpoint = describeEndpoint(target);
      throw new OAuthError('callback_not_confirmed', {
        endpoint,
        message: messages.callbackNotConfirmed(endpoint),
      });
    }
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
    let parsed: URL;
    try {
      parsed = new URL(url, 'http://callback.invalid');
    } catch {
      throw oauth1TypeError(
        'ERR_OAUTH1_INVALID_URL',
        'the authorization response URL is not a URL',
      );
    }
    const params: Record<string, string> = {};
    for (const [name, value] of parsed.searchParams) {
      if (!Object.hasOwn(params, name)) params[name] = value;
    }
    const secrets = this.#secrets();
    if (params.oauth_problem !== undefined) throw problemError(params, secrets, {});
    if (params.denied !== undefined) {
      throw new OAuthError('access_denied', { message: messages.denied });
    }
    for (const name of ['oauth_token', 'oauth_verifier'] as const) {
      if (!params[name]) {
        throw new OAuthError('invalid_request', { message: messages.missingCallbackParam(name) });
      }
    }
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
      this.#http(),
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
    const httpMethod = normalizeMethod(method);
    const target = parseRequestUrl(url);
    const headers = toHeaderRecord(options.headers);

    // The body: only a form is part of the signature (RFC 5849 §3.4.1.3.1).
    let body = options.body;
    let formText: string | undefined;
    let formPairs: Iterable<[string, string]> | undefined;
    if (body !== undefined && body !== null) {
      if (httpMethod === 'GET' || httpMethod === 'HEAD') {
        throw oauth1TypeError(
          'ERR_OAUTH1_BODY_NOT_ALLOWED',
          `a ${httpMethod} request cannot have a body`,
        );
      }
      if (body instanceof URLSearchParams) {
        formText = body.toString();
        formPairs = body;
        if (findHeader(headers, 'content-type') === undefined) {
          headers['content-type'] = `${FORM_CONTENT_TYPE};charset=UTF-8`;
        }
      } else if (
        typeof body === 'string' &&
        FORM_TYPE_PATTERN.test(findHeader(headers, 'content-type') ?? '')
      ) {
        formText = body;
      }
    }
    const signatureType = this.signatureType;
    if (signatureType === 'body') {
      if (formText === undefined && body !== undefined && body !== null) {
        throw oauth1TypeError(
          'ERR_OAUTH1_BODY_SIGNATURE',
          'the body signature type needs an application/x-www-form-urlencoded body (URLSearchParams, or a string with that content type)',
        );
      }
      if (httpMethod === 'GET' || httpMethod === 'HEAD') {
        throw oauth1TypeError(
          'ERR_OAUTH1_BODY_SIGNATURE',
          `the body signature type cannot be used for a ${httpMethod} request`,
        );
      }
      if (formText === undefined) {
        formText = '';
        headers['content-type'] = FORM_CONTENT_TYPE;
      }
    }

    // Protocol parameters, encoded (RFC 5849 §3.1).
    let tokenValue: string | undefined;
    let tokenSecret: string;
    if (options.token === undefined) {
      tokenValue = this.#token;
      tokenSecret = this.#tokenSecret;
    } else if (options.token === null) {
      tokenSecret = '';
    } else {
      const credentials = checkToken(options.token);
      tokenValue = credentials.oauth_token;
      tokenSecret = credentials.oauth_token_secret;
    }
    const nonce = options.nonce ?? this.generateNonce();
    const timestamp =
      options.timestamp === undefined ? this.generateTimestamp() : String(options.timestamp);
    const protocol: Array<[string, string]> = [
      ['oauth_consumer_key', this.#encodedClientId],
      ['oauth_nonce', percentEncode(nonce)],
      ['oauth_signature_method', this.signatureMethod],
      ['oauth_timestamp', percentEncode(timestamp)],
      ['oauth_version', '1.0'],
    ];
    if (tokenValue) protocol.push(['oauth_token', percentEncode(tokenValue)]);
    if (options.oauthParams) {
      for (const name of Object.keys(options.oauthParams)) {
        protocol.push([percentEncode(name), percentEncode(options.oauthParams[name]!)]);
      }
    }

    // Every parameter of the request, normalized (RFC 5849 §3.4.1.3).
    const all = protocol.slice();
    const search = target.search;
    if (search.length > 1) pushEncoded(all, parseForm(search.slice(1)));
    if (formPairs) pushEncoded(all, formPairs);
    else if (formText) pushEncoded(all, parseForm(formText));
    const baseString = assembleBaseString(
      httpMethod,
      `${target.protocol}//${target.host}${target.pathname}`,
      all,
    );
    const signature = signWithKey(
      this.signatureMethod,
      baseString,
      this.#rsaKey ? '' : this.#signingKey(tokenSecret),
      this.#rsaKey,
    );
    protocol.push(['oauth_signature', percentEncode(signature)]);

    // Transmission (RFC 5849 §3.5).
    if (target.hash) target.hash = '';
    let href = target.href;
    if (signatureType === 'header') {
      let value = `OAuth ${this.#realmHeader}`;
      for (let i = 0; i < protocol.length; i++) {
        const [name, encoded] = protocol[i]!;
        value += i === 0 ? `${name}="${encoded}"` : `, ${name}="${encoded}"`;
      }
      deleteHeader(headers, 'authorization');
      headers.Authorization = value;
    } else {
      const encodedParams = protocol.map(([name, encoded]) => `${name}=${encoded}`).join('&');
      if (signatureType === 'query') {
        href += search
          ? `&${encodedParams}`
          : href.endsWith('?')
            ? encodedParams
            : `?${encodedParams}`;
      } else {
        formText = formText ? `${formText}&${encodedParams}` : encodedParams;
      }
    }
    if (formText !== undefined) body = formText;
    const signed: OAuth1SignedRequest = { method: httpMethod, url: href, headers };
    if (body !== undefined) signed.body = body;
    return signed;
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

  /** The HMAC/PLAINTEXT key for a token secret (RFC 5849 §3.4.2), cached for the last one. */
  #signingKey(tokenSecret: string): string {
    if (tokenSecret !== this.#keyTokenSecret) {
      this.#key = `${this.#encodedClientSecret}&${percentEncode(tokenSecret)}`;
      this.#keyTokenSecret = tokenSecret;
    }
    return this.#key;
  }

  #http(): HttpOptions {
    return this.#fetch ? { fetch: this.#fetch, timeout: this.timeout } : { timeout: this.timeout };
  }

  #secrets(extra: Array<string | undefined> = []): Array<string | undefined> {
    return [this.#clientSecret, this.#tokenSecret, this.#verifier, this.#token, ...extra];
  }

  /** POSTs a signed request to a credentials endpoint and reads the credentials. */
  async #fetchCredentials(
    url: string,
    options: OAuth1SignOptions,
    secrets: Array<string | undefined>,
  ): Promise<OAuth1Token> {
    const signed = this.sign('POST', url, options);
    const endpoint = describeEndpoint(signed.url);
    const context: CallContext = {
      endpoint,
      timeout: this.timeout,
      secrets: this.#secrets([...secrets, options.token?.oauth_token]),
    };
    const response = await sendRequest(
      signed.url,
      { method: 'POST', headers: signed.headers, body: signed.body ?? null },
      this.#http(),
    );
    const data = await readCredentialsResponse(response, context);
    const oauthToken = toText(data.oauth_token);
    const oauthTokenSecret = toText(data.oauth_token_secret);
    if (!oauthToken || oauthTokenSecret === undefined) {
      throw new MissingTokenError({
        endpoint,
        status: response.status,
        response: data,
        message: messages.missingTokenInResponse(endpoint),
      });
    }
    return { ...data, oauth_token: oauthToken, oauth_token_secret: oauthTokenSecret };
  }
}

/**
 * Reads a credentials response: an OAuth Problem Reporting body
 * (`oauth_problem=...`) becomes an {@link OAuthError} with that code; the
 * rest is {@link readOAuthResponse}'s job (JSON or form, `error` members,
 * non-OAuth answers).
 */
async function readCredentialsResponse(
  response: Response,
  context: CallContext,
): Promise<Record<string, unknown>> {
  const text = await readResponseText(response, context);
  const data = parseBody(text, response.headers.get('content-type') ?? '');
  if (data && data.oauth_problem !== undefined && data.oauth_problem !== '') {
    throw problemError(data, context.secrets ?? [], {
      endpoint: context.endpoint,
      status: response.status,
    });
  }
  return parseOAuthResponse(text, response, context);
}

function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function checkToken(token: OAuth1Token): OAuth1Token {
  if (
    !token ||
    typeof token !== 'object' ||
    typeof token.oauth_token !== 'string' ||
    token.oauth_token === '' ||
    (token.oauth_token_secret !== undefined && typeof token.oauth_token_secret !== 'string')
  ) {
    throw oauth1TypeError(
      'ERR_OAUTH1_INVALID_OPTION',
      'a token must be an object with a string oauth_token and oauth_token_secret',
    );
  }
  return { oauth_token: token.oauth_token, oauth_token_secret: token.oauth_token_secret ?? '' };
}

function toRsaPrivateKey(key: string | KeyObject | undefined): KeyObject {
  let keyObject: KeyObject;
  if (key instanceof KeyObject) {
    keyObject = key;
  } else if (typeof key === 'string' && key !== '') {
    try {
      keyObject = createPrivateKey(key);
    } catch (err) {
      throw oauth1TypeError(
        'ERR_OAUTH1_INVALID_RSA_KEY',
        'rsaKey is not a readable private key',
        err,
      );
    }
  } else {
    throw oauth1TypeError(
      'ERR_OAUTH1_INVALID_RSA_KEY',
      'RSA-SHA1 and RSA-SHA256 need rsaKey (a PEM private key or a KeyObject)',
    );
  }
  if (keyObject.type !== 'private' || keyObject.asymmetricKeyType !== 'rsa') {
    throw oauth1TypeError('ERR_OAUTH1_INVALID_RSA_KEY', 'rsaKey must be an RSA private key');
  }
  return keyObject;
}

function pushEncoded(into: Array<[string, string]>, pairs: Iterable<[string, string]>): void {
  for (const [name, value] of pairs) {
    if (name !== 'oauth_signature') into.push([percentEncode(name), percentEncode(value)]);
  }
}

function toHeaderRecord(init: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (init === undefined || init === null) return record;
  if (init instanceof Headers) {
    init.forEach((value, name) => {
      record[name] = value;
    });
  } else if (Array.isArray(init)) {
    for (const [name, value] of init) {
      if (name !== undefined && value !== undefined) record[name] = value;
    }
  } else {
    for (const name of Object.keys(init))
      record[name] = String((init as Record<string, string>)[name]);
  }
  return record;
}

function findHeader(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const name in headers) {
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return headers[name];
  }
  return undefined;
}

function deleteHeader(headers: Record<string, string>, lowerName: string): void {
  for (const name in headers) {
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) delete headers[name];
  }
}
