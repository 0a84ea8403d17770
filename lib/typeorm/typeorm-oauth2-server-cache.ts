import { DataSource, LessThanOrEqual, type Repository } from 'typeorm';
import type { OAuth2ServerCache } from '../server/oauth2/server-cache.js';
import { OAuth2CacheEntryEntity } from './entities/oauth2-cache-entry.entity.js';
import { TableStatements } from './table-statements.js';
import { isUniqueViolation, typeOrmConfigError } from './typeorm-errors.js';

/** Options of {@link TypeOrmOAuth2ServerCache}. */
export interface TypeOrmOAuth2ServerCacheOptions {
  /** Clock in milliseconds (for tests); default `Date.now`. */
  now?: () => number;
}

/**
 * An {@link OAuth2ServerCache} in the database (table `oauth2_cache`), shared
 * by every instance of the server: give it as the server's `replayCache`, so
 * a client assertion's `jti` is accepted once across all of them, and
 * optionally as `grantCache` (codes keyed by their hash).
 *
 * `add` is an `INSERT` that the primary key refuses for a key already there
 * (an expired entry is deleted first), and `take` a read then a
 * `DELETE ... WHERE key = ? AND value = ?` whose affected-row count decides:
 * both atomic under concurrency, with no lock and no transaction.
 */
export class TypeOrmOAuth2ServerCache implements OAuth2ServerCache {
  private readonly now: () => number;
  private repository?: Repository<OAuth2CacheEntryEntity>;
  private lookup?: TableStatements<OAuth2CacheEntryEntity>;

  /**
   * @param dataSource - an initialized data source whose entities include `OAuth2CacheEntryEntity`
   * @param options - clock
   */
  constructor(
    private readonly dataSource: DataSource,
    options: TypeOrmOAuth2ServerCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The stored value, or `undefined` when absent or expired. */
  async get(key: string): Promise<unknown> {
    const row = await this.read(key);
    return row && this.live(row) ? (JSON.parse(row.value) as unknown) : undefined;
  }

  /** Stores `value` (JSON) under `key`, replacing any; it expires after `expiresSeconds` (never without). */
  async set(key: string, value: unknown, expiresSeconds?: number): Promise<void> {
    await this.repo().upsert(this.entry(key, value, expiresSeconds), ['key']);
  }

  /** Removes the value. */
  async delete(key: string): Promise<void> {
    await this.repo().delete({ key });
  }

  /** Returns the value and removes it, for exactly one of concurrent callers; `undefined` for the others. */
  async take(key: string): Promise<unknown> {
    const row = await this.read(key);
    if (!row) return undefined;
    const { affected } = await this.repo().delete({ key, value: row.value });
    return affected === 1 && this.live(row) ? (JSON.parse(row.value) as unknown) : undefined;
  }

  /**
   * Stores `value` unless a live entry has the key.
   * @returns `true` for exactly one of concurrent callers with the same key
   */
  async add(key: string, value: unknown, expiresSeconds?: number): Promise<boolean> {
    await this.repo().delete({ key, expiresAt: LessThanOrEqual(this.now()) });
    try {
      await this.repo().insert(this.entry(key, value, expiresSeconds));
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /**
   * Deletes expired entries; run it from a scheduled job.
   * @returns how many were deleted
   */
  async purgeExpired(): Promise<number> {
    const { affected } = await this.repo().delete({ expiresAt: LessThanOrEqual(this.now()) });
    return affected ?? 0;
  }

  private entry(key: string, value: unknown, expiresSeconds?: number): OAuth2CacheEntryEntity {
    const row = new OAuth2CacheEntryEntity();
    row.key = key;
    row.value = JSON.stringify(value ?? null);
    row.expiresAt = expiresSeconds === undefined ? null : this.now() + expiresSeconds * 1000;
    return row;
  }

  private read(key: string): Promise<OAuth2CacheEntryEntity | undefined> {
    this.repo();
    this.lookup ??= new TableStatements(this.dataSource, OAuth2CacheEntryEntity);
    return this.lookup.find('key', key);
  }

  private live(row: OAuth2CacheEntryEntity): boolean {
    return row.expiresAt === null || row.expiresAt > this.now();
  }

  private repo(): Repository<OAuth2CacheEntryEntity> {
    if (!this.repository) {
      if (!this.dataSource.hasMetadata(OAuth2CacheEntryEntity)) {
        throw typeOrmConfigError(
          'the DataSource does not know OAuth2CacheEntryEntity: add OAUTH2_SERVER_ENTITIES to its entities',
        );
      }
      this.repository = this.dataSource.getRepository(OAuth2CacheEntryEntity);
    }
    return this.repository;
  }
}
