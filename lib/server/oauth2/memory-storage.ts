import { clientAuthMethod, type OAuth2ServerClient } from './oauth2-server-client.js';
import type {
  OAuth2AuthorizationGrant,
  OAuth2RevokeQuery,
  OAuth2ServerStorage,
  OAuth2ServerUser,
  OAuth2TokenQuery,
  OAuth2TokenRecord,
} from './oauth2-server-storage.js';
import { hashClientSecret } from './client-secret.js';
import { constantTimeEqual } from '../../core/util/constant-time.js';

/** A user of {@link MemoryOAuth2ServerStorage}: credentials for the password grant and claims. */
export interface MemoryOAuth2User {
  /** The login name (password grant). */
  username?: string;
  /** The password (password grant). */
  password?: string;
  /** The subject identifier. */
  sub: string;
  /** Claims for UserInfo and ID tokens (`name`, `email`, ...). */
  claims?: Record<string, unknown>;
}

/** Options of {@link MemoryOAuth2ServerStorage}. */
export interface MemoryOAuth2ServerStorageOptions {
  /** Clients registered up front (see {@link MemoryOAuth2ServerStorage.addClient}). */
  clients?: OAuth2ServerClient[];
  /** Users: their claims feed UserInfo; with any `username`, the password grant is on. */
  users?: MemoryOAuth2User[];
}

/**
 * An in-memory {@link OAuth2ServerStorage} for tests, samples and single
 * instance demos: everything is lost on restart. Like a database storage, it
 * holds only hashes of codes and tokens (the server hands it nothing else),
 * and {@link MemoryOAuth2ServerStorage.addClient} keeps a client secret only
 * as its hash, except for `client_secret_jwt` clients, whose secret is their HMAC key.
 *
 * @example
 * ```ts
 * const storage = new MemoryOAuth2ServerStorage({
 *   clients: [{ clientId: 'app', clientSecret: generateClientSecret(), redirectUris: ['https://app.example/cb'] }],
 *   users: [{ sub: 'alice', claims: { name: 'Alice' } }],
 * });
 * ```
 */
export class MemoryOAuth2ServerStorage implements OAuth2ServerStorage {
  /** The password grant's user lookup; present only when some user has a `username`. */
  readonly getUser?: OAuth2ServerStorage['getUser'];

  private readonly clients = new Map<string, OAuth2ServerClient>();
  private readonly users = new Map<string, MemoryOAuth2User>();
  private readonly grants = new Map<string, OAuth2AuthorizationGrant>();
  private readonly tokens = new Map<string, OAuth2TokenRecord>();
  private readonly byAccess = new Map<string, string>();
  private readonly byRefresh = new Map<string, string>();

  /** @param options - clients and users registered up front */
  constructor(options: MemoryOAuth2ServerStorageOptions = {}) {
    for (const client of options.clients ?? []) this.addClient(client);
    for (const user of options.users ?? []) this.users.set(user.sub, user);
    if ([...this.users.values()].some((u) => u.username !== undefined)) {
      this.getUser = (username, password) => this.checkPassword(username, password);
    }
  }

  /**
   * Registers a client. A `clientSecret` is replaced by its `clientSecretHash`
   * unless the client authenticates with `client_secret_jwt`.
   *
   * @param client - the client
   * @returns the client as stored
   */
  addClient(client: OAuth2ServerClient): OAuth2ServerClient {
    const stored = { ...client };
    if (stored.clientSecret !== undefined && clientAuthMethod(stored) !== 'client_secret_jwt') {
      stored.clientSecretHash = hashClientSecret(stored.clientSecret);
      delete stored.clientSecret;
    }
    this.clients.set(stored.clientId, stored);
    return stored;
  }

  /** Every token record kept (for tests: they hold hashes only). */
  tokenRecords(): OAuth2TokenRecord[] {
    return [...this.tokens.values()].map((r) => ({ ...r }));
  }

  /** Every authorization code grant kept (for tests). */
  grantRecords(): OAuth2AuthorizationGrant[] {
    return [...this.grants.values()].map((g) => ({ ...g }));
  }

  /** {@inheritDoc OAuth2ServerStorage.getClient} */
  getClient(clientId: string): OAuth2ServerClient | undefined {
    return this.clients.get(clientId);
  }

  /** {@inheritDoc OAuth2ServerStorage.saveGrant} */
  saveGrant(grant: OAuth2AuthorizationGrant): void {
    this.grants.set(grant.codeHash, { ...grant });
  }

  /** {@inheritDoc OAuth2ServerStorage.getGrant} */
  getGrant(codeHash: string): OAuth2AuthorizationGrant | undefined {
    const grant = this.grants.get(codeHash);
    return grant && { ...grant };
  }

  /** {@inheritDoc OAuth2ServerStorage.deleteGrant} */
  deleteGrant(codeHash: string): boolean {
    return this.grants.delete(codeHash);
  }

  /** {@inheritDoc OAuth2ServerStorage.saveToken} */
  saveToken(token: OAuth2TokenRecord): void {
    this.tokens.set(token.id, { ...token });
    this.byAccess.set(token.accessTokenHash, token.id);
    if (token.refreshTokenHash) this.byRefresh.set(token.refreshTokenHash, token.id);
  }

  /** {@inheritDoc OAuth2ServerStorage.getToken} */
  getToken(query: OAuth2TokenQuery): OAuth2TokenRecord | undefined {
    const id =
      'accessTokenHash' in query
        ? this.byAccess.get(query.accessTokenHash)
        : this.byRefresh.get(query.refreshTokenHash);
    const record = id === undefined ? undefined : this.tokens.get(id);
    return record && { ...record };
  }

  /** {@inheritDoc OAuth2ServerStorage.revokeToken} */
  revokeToken(query: OAuth2RevokeQuery): boolean {
    let changed = false;
    const targets =
      'id' in query
        ? [this.tokens.get(query.id)]
        : [...this.tokens.values()].filter((r) => r.familyId === query.familyId);
    for (const record of targets) {
      if (record && !record.revoked) {
        record.revoked = true;
        changed = true;
      }
    }
    return changed;
  }

  /** {@inheritDoc OAuth2ServerStorage.getUserClaims} */
  getUserClaims(subject: string): Record<string, unknown> | undefined {
    return this.users.get(subject)?.claims;
  }

  private checkPassword(username: string, password: string): OAuth2ServerUser | undefined {
    // An app may pass a form field as it came (absent, or an array from a repeated field).
    if (typeof username !== 'string' || typeof password !== 'string') return undefined;
    for (const user of this.users.values()) {
      if (
        user.username !== undefined &&
        user.password !== undefined &&
        constantTimeEqual(user.username, username) &&
        constantTimeEqual(user.password, password)
      ) {
        return { sub: user.sub };
      }
    }
    return undefined;
  }
}
