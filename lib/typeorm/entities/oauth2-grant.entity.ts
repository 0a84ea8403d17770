import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { BIGINT_NUMBER, HASH_LENGTH, ID_LENGTH, JSON_TEXT } from './columns.js';

/**
 * An authorization code (table `oauth2_grants`): the seed's grant model. The
 * code itself is never stored: `code_hash` is its SHA-256 and the key it is
 * looked up and deleted by. A row lives until the code is redeemed or
 * `TypeOrmOAuth2ServerStorage.purgeExpired()` removes it.
 */
@Entity({ name: 'oauth2_grants' })
export class OAuth2GrantEntity {
  /** SHA-256 of the code, base64url. */
  @PrimaryColumn({ name: 'code_hash', type: 'varchar', length: HASH_LENGTH })
  codeHash!: string;

  /** The client the code was issued to. */
  @Column({ name: 'client_id', type: 'varchar', length: ID_LENGTH })
  clientId!: string;

  /** The user who approved. */
  @Column({ name: 'subject', type: 'varchar', length: ID_LENGTH })
  subject!: string;

  /** The granted scopes (JSON array). */
  @Column({ name: 'scope', type: 'text', transformer: JSON_TEXT })
  scope!: string[];

  /** The `redirect_uri` of the authorization request, when it named one. */
  @Column({ name: 'redirect_uri', type: 'text', nullable: true })
  redirectUri!: string | null;

  /** Expiry, epoch seconds. */
  @Index('idx_oauth2_grants_expires_at')
  @Column({ name: 'expires_at', type: 'bigint', transformer: BIGINT_NUMBER })
  expiresAt!: number;

  /** The PKCE challenge. */
  @Column({ name: 'code_challenge', type: 'varchar', length: 128, nullable: true })
  codeChallenge!: string | null;

  /** The PKCE method: `S256` or `plain`. */
  @Column({ name: 'code_challenge_method', type: 'varchar', length: 8, nullable: true })
  codeChallengeMethod!: string | null;

  /** The OpenID Connect `nonce` of the request. */
  @Column({ name: 'nonce', type: 'text', nullable: true })
  nonce!: string | null;

  /** When the user authenticated, epoch seconds. */
  @Column({ name: 'auth_time', type: 'bigint', nullable: true, transformer: BIGINT_NUMBER })
  authTime!: number | null;

  /** Authentication context class reference. */
  @Column({ name: 'acr', type: 'text', nullable: true })
  acr!: string | null;

  /** Authentication methods (JSON array). */
  @Column({ name: 'amr', type: 'text', nullable: true, transformer: JSON_TEXT })
  amr!: string[] | null;
}
