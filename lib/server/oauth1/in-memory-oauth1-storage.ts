import type {
  OAuth1AccessToken,
  OAuth1Nonce,
  OAuth1NonceKey,
  OAuth1RequestToken,
  OAuth1ServerClient,
  OAuth1ServerStorage,
  OAuth1Verifier,
} from './oauth1-server-storage.interface.js';

/** Options of {@link InMemoryOAuth1ServerStorage}. */
export interface InMemoryOAuth1ServerStorageOptions {
  /** The registered clients. */
  clients?: Iterable<OAuth1ServerClient>;
  /** The clock in epoch seconds, for dropping expired records (default: the real one). */
  now?: () => number;
}

/** How many nonces are saved between two sweeps of the expired ones. */
const SWEEP_EVERY = 1024;

/**
 * An {@link OAuth1ServerStorage} in process memory, for tests, samples and
 * single-process development servers: everything is lost on restart and not
 * shared between processes. Expired request tokens, verifiers and nonces are
 * dropped as they are met.
 *
 * @typeParam U - the app's user type
 * @example
 * ```ts
 * const storage = new InMemoryOAuth1ServerStorage({
 *   clients: [{ clientKey: 'printer', clientSecret: 'a long random secret',
 *               redirectUris: ['https://printer.example.com/ready'] }],
 * });
 * ```
 */
export class InMemoryOAuth1ServerStorage<U = unknown> implements OAuth1ServerStorage<U> {
  readonly #clients = new Map<string, OAuth1ServerClient>();
  readonly #requestTokens = new Map<string, OAuth1RequestToken>();
  readonly #verifiers = new Map<string, OAuth1Verifier<U>>();
  readonly #accessTokens = new Map<string, OAuth1AccessToken<U>>();
  readonly #nonces = new Map<string, number>();
  readonly #now: () => number;
  #noncesSinceSweep = 0;

  /** @param options - the registered clients and the clock */
  constructor(options: InMemoryOAuth1ServerStorageOptions = {}) {
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    for (const client of options.clients ?? []) this.addClient(client);
  }

  /** Registers (or replaces) a client. */
  addClient(client: OAuth1ServerClient): void {
    this.#clients.set(client.clientKey, client);
  }

  /**
   * Revokes the token credentials a predicate picks (say, one user's for one client).
   * @returns how many were removed
   */
  revokeAccessTokens(predicate: (token: OAuth1AccessToken<U>) => boolean): number {
    let count = 0;
    for (const [key, token] of this.#accessTokens) {
      if (predicate(token)) {
        this.#accessTokens.delete(key);
        count++;
      }
    }
    return count;
  }

  /** {@inheritDoc OAuth1ServerStorage.getClient} */
  getClient(clientKey: string): OAuth1ServerClient | undefined {
    return this.#clients.get(clientKey);
  }

  /** {@inheritDoc OAuth1ServerStorage.saveRequestToken} */
  saveRequestToken(token: OAuth1RequestToken): void {
    this.#requestTokens.set(token.token, { ...token, realms: [...token.realms] });
  }

  /** {@inheritDoc OAuth1ServerStorage.getRequestToken} */
  getRequestToken(token: string): OAuth1RequestToken | undefined {
    return this.#live(this.#requestTokens, token);
  }

  /** {@inheritDoc OAuth1ServerStorage.deleteRequestToken} */
  deleteRequestToken(token: string): boolean {
    return this.#requestTokens.delete(token);
  }

  /** {@inheritDoc OAuth1ServerStorage.saveVerifier} */
  saveVerifier(verifier: OAuth1Verifier<U>): void {
    this.#verifiers.set(verifierKey(verifier.verifier, verifier.token), {
      ...verifier,
      realms: [...verifier.realms],
    });
  }

  /** {@inheritDoc OAuth1ServerStorage.getVerifier} */
  getVerifier(verifier: string, token: string): OAuth1Verifier<U> | undefined {
    return this.#live(this.#verifiers, verifierKey(verifier, token));
  }

  /** {@inheritDoc OAuth1ServerStorage.saveAccessToken} */
  saveAccessToken(token: OAuth1AccessToken<U>): void {
    this.#accessTokens.set(token.token, { ...token, realms: [...token.realms] });
  }

  /** {@inheritDoc OAuth1ServerStorage.getAccessToken} */
  getAccessToken(token: string): OAuth1AccessToken<U> | undefined {
    return this.#live(this.#accessTokens, token);
  }

  /** {@inheritDoc OAuth1ServerStorage.saveNonce} */
  saveNonce(nonce: OAuth1Nonce): boolean {
    if (++this.#noncesSinceSweep >= SWEEP_EVERY) this.#sweepNonces();
    const key = nonceKey(nonce);
    const expiresAt = this.#nonces.get(key);
    if (expiresAt !== undefined && expiresAt > this.#now()) return false;
    this.#nonces.set(key, nonce.expiresAt);
    return true;
  }

  /** {@inheritDoc OAuth1ServerStorage.getNonce} */
  getNonce(key: OAuth1NonceKey): boolean {
    const expiresAt = this.#nonces.get(nonceKey(key));
    return expiresAt !== undefined && expiresAt > this.#now();
  }

  #live<T extends { expiresAt?: number }>(map: Map<string, T>, key: string): T | undefined {
    const record = map.get(key);
    if (record?.expiresAt !== undefined && record.expiresAt <= this.#now()) {
      map.delete(key);
      return undefined;
    }
    return record;
  }

  #sweepNonces(): void {
    this.#noncesSinceSweep = 0;
    const now = this.#now();
    for (const [key, expiresAt] of this.#nonces) if (expiresAt <= now) this.#nonces.delete(key);
  }
}

function verifierKey(verifier: string, token: string): string {
  return `${verifier}\n${token}`;
}

function nonceKey(key: OAuth1NonceKey): string {
  return JSON.stringify([
    key.clientKey,
    key.timestamp,
    key.nonce,
    key.requestToken ?? '',
    key.accessToken ?? '',
  ]);
}
