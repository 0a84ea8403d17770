// Start-up checks of OAuth1Client's options.
import { oauth1TypeError } from './oauth1-errors.js';
import type { OAuth1ClientOptions } from './oauth1-types.js';
import {
  OAUTH1_SIGNATURE_METHODS,
  OAUTH1_SIGNATURE_TYPES,
  type OAuth1SignatureMethod,
  type OAuth1SignatureType,
} from './signature.js';

/**
 * Checks an {@link OAuth1Client}'s options and returns the signature settings
 * with their defaults (`HMAC-SHA1`, `header`).
 *
 * @internal
 * @throws {TypeError} `ERR_OAUTH1_INVALID_OPTION` for a missing `clientId`, an unknown
 *   signature method or type, a non-string credential, or a `realm` with control characters
 */
export function checkOptions(options: OAuth1ClientOptions): {
  signatureMethod: OAuth1SignatureMethod;
  signatureType: OAuth1SignatureType;
} {
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
    throw oauth1TypeError('ERR_OAUTH1_INVALID_OPTION', 'realm must not contain control characters');
  }
  return { signatureMethod, signatureType };
}

/** C0 controls and DEL: never valid in a header value. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
