import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, LessThanOrEqual, type Repository } from 'typeorm';
import { randomToken } from '../core/util/random.js';
import { generateClientSecret, hashClientSecret } from '../server/oauth2/client-secret.js';
import {
  clientAuthMethod,
  type OAuth2ServerClient,
} from '../server/oauth2/oauth2-server-client.js';
import type {
  OAuth2AuthorizationGrant,
  OAuth2RevokeQuery,
  OAuth2ServerStorage,
  OAuth2TokenQuery,
  OAuth2TokenRecord,
} from '../server/oauth2/oauth2-server-storage.js';
import { clientToEntity, entityToClient } from './client-mapping.js';
import {
  checkRegistration,
  SECRET_METHODS,
  type OAuth2ClientRegistration,
  type RegisteredOAuth2Client,
} from './client-registration.js';
import { ClientSecretCipher } from './client-secret-cipher.js';
import { OAuth2ClientEntity } from './entities/oauth2-client.entity.js';
import { OAuth2GrantEntity } from './entities/oauth2-grant.entity.js';
import { OAuth2TokenEntity } from './entities/oauth2-token.entity.js';
import { entityToGrant, entityToToken, grantToEntity, tokenToEntity } from './record-mapping.js';
import { TableStatements } from './table-statements.js';
import { isUniqueViolation, typeOrmConfigError } from './typeorm-errors.js';
import {
  OAUTH_TYPEORM_STORAGE_OPTIONS,
  type TypeOrmOAuth2ServerStorageOptions,
} from './typeorm-storage-options.js';

/** What {@link TypeOrmOAuth2ServerStorage.purgeExpired} removed. */
export interface PurgeResult {
  /** Authorization codes past their expiry. */
  grants: number;
  /** Token records whose access and refresh tokens have both expired (revoked or not). */
  tokens: number;
}

/**
 * An {@link OAuth2ServerStorage} on TypeORM (PostgreSQL, SQLite, MySQL, ...):
 * the seed's `bind_sqlalchemy`. Clients, authorization codes and tokens live
 * in the tables of `OAUTH2_SERVER_ENTITIES`; codes and tokens only as SHA-256
 * hashes (the server hands nothing else), client secrets only as hashes
 * (or, for `client_secret_jwt`, sealed with `clientSecretKey`).
 *
 * Single use holds across any number of instances sharing the database:
 * `deleteGrant` is one `DELETE ... WHERE code_hash = ?` and `revokeToken` one
 * `UPDATE ... SET revoked = true WHERE ... AND revoked = false`; each reports
 * `true` only when its own statement changed a row, so of concurrent
 * redemptions of one code, or rotations of one refresh token, exactly one wins.
 *
 * A Nest provider (it injects `@nestjs/typeorm`'s default `DataSource`, and
 * `OAUTH_TYPEORM_STORAGE_OPTIONS` when provided), or built by hand on any
 * initialized `DataSource`.
 *
 * @example
 * ```ts
 * const dataSource = await new DataSource({
 *   type: 'better-sqlite3', database: 'auth.db', entities: [...OAUTH2_SERVER_ENTITIES],
 * }).initialize();
 * const storage = new TypeOrmOAuth2ServerStorage(dataSource);
 * const { clientId, clientSecret } = await storage.registerClient({
 *   redirectUris: ['https://app.example/callback'],
 * }); // show clientSecret once: it is not stored
 * ```
 */
@Injectable()
export class TypeOrmOAuth2ServerStorage implements OAuth2ServerStorage {
  /** The password grant's user check: present only when the options give `getUser`. */
  readonly getUser?: OAuth2ServerStorage['getUser'];
  /** UserInfo claims: present only when the options give `getUserClaims`. */
  readonly getUserClaims?: OAuth2ServerStorage['getUserClaims'];

  private readonly cipher?: ClientSecretCipher;
  private readonly clients: TableStatements<OAuth2ClientEntity>;
  private readonly grants: TableStatements<OAuth2GrantEntity>;
  private readonly tokens: TableStatements<OAuth2TokenEntity>;
  private readonly now: () => number;
  private checked = false;

