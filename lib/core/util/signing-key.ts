import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { importJWK, type JWK } from 'jose';

/**
 * A key that signs JWTs (client assertions, RFC 7523 grants): an RSA,
 * RSA-PSS, EC (P-256/384/521) or Ed25519 private key as a PEM string (PKCS#8,
 * PKCS#1 or SEC1), a private JWK, a Node `KeyObject` or a WebCrypto
 * `CryptoKey`; or an HMAC secret as a string (UTF-8), `Uint8Array`, `oct` JWK
 * or secret `KeyObject`.
 */
export type SigningKeyInput = string | Uint8Array | JWK | KeyObject | CryptoKey;

/** A key ready for jose's `SignJWT.sign`, with its algorithm and, for a JWK, its `kid`. */
export interface SigningKey {
  /** The imported key: a `CryptoKey`, or the raw bytes of an HMAC secret. */
  key: CryptoKey | Uint8Array;
  /** The JWS algorithm (`alg` header) to sign with, given or inferred. */
  alg: string;
  /** The JWK's `kid`, when the key was a JWK that had one. */
  kid?: string;
}

/**
 * Imports a signing key once, checks it can sign, and infers its JWS
 * algorithm when `alg` is not given (`RS256` for RSA, `PS256` for RSA-PSS,
 * `ES256/384/512` after the curve, `EdDSA` for Ed25519, `HS256` for a secret).
 *
 * @throws {TypeError} with code `ERR_OAUTH_INVALID_KEY` for a public key, an
 *   unsupported key or an algorithm the key cannot use (no key material in the message)
 */
export async function importSigningKey(key: SigningKeyInput, alg?: string): Promise<SigningKey> {
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
      throw invalidKey('a private key is needed to sign, not a public key or certificate');
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

/**
 * The public JWK of an asymmetric signing key (RSA, EC or Ed25519), for
 * publishing in a JWK set: the key's public members only (`kty`, `n`/`e`,
 * `crv`/`x`/`y`), no `kid`, `alg` or `use`.
 *
 * @param key - a private key as a PEM string, JWK, `KeyObject` or extractable `CryptoKey`
 * @throws {TypeError} with code `ERR_OAUTH_INVALID_KEY` for an HMAC secret, a public key or an unreadable key
 * @see https://www.rfc-editor.org/rfc/rfc7517.html#section-4
 */
export function publicJwkOf(key: SigningKeyInput): JWK {
  let source: Parameters<typeof createPublicKey>[0];
  if (typeof key === 'string') {
    if (!key.includes('-----BEGIN')) throw invalidKey('a secret has no public key');
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw invalidKey(PRIVATE_NEEDED);
    source = key;
  } else if (key instanceof KeyObject) {
    if (key.type === 'secret') throw invalidKey('a secret has no public key');
    if (key.type !== 'private') throw invalidKey(PRIVATE_NEEDED);
    source = key;
  } else if (isCryptoKey(key)) {
    if (key.type !== 'private') throw invalidKey(PRIVATE_NEEDED);
    source = KeyObject.from(key);
  } else if (key && typeof key === 'object' && typeof (key as JWK).kty === 'string') {
    if ((key as JWK).kty === 'oct') throw invalidKey('a secret has no public key');
    if (typeof (key as JWK).d !== 'string') throw invalidKey(PRIVATE_NEEDED);
    source = { key: key as JWK as import('node:crypto').JsonWebKey, format: 'jwk' };
  } else {
    throw invalidKey('unsupported key type');
  }
  try {
    return createPublicKey(source).export({ format: 'jwk' }) as JWK;
  } catch (err) {
    throw invalidKey('no public key can be derived from the key', err);
  }
}

const PRIVATE_NEEDED = 'a private key is needed to sign, not a public key';

const HMAC_ALG = /^HS(256|384|512)$/;

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
  if (type === 'rsa-pss')
    return fromJwk(asPlainRsa(keyObject).export({ format: 'jwk' }) as JWK, alg ?? 'PS256');
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
  return { key: key as CryptoKey, alg: chosen, kid: jwk.kid };
}

async function importKey(jwk: JWK, alg: string): Promise<CryptoKey | Uint8Array> {
  try {
    return await importJWK({ ...jwk, alg: undefined, ext: undefined, key_ops: undefined }, alg);
  } catch (err) {
    throw invalidKey(`the key cannot be used with ${printable(alg)}`, err);
  }
}

/**
 * The JWS algorithm a key is used with when none is named: `RS256` for RSA,
 * `ES256/384/512` after the EC curve, `EdDSA` for Ed25519, `HS256` for `oct`.
 *
 * @param jwk - the key (public or private members)
 * @throws {TypeError} with code `ERR_OAUTH_INVALID_KEY` for another key type or curve
 */
export function defaultJwsAlgorithm(jwk: JWK): string {
  return inferFromJwk(jwk);
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
  return Object.assign(new TypeError(`signing key: ${reason}`, { cause }), {
    code: 'ERR_OAUTH_INVALID_KEY',
  });
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
