import { createHash } from 'node:crypto';
import type { JWK } from 'jose';
import {
  defaultJwsAlgorithm,
  importSigningKey,
  publicJwkOf,
  type SigningKey,
  type SigningKeyInput,
} from '../../core/util/signing-key.js';

/** A server signing key with its `kid` and algorithm named. */
export interface ServerKeyOptions {
  /** The private key: a PEM string (PKCS#8, PKCS#1, SEC1), a private JWK, a `KeyObject` or an extractable `CryptoKey`. */
  key: SigningKeyInput;
  /** The key id published in the JWK set and the token headers (default: the RFC 7638 thumbprint). */
  kid?: string;
  /** The JWS algorithm (default after the key: `RS256`, `ES256`, `EdDSA`, ...). */
  alg?: string;
}

/** A server signing key: a private key, or one with its `kid` and `alg` named. */
export type ServerKeyInput = SigningKeyInput | ServerKeyOptions;

interface Entry {
  kid: string;
  alg: string;
  publicJwk: JWK;
  input: SigningKeyInput;
  signer?: Promise<SigningKey>;
}

const THUMBPRINT_MEMBERS: Record<string, string[]> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
};

/**
 * The server's signing keys (ID tokens): for each algorithm the **first** key
 * signs; every key, old ones included, is published in the JWK set, so tokens
 * signed before a rotation still verify. Rotate by putting the new key first
 * and keeping the old one after it until its tokens have expired.
 */
export class ServerKeySet {
  private readonly entries: Entry[];

  /**
   * @param inputs - private keys, newest first
   * @throws {TypeError} (`ERR_OAUTH_INVALID_KEY`) for a secret, a public key or an unreadable key
   */
  constructor(inputs: readonly ServerKeyInput[]) {
    this.entries = inputs.map((input) => {
      const options: ServerKeyOptions = isKeyOptions(input) ? input : { key: input };
      const publicJwk = publicJwkOf(options.key);
      return {
        kid: options.kid ?? thumbprint(publicJwk),
        alg: options.alg ?? defaultJwsAlgorithm(publicJwk),
        publicJwk,
        input: options.key,
      };
    });
  }

  /** The algorithms the server can sign with, in key order. */
  get algorithms(): string[] {
    return [...new Set(this.entries.map((e) => e.alg))];
  }

  /** The default ID token algorithm: RS256 when an RSA key is there (OIDC's mandatory one), else the first key's. */
  get defaultAlgorithm(): string | undefined {
    return this.algorithms.includes('RS256') ? 'RS256' : this.entries[0]?.alg;
  }

  /** The public JWK set (RFC 7517 §5): every key, with `kid`, `alg` and `use: sig`. */
  jwks(): { keys: JWK[] } {
    return {
      keys: this.entries.map((e) => ({ ...e.publicJwk, kid: e.kid, alg: e.alg, use: 'sig' })),
    };
  }

  /**
   * The signing key of an algorithm (the first key with it), imported once.
   * @returns `undefined` when no key signs with `alg`
   */
  signer(alg: string): Promise<SigningKey> | undefined {
    const entry = this.entries.find((e) => e.alg === alg);
    if (!entry) return undefined;
    entry.signer ??= importSigningKey(entry.input, entry.alg).then((k) => ({
      ...k,
      kid: entry.kid,
    }));
    return entry.signer;
  }
}

function isKeyOptions(input: ServerKeyInput): input is ServerKeyOptions {
  return (
    typeof input === 'object' &&
    input !== null &&
    'key' in input &&
    !('kty' in input) &&
    !(input instanceof Uint8Array)
  );
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key. */
function thumbprint(jwk: JWK): string {
  const members = THUMBPRINT_MEMBERS[jwk.kty ?? ''] ?? [];
  const canonical = JSON.stringify(
    Object.fromEntries(members.map((m) => [m, (jwk as Record<string, unknown>)[m]])),
  );
  return createHash('sha256').update(canonical).digest('base64url');
}