  /**
   * @param dataSource - an initialized data source whose entities include `OAUTH2_SERVER_ENTITIES`
   * @param options - secret sealing key, user lookups, clock
   */
  constructor(
    private readonly dataSource: DataSource,
    @Optional()
    @Inject(OAUTH_TYPEORM_STORAGE_OPTIONS)
    options: TypeOrmOAuth2ServerStorageOptions | null = {},
  ) {
    const { clientSecretKey, getUser, getUserClaims, now } = options ?? {};
    if (clientSecretKey !== undefined) this.cipher = new ClientSecretCipher(clientSecretKey);
    this.now = now ?? Date.now;
    this.clients = new TableStatements(dataSource, OAuth2ClientEntity);
    this.grants = new TableStatements(dataSource, OAuth2GrantEntity);
    this.tokens = new TableStatements(dataSource, OAuth2TokenEntity);
    if (getUser) this.getUser = (username, password, client) => getUser(username, password, client);
    if (getUserClaims) {
      this.getUserClaims = (subject, scope, client) => getUserClaims(subject, scope, client);
    }
  }

  /**
   * Registers a client: generates its id (unless given) and, for the
   * secret-based methods, its secret (unless given), and stores the secret
   * only as its hash, or sealed for `client_secret_jwt`.
   *
   * @returns the client and its secret in clear: show it once, it cannot be read back
   * @throws {TypeError} (`ERR_OAUTH_CLIENT_REGISTRATION`) for an invalid registration or a
   *   client id already taken; (`ERR_OAUTH_SERVER_CONFIG`) for a `client_secret_jwt`
   *   client without `clientSecretKey`
   */
  async registerClient(registration: OAuth2ClientRegistration): Promise<RegisteredOAuth2Client> {
    const { clientSecret: given, ...rest } = registration;
    const client: OAuth2ServerClient = {
      ...rest,
      clientId: registration.clientId ?? randomToken(16),
    };
    const method = clientAuthMethod(client);
    const clientId = client.clientId;
    checkRegistration(registration, method, clientId);
    const clientSecret = SECRET_METHODS.has(method) ? (given ?? generateClientSecret()) : undefined;
    const row = clientToEntity(
      client,
      this.storedSecret(clientId, method, clientSecret),
      this.epoch(),
    );
    try {
      await this.repo(OAuth2ClientEntity).insert(row);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw Object.assign(
        new TypeError(`client id ${JSON.stringify(clientId)} is already registered`),
        {
          code: 'ERR_OAUTH_CLIENT_REGISTRATION',
        },
      );
    }
    const stored = entityToClient(row, undefined);
    return { client: stored, clientId, ...(clientSecret !== undefined && { clientSecret }) };
  }

  /**
   * Gives a client a new generated secret; the old one stops working at once.
   * @returns the new secret in clear (show it once), or `undefined` for an unknown client
   *   or one whose method uses no secret
   */
  async rotateClientSecret(
    clientId: string,
    options: { expiresAt?: number } = {},
  ): Promise<string | undefined> {
    const row = await this.repo(OAuth2ClientEntity).findOneBy({ clientId });
    const method = row ? clientAuthMethod(entityToClient(row, undefined)) : 'none';
    if (!SECRET_METHODS.has(method)) return undefined;
    const secret = generateClientSecret();
    const stored = this.storedSecret(clientId, method, secret);
    await this.repo(OAuth2ClientEntity).update(
      { clientId },
      {
        clientSecretHash: stored.hash ?? null,
        clientSecretEncrypted: stored.sealed ?? null,
        clientSecretExpiresAt: options.expiresAt ?? null,
      },
    );
    return secret;
  }

  /**
   * Removes a client with its codes and tokens (in one transaction).
   * @returns whether the client existed
   */
  async deleteClient(clientId: string): Promise<boolean> {
    this.check();
    return this.dataSource.transaction(async (manager) => {
      await manager.delete(OAuth2GrantEntity, { clientId });
      await manager.delete(OAuth2TokenEntity, { clientId });
      const { affected } = await manager.delete(OAuth2ClientEntity, { clientId });
      return (affected ?? 0) > 0;
    });
  }

  /** The seed's `clientgetter`: the registered client (a sealed secret opened), or `undefined`. */
  async getClient(clientId: string): Promise<OAuth2ServerClient | undefined> {
    this.check();
    const row = await this.clients.find('clientId', clientId);
    return row ? entityToClient(row, this.cipher) : undefined;
  }

