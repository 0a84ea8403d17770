import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { BIGINT_NUMBER } from './columns.js';

/**
 * A short-lived shared value (table `oauth2_cache`): what
 * `TypeOrmOAuth2ServerCache` keeps, the `jti` of client assertions already
 * seen (so an assertion is used once across every instance) and, when used as
 * the server's `grantCache`, authorization codes under their hash. Keys never
 * hold a token in clear.
 */
@Entity({ name: 'oauth2_cache' })
export class OAuth2CacheEntryEntity {
  /** The key. */
  @PrimaryColumn({ name: 'cache_key', type: 'varchar', length: 512 })
  key!: string;

  /** The value, JSON. */
  @Column({ name: 'value', type: 'text' })
  value!: string;

  /** Expiry, epoch milliseconds; `null`: never. */
  @Index('idx_oauth2_cache_expires_at')
  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: BIGINT_NUMBER })
  expiresAt!: number | null;
}
