// Signing one request the RFC 5849 way (§3.4 signature, §3.5 transmission), for OAuth1Client.
import { createPrivateKey, KeyObject } from 'node:crypto';
import { oauth1TypeError } from './oauth1-errors.js';
import type { OAuth1SignedRequest, OAuth1SignOptions } from './oauth1-types.js';
import { parseForm, percentEncode } from './percent-encode.js';
import {
  assembleBaseString,
  normalizeMethod,
  parseRequestUrl,
  signWithKey,
  type OAuth1SignatureMethod,
  type OAuth1SignatureType,
} from './signature.js';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const FORM_TYPE_PATTERN = /^\s*application\/x-www-form-urlencoded\s*(?:;|$)/i;

/** The client's side of every signature: credentials, method and placement. */
export interface SignerSettings {
  clientId: string;
  clientSecret: string;
  signatureMethod: OAuth1SignatureMethod;
  signatureType: OAuth1SignatureType;
  realm?: string;
  rsaKey?: string | KeyObject;
}

/** The per-request values of a signature: the token, the nonce and the timestamp. */
export interface RequestCredentials {
  /** `oauth_token`, if any. */
  token?: string;
  /** The token shared-secret ('' for none). */
  tokenSecret: string;
  nonce: string;
  timestamp: string;
}

/**
 * Signs requests for one client: the client credentials are encoded once,
 * the RSA key imported once, and the HMAC/PLAINTEXT key cached for the last
 * token secret (these sit on every API call).
 *
 * @internal
 */
export class RequestSigner {
  readonly #settings: SignerSettings;
  readonly #encodedClientId: string;
  readonly #encodedClientSecret: string;
  readonly #rsaKey?: KeyObject;
  readonly #realmHeader: string;
  /** Cache of the HMAC/PLAINTEXT key for the last token secret used. */
  #keyTokenSecret?: string;
  #key = '';

  /** @throws {TypeError} `ERR_OAUTH1_INVALID_RSA_KEY` when an RSA method has no usable RSA private key */
  constructor(settings: SignerSettings) {
    this.#settings = settings;
    this.#encodedClientId = percentEncode(settings.clientId);
    this.#encodedClientSecret = percentEncode(settings.clientSecret);
    this.#realmHeader =
      settings.realm === undefined ? '' : `realm="${settings.realm.replace(/["\\]/g, '\\$&')}", `;
    if (settings.signatureMethod.startsWith('RSA-')) {
      this.#rsaKey = toRsaPrivateKey(settings.rsaKey);
    }
  }

  /**
   * Signs a request: the protocol parameters go to the header, the query or
   * the form body; a form body is part of the signature (§3.4.1.3.1).
   */
  sign(
    method: string,
    url: string,
    options: OAuth1SignOptions,
    credentials: RequestCredentials,
  ): OAuth1SignedRequest {
    const { signatureMethod, signatureType } = this.#settings;
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
    const protocol: Array<[string, string]> = [
      ['oauth_consumer_key', this.#encodedClientId],
      ['oauth_nonce', percentEncode(credentials.nonce)],
      ['oauth_signature_method', signatureMethod],
      ['oauth_timestamp', percentEncode(credentials.timestamp)],
      ['oauth_version', '1.0'],
    ];
    if (credentials.token) protocol.push(['oauth_token', percentEncode(credentials.token)]);
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
      signatureMethod,
      baseString,
      this.#rsaKey ? '' : this.#signingKey(credentials.tokenSecret),
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

  /** The HMAC/PLAINTEXT key for a token secret (RFC 5849 §3.4.2), cached for the last one. */
  #signingKey(tokenSecret: string): string {
    if (tokenSecret !== this.#keyTokenSecret) {
      this.#key = `${this.#encodedClientSecret}&${percentEncode(tokenSecret)}`;
      this.#keyTokenSecret = tokenSecret;
    }
    return this.#key;
  }
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
