/**
 * What every endpoint of the provider shares: the storage, the settings, the
 * clock, and how tokens are made and turned into storage lookup keys.
 */
import { createHash } from 'node:crypto';
import { randomToken } from '../../core/util/random.js';
import type { OAuth1ServerStorage } from './oauth1-server-storage.interface.js';
import type { ResolvedOAuth1ServerSettings } from './oauth1-server-settings.js';

/** What a generated value is for. */
export type OAuth1TokenPurpose =
  'request_token' | 'request_token_secret' | 'verifier' | 'access_token' | 'access_token_secret';

/**
 * Makes a token key, secret or verifier. The default draws `bytes` bytes from
 * the CSPRNG, base64url-encoded. Replace it only for a token format of your
 * own, and keep at least 128 bits of CSPRNG output in each value.
 */
export type OAuth1TokenGenerator = (purpose: OAuth1TokenPurpose, bytes: number) => string;

/** The default {@link OAuth1TokenGenerator}: `bytes` CSPRNG bytes, base64url. */
export const generateOAuth1Token: OAuth1TokenGenerator = (_purpose, bytes) => randomToken(bytes);

/**
 * The storage lookup key of a token key or verifier: its SHA-256, base64url
 * (43 characters), or the value itself when hashing is off.
 *
 * @param value - the `oauth_token` or `oauth_verifier` the client holds
 * @param hash - whether tokens are hashed (the `hashTokens` setting)
 * @returns the key the storage sees
 */
export function oauth1LookupKey(value: string, hash = true): string {
  return hash ? createHash('sha256').update(value, 'utf8').digest('base64url') : value;
}

/** @internal */
export interface ProviderContext<U> {
  readonly storage: OAuth1ServerStorage<U>;
  readonly settings: ResolvedOAuth1ServerSettings;
  /** The clock in epoch seconds. */
  now(): number;
  generate(purpose: OAuth1TokenPurpose): string;
  lookupKey(value: string): string;
}

/** @internal */
export function createProviderContext<U>(
  storage: OAuth1ServerStorage<U>,
  settings: ResolvedOAuth1ServerSettings,
  now: () => number,
  generator: OAuth1TokenGenerator,
): ProviderContext<U> {
  return {
    storage,
    settings,
    now,
    generate(purpose) {
      const bytes = purpose === 'verifier' ? settings.verifierLength : settings.tokenLength;
      const value = generator(purpose, bytes);
      if (typeof value !== 'string' || value === '') {
        throw new TypeError('the OAuth 1 token generator returned no string');
      }
      return value;
    },
    lookupKey: (value) => oauth1LookupKey(value, settings.hashTokens),
  };
}
