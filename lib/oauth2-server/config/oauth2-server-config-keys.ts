/**
 * The settings of the authorization server module that can come from
 * `ConfigService`, by name (`OAUTH2_PROVIDER_*`, the seed's prefix) and kind
 * of value, and the option keys that exist at all.
 */
import type { OAuth2ServerModuleOptions } from '../interfaces/oauth2-server-module-options.interface.js';
import { OAUTH2_PROVIDER_PREFIX } from '../oauth2-server.constants.js';

/** How a config value is read. */
export type ConfigValueKind =
  | 'url'
  | 'page'
  | 'keys'
  | 'seconds'
  | 'nonNegativeSeconds'
  | 'list'
  | 'boolean'
  | 'jwtBearer'
  | 'requirePkce'
  | 'endpoint';

/** An option that can come from `ConfigService`. */
export interface ConfigSetting {
  /** The option key (camelCase). */
  key: string;
  /** The config name (`OAUTH2_PROVIDER_TOKEN_EXPIRES_IN`). */
  name: string;
  /** How the value is read. */
  kind: ConfigValueKind;
}

const setting = (key: string, kind: ConfigValueKind, name = toConfigName(key)) => ({
  key,
  name,
  kind,
});

/** Every option read from `ConfigService`, in this order. */
export const CONFIG_SETTINGS: readonly ConfigSetting[] = [
  setting('issuer', 'url'),
  setting('keys', 'keys'),
  setting('errorUri', 'page'),
  setting('tokenExpiresIn', 'seconds'),
  setting('refreshTokenExpiresIn', 'seconds'),
  setting('codeExpiresIn', 'seconds'),
  setting('idTokenExpiresIn', 'seconds'),
  setting('maxAssertionLifetime', 'seconds'),
  setting('clockTolerance', 'nonNegativeSeconds'),
  setting('scopesSupported', 'list'),
  setting('claimsSupported', 'list'),
  setting('responseTypesSupported', 'list'),
  setting('requirePkce', 'requirePkce'),
  setting('allowPlainPkce', 'boolean'),
  setting('jwtBearer', 'jwtBearer'),
  // The endpoints, named as in the RFC 8414 metadata (`token_endpoint`, ...).
  setting('endpoints.authorization', 'endpoint', `${OAUTH2_PROVIDER_PREFIX}AUTHORIZATION_ENDPOINT`),
  setting('endpoints.token', 'endpoint', `${OAUTH2_PROVIDER_PREFIX}TOKEN_ENDPOINT`),
  setting('endpoints.revocation', 'endpoint', `${OAUTH2_PROVIDER_PREFIX}REVOCATION_ENDPOINT`),
  setting('endpoints.introspection', 'endpoint', `${OAUTH2_PROVIDER_PREFIX}INTROSPECTION_ENDPOINT`),
  setting('endpoints.userinfo', 'endpoint', `${OAUTH2_PROVIDER_PREFIX}USERINFO_ENDPOINT`),
  setting('endpoints.jwks', 'endpoint', `${OAUTH2_PROVIDER_PREFIX}JWKS_URI`),
];

/**
 * Names of the seed (Flask-OAuthlib) whose value here must be code, with
 * what to do instead: a config value under one of them fails at start-up.
 */
export const CODE_ONLY_SETTINGS: Readonly<Record<string, string>> = {
  [`${OAUTH2_PROVIDER_PREFIX}TOKEN_GENERATOR`]: 'it names a function: set tokenGenerator in code',
  [`${OAUTH2_PROVIDER_PREFIX}REFRESH_TOKEN_GENERATOR`]:
    'it names a function: set refreshTokenGenerator in code',
  [`${OAUTH2_PROVIDER_PREFIX}ERROR_ENDPOINT`]: `Flask endpoint names have no equivalent here: set ${OAUTH2_PROVIDER_PREFIX}ERROR_URI to the page's URL`,
};

/** Every module option (exhaustive: a key added to the interface must be added here). */
export const OPTION_KEYS: Record<keyof OAuth2ServerModuleOptions, true> = {
  issuer: true,
  storage: true,
  keys: true,
  endpoints: true,
  routes: true,
  resourceOwner: true,
  tokenExpiresIn: true,
  refreshTokenExpiresIn: true,
  codeExpiresIn: true,
  idTokenExpiresIn: true,
  tokenGenerator: true,
  refreshTokenGenerator: true,
  errorUri: true,
  scopesSupported: true,
  claimsSupported: true,
  responseTypesSupported: true,
  requirePkce: true,
  allowPlainPkce: true,
  grantCache: true,
  replayCache: true,
  jwtBearer: true,
  maxAssertionLifetime: true,
  clockTolerance: true,
  http: true,
  now: true,
  beforeRequest: true,
  afterRequest: true,
  invalidResponse: true,
};

/** Options that must be functions when given. */
export const FUNCTION_KEYS = [
  'resourceOwner',
  'tokenGenerator',
  'refreshTokenGenerator',
  'beforeRequest',
  'afterRequest',
  'invalidResponse',
  'now',
] as const;

/** Keys of `endpoints` and `routes`. */
export const ENDPOINT_KEYS = [
  'authorization',
  'token',
  'revocation',
  'introspection',
  'userinfo',
  'jwks',
] as const;
/** Keys of `routes`. */
export const ROUTE_KEYS = ['metadata', 'jwks', 'userinfo'] as const;

/** Every `OAUTH2_PROVIDER_*` name the module knows (read, or refused with a hint). */
export const OAUTH2_PROVIDER_CONFIG_NAMES: readonly string[] = Object.freeze([
  ...CONFIG_SETTINGS.map((s) => s.name),
  ...Object.keys(CODE_ONLY_SETTINGS),
]);

/** `tokenExpiresIn` → `OAUTH2_PROVIDER_TOKEN_EXPIRES_IN`. */
function toConfigName(key: string): string {
  return OAUTH2_PROVIDER_PREFIX + key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
