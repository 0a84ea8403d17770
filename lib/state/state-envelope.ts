import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';
import { randomFill } from '../core/util/random.js';

/**
 * The format of the state cookie, first byte of every envelope. A cookie of
 * another version is refused, so a future format (or key derivation) can
 * replace this one: cookies of the old one are then simply unknown.
 */
export const STATE_ENVELOPE_VERSION = 1;

const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES;
/** A flow cookie is far smaller (browsers keep 4 KiB per cookie); anything longer is not ours. */
const MAX_ENVELOPE_CHARS = 8192;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * What the state cookie carries: the flow's data, the cookie's `Path` (to
 * delete it), its issue and expiry times in epoch seconds.
 */
export interface StateEnvelopePayload {
  /** The flow's data. */
  d: unknown;
  /** The cookie's `Path`. */
  p: string;
  /** Issued at (epoch seconds). */
  iat: number;
  /** Expires at (epoch seconds). */
  exp: number;
}

const keyCache = new Map<string, KeyObject>();

/**
 * The AES-256-GCM key of the state cookie: HKDF-SHA-256 of `secret`, cached
 * per secret as a `KeyObject`.
 *
 * @param secret - one of the module's secrets
 * @see https://www.rfc-editor.org/rfc/rfc5869.html
 */
export function deriveStateKey(secret: string): KeyObject {
  let key = keyCache.get(secret);
  if (!key) {
    const bytes = hkdfSync(
      'sha256',
      secret,
      'nestjs-oauth',
      `nestjs-oauth state cookie AES-256-GCM v${STATE_ENVELOPE_VERSION}`,
      32,
    );
    key = createSecretKey(Buffer.from(bytes));
    if (keyCache.size > 64) keyCache.clear();
    keyCache.set(secret, key);
  }
  return key;
}

/** The additional authenticated data: the version byte, then the client the flow belongs to (UTF-8). */
function aad(audience: string): Buffer {
  // The version is below 0x80: one byte in UTF-8.
  return Buffer.from(`${String.fromCharCode(STATE_ENVELOPE_VERSION)}${audience}`, 'utf8');
}

/**
 * Encrypts a payload into a cookie value: base64url of the version byte, a
 * random 96-bit IV, the AES-256-GCM ciphertext of the payload's JSON and the
 * 128-bit tag. The version byte and `audience` (the client) are
 * authenticated, not encrypted.
 *
 * The cookie is read only by this library, so it is not a JOSE object: a
 * `dir`/`A256GCM` JWE through `jose` (WebCrypto, an async job per call) cost
 * about ten times the CPU of this.
 *
 * @param payload - what to seal
 * @param audience - the client the flow belongs to (authenticated)
 * @param key - from {@link deriveStateKey}
 * @returns the cookie value
 * @see https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf
 */
export function sealState(payload: StateEnvelopePayload, audience: string, key: KeyObject): string {
  const plaintext = Buffer.from(JSON.stringify(payload), 'utf8');
  const out = Buffer.allocUnsafe(HEADER_BYTES + plaintext.length + TAG_BYTES);
  out[0] = STATE_ENVELOPE_VERSION;
  randomFill(out, 1, IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(1, HEADER_BYTES), {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(aad(audience));
  let written = HEADER_BYTES + cipher.update(plaintext).copy(out, HEADER_BYTES);
  written += cipher.final().copy(out, written);
  cipher.getAuthTag().copy(out, written);
  return out.toString('base64url', 0, written + TAG_BYTES);
}

/**
 * Opens a cookie value sealed by {@link sealState} with any of `keys`
 * (rotation: the first seals, every one opens). The tag is checked before
 * anything is parsed.
 *
 * @param value - the cookie value
 * @param audience - the client the flow must belong to
 * @param keys - the keys to try, in order
 * @returns the payload, or `undefined` when the value is not a well-formed
 *   envelope of this version, sealed with one of the keys for this audience
 *   (expiry is the caller's to check: an expired payload is returned)
 */
export function openState(
  value: string,
  audience: string,
  keys: readonly KeyObject[],
): StateEnvelopePayload | undefined {
  if (value.length > MAX_ENVELOPE_CHARS || !BASE64URL.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length <= HEADER_BYTES + TAG_BYTES || bytes[0] !== STATE_ENVELOPE_VERSION) {
    return undefined;
  }
  const iv = bytes.subarray(1, HEADER_BYTES);
  const ciphertext = bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const additional = aad(audience);
  for (const key of keys) {
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additional);
      decipher.setAuthTag(tag);
      plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      continue; // Another key, or not authentic.
    }
    return parsePayload(plaintext);
  }
  return undefined;
}

/** The payload's JSON, when it has the members a sealed payload always has. */
function parsePayload(plaintext: Buffer): StateEnvelopePayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString('utf8'));
  } catch {
    return undefined;
  }
  const p = value as Partial<StateEnvelopePayload> | null;
  if (
    !p ||
    typeof p !== 'object' ||
    !Number.isFinite(p.exp) ||
    typeof p.iat !== 'number' ||
    typeof p.p !== 'string'
  ) {
    return undefined;
  }
  return p as StateEnvelopePayload;
}
