// The TypeORM integration: `nestjs-oauth/typeorm` (typeorm and @nestjs/typeorm are optional peer dependencies).
export type { ClientSecretKey } from './client-secret-cipher.js';
export type { OAuth2ClientRegistration, RegisteredOAuth2Client } from './client-registration.js';
export {
  OAUTH2_SERVER_ENTITIES,
  OAuth2CacheEntryEntity,
  OAuth2ClientEntity,
  OAuth2GrantEntity,
  OAuth2TokenEntity,
} from './entities/index.js';
export {
  TypeOrmOAuth2ServerCache,
  type TypeOrmOAuth2ServerCacheOptions,
} from './typeorm-oauth2-server-cache.js';
export { TypeOrmOAuth2ServerStorage, type PurgeResult } from './typeorm-oauth2-server-storage.js';
export {
  OAUTH_TYPEORM_STORAGE_OPTIONS,
  type TypeOrmOAuth2ServerStorageOptions,
} from './typeorm-storage-options.js';
