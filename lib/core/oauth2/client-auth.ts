import { createPrivateKey, createSecretKey, KeyObject } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import { randomToken } from '../util/random.js';

/** The built-in token endpoint authentication methods (RFC 6749 §2.3, OIDC Core §9). */
export type ClientAuthMethod =
  'client_secret_basic' | 'client_secret_post' | 'none' | 'client_secret_jwt' | 'private_key_jwt';

/** A request to an authenticated endpoint, as client authentication sees and changes it. */
export interface ClientAuthRequest {
  url: string;
  headers: Headers;
  body: URLSearchParams;
}

/** What a client authentication method needs to know about the client. */
export interface ClientCredentials {
  readonly clientId?: string;
  readonly clientSecret?: string;
}

/**
 * A client authentication method: adds credentials to a token, revocation or
 * introspection request. May be async.
 *
 * @param client - the client (its `clientId`, `clientSecret`)
 * @param method - the HTTP method (`POST`)
 * @param url - the endpoint
 */
export type ClientAuthFunction = (
  client: ClientCredentials,
  method: string,
  url: string,
  headers: Headers,
  body: URLSearchParams,
) => ClientAuthRequest | Promise<ClientAuthRequest>;

/** A private key for `private_key_jwt`: a JWK, a PKCS#8/PKCS#1/SEC1 PEM string, or a KeyObject. */
export type ClientKey = JWK | string | KeyObject | CryptoKey;

/** Settings of the JWT-based methods. */
export interface ClientAssertionOptions {
  /** Private key for `private_key_jwt`. */
  clientKey?: ClientKey;
  /** `kid` header of the assertion (defaults to the JWK's `kid`). */
  clientKeyId?: string;
  /** Signing algorithm (inferred from the key: RS256, PS256, ES256/384/512, EdDSA; HS256 for the secret). */
  clientKeyAlg?: string;
  /** Lifetime of an assertion in seconds (default 60). */
  assertionLifetime?: number;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Encodes a client id or secret with application/x-www-form-urlencoded before
 * it goes into HTTP Basic, as RFC 6749 §2.3.1 requires.
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-2.3.1
 */
export function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `client_secret_basic`: `Authorization: Basic base64(formEncode(id):formEncode(secret))`. */
export const clientSecretBasic: ClientAuthFunction = (client, _method, url, headers, body) => {
  const credentials = `${formEncode(client.clientId ?? '')}:${formEncode(client.clientSecret ?? '')}`;
  headers.set('Authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
  return { url, headers, body };
};

/** `client_secret_post`: `client_id` and `client_secret` in the form body. */
export const clientSecretPost: ClientAuthFunction = (client, _method, url, headers, body) => {
  body.set('client_id', client.clientId ?? '');
  body.set('client_secret', client.clientSecret ?? '');
  return { url, headers, body };
};

/** `none`: a public client sends only its `client_id`. */
export const clientNone: ClientAuthFunction = (client, _method, url, headers, body) => {
  body.set('client_id', client.clientId ?? '');
  return { url, headers, body };
};

/**
 * Builds the JWT-based methods (`client_secret_jwt`, `private_key_jwt`, RFC 7523 §2.2):
 * a short-lived assertion with `iss` = `sub` = client id, `aud` = the endpoint,
 * a random `jti`. The key is imported once per client.
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-2.2
 */
export function createJwtAuth(
  kind: 'client_secret_jwt' | 'private_key_jwt',
  options: ClientAssertionOptions,
): ClientAuthFunction {
  let signer: { key: KeyObject | CryptoKey; alg: string; kid?: string } | undefined;
  let signerSecret: string | undefined;
  return async (client, _method, url, headers, body) => {
    if (kind === 'client_secret_jwt') {
      if (!signer || signerSecret !== client.clientSecret) {
        signer = {
          key: createSecretKey(Buffer.from(client.clientSecret ?? '', 'utf8')),
          alg: options.clientKeyAlg ?? 'HS256',
          kid: options.clientKeyId,
        };
        signerSecret = client.clientSecret;
      }
    } else {
      signer ??= importPrivateKey(options);
    }
    const now = Math.floor(Date.now() / 1000);
    const header: { alg: string; kid?: string } = { alg: signer.alg };
    if (signer.kid) header.kid = signer.kid;
    const assertion = await new SignJWT({ jti: randomToken(16) })
      .setProtectedHeader(header)
      .setIssuer(client.clientId ?? '')
      .setSubject(client.clientId ?? '')
      .setAudience(url)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.assertionLifetime ?? 60))
      .sign(signer.key);
    body.set('client_id', client.clientId ?? '');
    body.set('client_assertion_type', ASSERTION_TYPE);
    body.set('client_assertion', assertion);
    return { url, headers, body };
  };
}

