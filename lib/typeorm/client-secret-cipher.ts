import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte key: raw bytes, base64url/base64 text, or a secret `KeyObject`. */
export type ClientSecretKey = Uint8Array | string | KeyObject;

function keyBytes(key: ClientSecretKey): Buffer | KeyObject {
  if (typeof key === 'string') {
    const bytes = Buffer.from(key, 'base64url');
    if (bytes.length !== 32) {
      throw Object.assign(
        new TypeError('clientSecretKey must be 32 bytes, base64url-encoded (43 characters)'),
        { code: 'ERR_OAUTH_SERVER_CONFIG' },
      );
    }
    return bytes;
  }
  if (key instanceof Uint8Array) {
    if (key.length !== 32) {
      throw Object.assign(new TypeError('clientSecretKey must be 32 bytes'), {
        code: 'ERR_OAUTH_SERVER_CONFIG',
      });
    }
    return Buffer.from(key);
  }
  if (key.type !== 'secret' || key.symmetricKeySize !== 32) {
    throw Object.assign(new TypeError('clientSecretKey must be a 32-byte secret key'), {
      code: 'ERR_OAUTH_SERVER_CONFIG',
    });
  }
  return key;
}

/**
 * Seals a `client_secret_jwt` client's secret (its HMAC key, which the server
 * needs in clear) with AES-256-GCM under a key kept outside the database. The
 * client id is authenticated with it, so a sealed secret moved to another
 * client's row does not open.
 */
export class ClientSecretCipher {
  private readonly key: Buffer | KeyObject;

  /** @param key - 32 bytes; see {@link ClientSecretKey} */
  constructor(key: ClientSecretKey) {
    this.key = keyBytes(key);
  }

  /** `v1.<iv>.<ciphertext and tag>`, base64url parts. */
  seal(clientId: string, secret: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`oauth2-client-secret:${clientId}`, 'utf8'));
    const sealed = Buffer.concat([
      cipher.update(secret, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  /** The secret, or `undefined` when the value was not sealed by this key for this client. */
  open(clientId: string, sealed: string): string | undefined {
    const [version, iv, body] = sealed.split('.');
    if (version !== VERSION || !iv || !body) return undefined;
    const ivBytes = Buffer.from(iv, 'base64url');
    const bytes = Buffer.from(body, 'base64url');
    if (ivBytes.length !== IV_BYTES || bytes.length <= TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, ivBytes);
      decipher.setAAD(Buffer.from(`oauth2-client-secret:${clientId}`, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
