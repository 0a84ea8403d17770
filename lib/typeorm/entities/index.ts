import { OAuth2CacheEntryEntity } from './oauth2-cache-entry.entity.js';
import { OAuth2ClientEntity } from './oauth2-client.entity.js';
import { OAuth2GrantEntity } from './oauth2-grant.entity.js';
import { OAuth2TokenEntity } from './oauth2-token.entity.js';

export { OAuth2CacheEntryEntity, OAuth2ClientEntity, OAuth2GrantEntity, OAuth2TokenEntity };

/**
 * Every entity of the authorization server's tables: add them to your
 * `DataSource`'s `entities` (or to `TypeOrmModule.forFeature(...)` with
 * `autoLoadEntities`), and generate a migration from them for production.
 */
export const OAUTH2_SERVER_ENTITIES = [
  OAuth2ClientEntity,
  OAuth2GrantEntity,
  OAuth2TokenEntity,
  OAuth2CacheEntryEntity,
] as const;