  /** The seed's `grantsetter`: keeps an authorization code (by its hash) until redeemed or purged. */
  async saveGrant(grant: OAuth2AuthorizationGrant): Promise<void> {
    this.check();
    await this.grants.insert(grantToEntity(grant));
  }

  /** The seed's `grantgetter`: the grant of a code hash, or `undefined`. */
  async getGrant(codeHash: string): Promise<OAuth2AuthorizationGrant | undefined> {
    this.check();
    const row = await this.grants.find('codeHash', codeHash);
    return row ? entityToGrant(row) : undefined;
  }

  /**
   * Removes the grant: one `DELETE ... WHERE code_hash = ?`, `true` only when
   * this statement deleted the row (of concurrent callers, exactly one).
   */
  async deleteGrant(codeHash: string): Promise<boolean> {
    const { affected } = await this.repo(OAuth2GrantEntity).delete({ codeHash });
    return affected === 1;
  }

  /** The seed's `tokensetter`: keeps an issued token pair (hashes only); a duplicate hash rejects. */
  async saveToken(token: OAuth2TokenRecord): Promise<void> {
    this.check();
    await this.tokens.insert(tokenToEntity(token));
  }

  /**
   * The seed's `tokengetter`: the record holding the access or refresh token with this hash,
   * revoked records included (`revoked: true`), or `undefined`.
   */
  async getToken(query: OAuth2TokenQuery): Promise<OAuth2TokenRecord | undefined> {
    this.check();
    const row =
      'accessTokenHash' in query
        ? await this.tokens.find('accessTokenHash', query.accessTokenHash)
        : await this.tokens.find('refreshTokenHash', query.refreshTokenHash);
    return row ? entityToToken(row) : undefined;
  }

  /**
   * Marks one record, or a family, revoked: one
   * `UPDATE ... SET revoked = true WHERE (id | family_id) = ? AND revoked = false`,
   * `true` only when this statement changed a row (of concurrent callers on one
   * record, exactly one). Rows are kept for reuse detection until `purgeExpired`.
   */
  async revokeToken(query: OAuth2RevokeQuery): Promise<boolean> {
    const target = 'id' in query ? { id: query.id } : { familyId: query.familyId };
    const { affected } = await this.repo(OAuth2TokenEntity).update(
      { ...target, revoked: false },
      { revoked: true, revokedAt: this.epoch() },
    );
    return (affected ?? 0) > 0;
  }

  /**
   * Deletes expired codes, and token records whose tokens have all expired
   * (revoked ones too: a refresh token past its expiry is refused anyway).
   * Run it from a scheduled job.
   *
   * @param now - the cut-off, epoch seconds (default: now)
   */
  async purgeExpired(now: number = this.epoch()): Promise<PurgeResult> {
    const grants = await this.repo(OAuth2GrantEntity).delete({ expiresAt: LessThanOrEqual(now) });
    const tokens = await this.repo(OAuth2TokenEntity).delete({ expiresAt: LessThanOrEqual(now) });
    return { grants: grants.affected ?? 0, tokens: tokens.affected ?? 0 };
  }

  private storedSecret(
    clientId: string,
    method: string,
    secret: string | undefined,
  ): { hash?: string; sealed?: string } {
    if (secret === undefined) return {};
    if (method !== 'client_secret_jwt') return { hash: hashClientSecret(secret) };
    if (!this.cipher) {
      throw typeOrmConfigError(
        'a client_secret_jwt client needs the storage option clientSecretKey (its secret is sealed with it)',
      );
    }
    return { sealed: this.cipher.seal(clientId, secret) };
  }

  private epoch(): number {
    return Math.floor(this.now() / 1000);
  }

  private check(): void {
    if (this.checked) return;
    for (const entity of [OAuth2ClientEntity, OAuth2GrantEntity, OAuth2TokenEntity]) {
      if (!this.dataSource.hasMetadata(entity)) {
        throw typeOrmConfigError(
          `the DataSource does not know ${entity.name}: add OAUTH2_SERVER_ENTITIES to its entities`,
        );
      }
    }
    this.checked = true;
  }

  private repo<T extends object>(entity: new () => T): Repository<T> {
    this.check();
    return this.dataSource.getRepository(entity);
  }
}
