/**
 * RFC 5849 §3.2 / §3.4, the server's side: checks a received `oauth_signature`
 * with the same code the client signs with (signature.ts).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.2
 */
import { createPublicKey, KeyObject, verify as rsaVerify } from 'node:crypto';
import { constantTimeEqual } from '../util/constant-time.js';
import { oauth1TypeError } from './oauth1-errors.js';
import { signingKey, signWithKey, type OAuth1SignatureMethod } from './signature.js';

/** The keys a server checks a signature with. */
export interface OAuth1VerificationKeys {
  /** The client shared-secret (HMAC and PLAINTEXT). */
  clientSecret?: string;
  /** The token shared-secret (HMAC and PLAINTEXT); empty for a temporary-credentials request. */
  tokenSecret?: string;
  /**
   * The client's RSA public key (RSA methods): a PEM public key or certificate,
   * or a `KeyObject` (a private one is reduced to its public half).
   */
  rsaKey?: string | KeyObject;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

let lastPublicKeySource: string | KeyObject | undefined;
let lastPublicKey: KeyObject | undefined;

/** The RSA public key to verify with, kept for the last key given. */
function rsaPublicKey(key: string | KeyObject): KeyObject {
  if (key !== lastPublicKeySource || !lastPublicKey) {
    let publicKey: KeyObject;
    try {
      publicKey = key instanceof KeyObject && key.type === 'public' ? key : createPublicKey(key);
    } catch (err) {
      throw oauth1TypeError(
        'ERR_OAUTH1_INVALID_RSA_KEY',
        'the RSA key to verify with is not a readable public key, certificate or private key',
        err,
      );
    }
    if (publicKey.asymmetricKeyType !== 'rsa') {
      throw oauth1TypeError(
        'ERR_OAUTH1_INVALID_RSA_KEY',
        'the key to verify with is not an RSA key',
      );
    }
    lastPublicKeySource = key;
    lastPublicKey = publicKey;
  }
  return lastPublicKey;
}

/**
 * Checks an `oauth_signature` (already decoded from its transport) against
 * a base string: for HMAC and PLAINTEXT the expected value is computed with
 * {@link sign}'s code and compared in constant time; for RSA the signature is
 * verified with the client's public key (RSASSA-PKCS1-v1_5 with SHA-1 or
 * SHA-256). A method without the key it needs (no client secret for HMAC or
 * PLAINTEXT, no RSA key for RSA) never verifies.
 *
 * @param signatureMethod - the signature method the request names
 * @param baseString - the base string the server computed (unused by PLAINTEXT)
 * @param signature - the decoded `oauth_signature`
 * @param keys - the client secret and token secret, or the client's RSA public key
 * @returns whether the signature is valid
 * @throws {TypeError} `ERR_OAUTH1_INVALID_RSA_KEY` when the stored RSA key is unusable
 *   (a server configuration error, not a bad request)
 * @example
 * ```ts
 * verifySignature('HMAC-SHA1', baseString, '74KNZJeDHnMBp0EMJ9ZHt/XKycU=', {
 *   clientSecret: 'kd94hf93k423kf44',
 * }); // true for RFC 5849 §1.2's temporary-credentials request
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.4
 */
export function verifySignature(
  signatureMethod: OAuth1SignatureMethod,
  baseString: string,
  signature: string,
  keys: OAuth1VerificationKeys,
): boolean {
  switch (signatureMethod) {
    case 'HMAC-SHA1':
    case 'HMAC-SHA256':
    case 'PLAINTEXT': {
      if (!keys.clientSecret) return false;
      const key = signingKey(keys.clientSecret, keys.tokenSecret);
      return constantTimeEqual(signWithKey(signatureMethod, baseString, key, undefined), signature);
    }
    case 'RSA-SHA1':
    case 'RSA-SHA256': {
      if (keys.rsaKey === undefined || keys.rsaKey === '') return false;
      const publicKey = rsaPublicKey(keys.rsaKey);
      if (signature === '' || !BASE64.test(signature)) return false;
      const hash = signatureMethod === 'RSA-SHA1' ? 'sha1' : 'sha256';
      return rsaVerify(hash, Buffer.from(baseString), publicKey, Buffer.from(signature, 'base64'));
    }
    default:
      return false;
  }
}
