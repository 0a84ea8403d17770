/**
 * The client options that can come from `ConfigService` as `{NAME}_{KEY}`,
 * by kind of value, and the name of such a config key.
 */

/** Options keys that can come from `ConfigService` as plain strings. */
export const STRING_KEYS = [
  'clientId',
  'clientSecret',
  'requestTokenUrl',
  'accessTokenUrl',
  'refreshTokenUrl',
  'authorizeUrl',
  'apiBaseUrl',
  'serverMetadataUrl',
  'redirectUri',
  'userinfoEndpoint',
] as const;

/** Options keys that hold objects (JSON when they come from `ConfigService`). */
export const JSON_KEYS = [
  'requestTokenParams',
  'accessTokenParams',
  'refreshTokenParams',
  'authorizeParams',
  'clientKwargs',
] as const;

/** Keys that must be absolute http(s) URLs. */
export const URL_KEYS = [
  'requestTokenUrl',
  'accessTokenUrl',
  'refreshTokenUrl',
  'authorizeUrl',
  'apiBaseUrl',
  'serverMetadataUrl',
] as const;

/** Keys whose value is a function: only from code. */
export const FUNCTION_KEYS = [
  'complianceFix',
  'fetchToken',
  'updateToken',
  'fetchRequestToken',
  'saveRequestToken',
  'profile',
  'fetch',
] as const;

/** Every key read from `ConfigService` for a client (in this order). */
export const CLIENT_CONFIG_KEYS: readonly string[] = [
  ...STRING_KEYS,
  ...JSON_KEYS,
  'allowedOrigins',
  'codeChallengeMethod',
  'timeout',
];

/**
 * The config key of a client option: `('github', 'clientId')` → `GITHUB_CLIENT_ID`.
 *
 * @param clientName - the client's name (`github`, `myApp`, `my-app`)
 * @param key - the camelCase option key
 * @returns the upper snake case key
 */
export function toConfigKey(clientName: string, key: string): string {
  return `${toUpperSnake(clientName)}_${toUpperSnake(key)}`;
}

function toUpperSnake(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}
