import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { BIGINT_NUMBER, HASH_LENGTH, ID_LENGTH, JSON_TEXT } from './columns.js';

/**
 * An issued token pair (table `oauth2_tokens`): the seed's token model. Only
 * SHA-256 hashes of the access and refresh tokens are stored, each under a
 * unique index (the lookups of `getToken`). Every token from one
 * authorization and every refresh of it share `family_id`, so a replayed
 * code or a reused refresh token revokes them all (indexed too). Revoked rows
 * are kept, `revoked = true`, until both tokens expire: a revoked refresh
 * token presented again is how reuse is recognized.
 */
@Entity({ name: 'oauth2_tokens' })
export class OAuth2TokenEntity {
  /** The record's id (random, not secret). */
  @PrimaryColumn({ name: 'id', type: 'varchar', length: HASH_LENGTH })
  id!: string;

  /** The family: the code's hash for tokens from a code, else a random id. */
  @Index('idx_oauth2_tokens_family_id')
  @Column({ name: 'family_id', type: 'varchar', length: HASH_LENGTH })
  familyId!: string;

  /** The client the tokens were issued to. */
  @Index('idx_oauth2_tokens_client_id')
  @Column({ name: 'client_id', type: 'varchar', length: ID_LENGTH })
  clientId!: string;

  /** The user; `null` for a client acting as itself. */
  @Index('idx_oauth2_tokens_subject')
  @Column({ name: 'subject', type: 'varchar', length: ID_LENGTH, nullable: true })
  subject!: string | null;

  /** The granted scopes (JSON array). */
  @Column({ name: 'scope', type: 'text', transformer: JSON_TEXT })
  scope!: string[];

  /** SHA-256 of the access token, base64url. */
  @Index('idx_oauth2_tokens_access_token_hash', { unique: true })
  @Column({ name: 'access_token_hash', type: 'varchar', length: HASH_LENGTH })
  accessTokenHash!: string;

  /** Access token expiry, epoch seconds. */
  @Column({ name: 'access_token_expires_at', type: 'bigint', transformer: BIGINT_NUMBER })
  accessTokenExpiresAt!: number;

  /** SHA-256 of the refresh token, base64url; `null` when none was issued. */
  @Index('idx_oauth2_tokens_refresh_token_hash', { unique: true })
  @Column({ name: 'refresh_token_hash', type: 'varchar', length: HASH_LENGTH, nullable: true })
  refreshTokenHash!: string | null;

  /** Refresh token expiry, epoch seconds. */
  @Column({
    name: 'refresh_token_expires_at',
    type: 'bigint',
    nullable: true,
    transformer: BIGINT_NUMBER,
  })
  refreshTokenExpiresAt!: number | null;

  /** Issue time, epoch seconds. */
  @Column({ name: 'issued_at', type: 'bigint', transformer: BIGINT_NUMBER })
  issuedAt!: number;

  /** When the user authenticated, epoch seconds. */
  @Column({ name: 'auth_time', type: 'bigint', nullable: true, transformer: BIGINT_NUMBER })
  authTime!: number | null;

  /** Authentication context class reference. */
  @Column({ name: 'acr', type: 'text', nullable: true })
  acr!: string | null;

  /** Authentication methods (JSON array). */
  @Column({ name: 'amr', type: 'text', nullable: true, transformer: JSON_TEXT })
  amr!: string[] | null;

  /** Whether the pair was revoked (rotated, revoked by the client, or its family revoked). */
  @Column({ name: 'revoked', type: 'boolean', default: false })
  revoked!: boolean;

  /** When it was revoked, epoch seconds. */
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: BIGINT_NUMBER })
  revokedAt!: number | null;

  /** When the row may be deleted (the later of the two expiries), epoch seconds. */
  @Index('idx_oauth2_tokens_expires_at')
  @Column({ name: 'expires_at', type: 'bigint', transformer: BIGINT_NUMBER })
  expiresAt!: number;
}