/** Imports a private key given as JWK, PEM or key object, and infers its JWS algorithm. */
export function importPrivateKey(options: ClientAssertionOptions): {
  key: KeyObject | CryptoKey;
  alg: string;
  kid?: string;
} {
  const given = options.clientKey;
  if (!given) {
    throw Object.assign(new TypeError('private_key_jwt needs a clientKey'), {
      code: 'ERR_OAUTH_CLIENT_KEY',
    });
  }
  let key: KeyObject | CryptoKey;
  let kid = options.clientKeyId;
  let jwkAlg: string | undefined;
  if (typeof given === 'string') {
    key = createPrivateKey(given);
  } else if (given instanceof KeyObject) {
    key = given;
  } else if (isCryptoKey(given)) {
    key = given;
  } else {
    kid ??= given.kid;
    jwkAlg = given.alg;
    key = createPrivateKey({
      key: given as Parameters<typeof createPrivateKey>[0] & object,
      format: 'jwk',
    } as never);
  }
  const alg = options.clientKeyAlg ?? jwkAlg ?? inferAlgorithm(key);
  return {
    key: key instanceof KeyObject && key.asymmetricKeyType === 'rsa-pss' ? asPlainRsa(key) : key,
    alg,
    kid,
  };
}

/**
 * jose cannot use an `rsa-pss` KeyObject (an RSASSA-PSS PKCS#8 key). Its inner
 * RSAPrivateKey is the same as a plain RSA key's, so re-import that as PKCS#1;
 * the PS256 algorithm still decides the padding.
 */
function asPlainRsa(key: KeyObject): KeyObject {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  // PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm SEQUENCE, privateKey OCTET STRING }
  let offset = readHeader(der, 0, 0x30).start;
  offset = skipElement(der, offset, 0x02);
  offset = skipElement(der, offset, 0x30);
  const inner = readHeader(der, offset, 0x04);
  return createPrivateKey({
    key: der.subarray(inner.start, inner.end),
    format: 'der',
    type: 'pkcs1',
  });
}

function readHeader(der: Buffer, offset: number, tag: number): { start: number; end: number } {
  if (der[offset] !== tag) throw new TypeError('malformed PKCS#8 key');
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i];
    start += bytes;
  }
  return { start, end: start + length };
}

function skipElement(der: Buffer, offset: number, tag: number): number {
  return readHeader(der, offset, tag).end;
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

/** The JWS algorithm that fits a private key. */
export function inferAlgorithm(key: KeyObject | CryptoKey): string {
  if (!(key instanceof KeyObject)) {
    const algorithm = key.algorithm as {
      name: string;
      namedCurve?: string;
      hash?: { name: string };
    };
    if (algorithm.name === 'Ed25519') return 'EdDSA';
    if (algorithm.name === 'ECDSA') return `ES${curveBits(algorithm.namedCurve)}`;
    const bits = (algorithm.hash?.name ?? 'SHA-256').replace('SHA-', '');
    return algorithm.name === 'RSA-PSS' ? `PS${bits}` : `RS${bits}`;
  }
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ec':
      return `ES${curveBits(key.asymmetricKeyDetails?.namedCurve)}`;
    case 'ed25519':
      return 'EdDSA';
    default:
      throw Object.assign(
        new TypeError(`unsupported private key type: ${String(key.asymmetricKeyType)}`),
        { code: 'ERR_OAUTH_CLIENT_KEY' },
      );
  }
}

function curveBits(curve: string | undefined): string {
  switch (curve) {
    case 'P-384':
    case 'secp384r1':
      return '384';
    case 'P-521':
    case 'secp521r1':
      return '512';
    default:
      return '256';
  }
}
