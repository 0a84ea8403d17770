import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_NUMBER, HASH_LENGTH, ID_LENGTH, JSON_TEXT } from './columns.js';

/**
 * A registered client (table `oauth2_clients`): the seed's client model of
 * `bind_sqlalchemy`. The secret is never stored in clear: `client_secret_hash`
 * holds its SHA-256 for `client_secret_basic` / `client_secret_post`, and
 * `client_secret_encrypted` holds a `client_secret_jwt` client's HMAC key,
 * AES-256-GCM-sealed with a key that lives outside the database.
 *
 * Register clients with `TypeOrmOAuth2ServerStorage.registerClient()` rather
 * than by hand: it generates the secret, returns it once and stores only
 * what is described here.
 */
@Entity({ name: 'oauth2_clients' })
export class OAuth2ClientEntity {
  /** The client identifier. */
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: ID_LENGTH })
  clientId!: string;

  /** SHA-256 of the secret (`hashClientSecret`), base64url. */
  @Column({ name: 'client_secret_hash', type: 'varchar', length: HASH_LENGTH, nullable: true })
  clientSecretHash!: string | null;

  /** A `client_secret_jwt` client's secret, sealed (`v1.<iv>.<ciphertext and tag>`). */
  @Column({ name: 'client_secret_encrypted', type: 'text', nullable: true })
  clientSecretEncrypted!: string | null;

  /** When the secret stops working, epoch seconds; `null`: never. */
  @Column({
    name: 'client_secret_expires_at',
    type: 'bigint',
    nullable: true,
    transformer: BIGINT_NUMBER,
  })
  clientSecretExpiresAt!: number | null;

  /** Whether the client can keep a secret; `null`: derived from the auth method. */
  @Column({ name: 'confidential', type: 'boolean', nullable: true })
  confidential!: boolean | null;

  /** Registered redirect URIs (JSON array), compared exactly. */
  @Column({ name: 'redirect_uris', type: 'text', transformer: JSON_TEXT })
  redirectUris!: string[];

  /** The redirect URI used when a request names none. */
  @Column({ name: 'default_redirect_uri', type: 'text', nullable: true })
  defaultRedirectUri!: string | null;

  /** Scopes granted when a request names none (JSON array). */
  @Column({ name: 'default_scopes', type: 'text', nullable: true, transformer: JSON_TEXT })
  defaultScopes!: string[] | null;

  /** Scopes the client may ask for (JSON array). */
  @Column({ name: 'allowed_scopes', type: 'text', nullable: true, transformer: JSON_TEXT })
  allowedScopes!: string[] | null;

  /** Grant types the client may use (JSON array). */
  @Column({ name: 'allowed_grant_types', type: 'text', nullable: true, transformer: JSON_TEXT })
  allowedGrantTypes!: string[] | null;

  /** Response types the client may request (JSON array). */
  @Column({ name: 'allowed_response_types', type: 'text', nullable: true, transformer: JSON_TEXT })
  allowedResponseTypes!: string[] | null;

  /** `client_secret_basic`, `client_secret_post`, `none`, `client_secret_jwt` or `private_key_jwt`. */
  @Column({ name: 'token_endpoint_auth_method', type: 'varchar', length: 32, nullable: true })
  tokenEndpointAuthMethod!: string | null;

  /** The only algorithm accepted on the client's assertions. */
  @Column({ name: 'token_endpoint_auth_signing_alg', type: 'varchar', length: 16, nullable: true })
  tokenEndpointAuthSigningAlg!: string | null;

  /** The client's public keys (a JWK set, JSON). */
  @Column({ name: 'jwks', type: 'text', nullable: true, transformer: JSON_TEXT })
  jwks!: {
    /** The public keys (JWKs). */
    keys: object[];
  } | null;

  /** Where the client publishes its public keys. */
  @Column({ name: 'jwks_uri', type: 'text', nullable: true })
  jwksUri!: string | null;

  /** The algorithm of this client's ID tokens. */
  @Column({ name: 'id_token_signed_response_alg', type: 'varchar', length: 16, nullable: true })
  idTokenSignedResponseAlg!: string | null;

  /** A display name for the consent page. */
  @Column({ name: 'client_name', type: 'text', nullable: true })
  clientName!: string | null;

  /** When the client was registered, epoch seconds. */
  @Column({ name: 'created_at', type: 'bigint', transformer: BIGINT_NUMBER })
  createdAt!: number;
}
