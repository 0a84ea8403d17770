/**
 * The resource options that can come from `ConfigService`, and their names:
 * `OAUTH_RESOURCE_` followed by the option's path in upper snake case, as
 * the clients' `{NAME}_{KEY}` (`issuer` → `OAUTH_RESOURCE_ISSUER`,
 * `introspection.clientId` → `OAUTH_RESOURCE_INTROSPECTION_CLIENT_ID`).
 */
import { toConfigKey } from '../../config/config-keys.js';
import { OAUTH_RESOURCE_CONFIG_PREFIX } from '../resource-server.constants.js';

/** Every option path read from `ConfigService` (in this order). */
export const RESOURCE_CONFIG_KEYS = [
  'issuer',
  'serverMetadataUrl',
  'audience',
  'realm',
  'timeout',
  'introspection.clientId',
  'introspection.clientSecret',
] as const;

/**
 * The config key of a resource option path: `serverMetadataUrl` →
 * `OAUTH_RESOURCE_SERVER_METADATA_URL`.
 *
 * @param path - the option path (`issuer`, `introspection.clientId`)
 */
export function resourceConfigKey(path: string): string {
  return toConfigKey(OAUTH_RESOURCE_CONFIG_PREFIX, path.replace('.', '_'));
}
