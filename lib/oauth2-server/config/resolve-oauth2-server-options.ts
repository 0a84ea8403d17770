/**
 * The authorization server module's options, resolved once at start-up:
 * keys checked (Flask-OAuthlib's snake_case mapped, unknown ones refused
 * naming the nearest), settings missing in code read from `ConfigService` as
 * `OAUTH2_PROVIDER_*`, every value checked. Each failure is an
 * `OAuthConfigError` naming the key and the fix.
 */
import type { ConfigReader } from '../../config/config-reader.js';
import { nearest } from '../../config/option-keys.js';
import { OAuthConfigError } from '../../errors/oauth-config.error.js';
import type {
  AuthorizationServerOptions,
  OAuth2ServerEndpointPaths,
  OAuth2ServerUser,
  ServerKeyInput,
} from '../../server/oauth2/index.js';
import type {
  OAuth2ServerModuleOptions,
  OAuth2ServerRoutes,
} from '../interfaces/oauth2-server-module-options.interface.js';
import { OAUTH2_PROVIDER_PREFIX } from '../oauth2-server.constants.js';
import {
  CODE_ONLY_SETTINGS,
  CONFIG_SETTINGS,
  ENDPOINT_KEYS,
  FUNCTION_KEYS,
  OAUTH2_PROVIDER_CONFIG_NAMES,
  OPTION_KEYS,
  ROUTE_KEYS,
  type ConfigSetting,
} from './oauth2-server-config-keys.js';
import { readConfigValue } from './read-config-value.js';

/** The options the module runs with. @internal */
export interface ResolvedOAuth2ServerOptions {
  /** The core's options, but the storage (resolved through Nest's injector). */
  server: Omit<AuthorizationServerOptions, 'storage'>;
  /** The storage as given. */
  storage: OAuth2ServerModuleOptions['storage'];
  /** The documents the module serves itself. */
  routes: Required<OAuth2ServerRoutes>;
  /** The signed-in user of a request, for a decision of `true`. */
  resourceOwner: NonNullable<OAuth2ServerModuleOptions['resourceOwner']>;
  /** Where each setting came from: the option key, or its config name. */
  sources: Readonly<Record<string, string>>;
}

const MODULE = 'OAuth2ServerModule';

/**
 * Resolves and checks the module options.
 *
 * @param given - the options as given (code, or the `forRootAsync` factory)
 * @param read - reads a config value (`ConfigService.get`), or nothing without `ConfigModule`
 * @param environment - where unknown `OAUTH2_PROVIDER_*` names are looked for (`process.env`)
 * @throws {OAuthConfigError} naming the key and the fix
 * @internal
 */
export function resolveOAuth2ServerOptions(
  given: unknown,
  read?: ConfigReader,
  environment: Readonly<Record<string, unknown>> = {},
): ResolvedOAuth2ServerOptions {
  if (!given || typeof given !== 'object' || Array.isArray(given)) {
    throw new OAuthConfigError(`${MODULE}: the options factory returned no options object`);
  }
  const options = normalizeKeys(given as Record<string, unknown>, OPTION_KEYS, 'options');
  for (const key of FUNCTION_KEYS) {
    if (options[key] !== undefined && typeof options[key] !== 'function') {
      throw new OAuthConfigError(`${MODULE}: ${key} must be a function`, key);
    }
  }
  if (options.storage === undefined || options.storage === null) {
    throw new OAuthConfigError(
      `${MODULE}: storage is missing: give an OAuth2ServerStorage (an instance, an @Injectable() class, or { useExisting: token })`,
      'storage',
    );
  }
  const endpoints = subObject(options, 'endpoints', ENDPOINT_KEYS);
  const routes = subObject(options, 'routes', ROUTE_KEYS);
  if (read) checkConfigNames(read, environment);

  const sources: Record<string, string> = {};
  const values: Record<string, unknown> = { ...options, endpoints: { ...endpoints } };
  for (const entry of CONFIG_SETTINGS) {
    const [head, sub] = entry.key.split('.') as [string, string | undefined];
    const holder = (sub ? values[head] : values) as Record<string, unknown>;
    const name = sub ?? head;
    let value = holder[name];
    let source = entry.key;
    if (value === undefined && read) {
      const configured = read(entry.name);
      if (configured !== undefined && configured !== null && configured !== '') {
        value = configured;
        source = entry.name;
      }
    }
    if (value === undefined) continue;
    holder[name] = readConfigValue(entry.kind, value, describe(entry, source));
    sources[entry.key] = source;
  }
  if (typeof values.issuer !== 'string') {
    throw new OAuthConfigError(
      `${MODULE}: issuer is missing: set issuer or ${OAUTH2_PROVIDER_PREFIX}ISSUER (https://auth.example.com)`,
      'issuer',
    );
  }
  for (const key of ['scopesSupported', 'claimsSupported', 'responseTypesSupported'] as const) {
    if (values[key] !== undefined && !isStringList(values[key])) {
      throw new OAuthConfigError(`${MODULE}: ${key} must be a list of strings`, key);
    }
  }
  const {
    storage,
    routes: _routes,
    resourceOwner = defaultResourceOwner,
    ...server
  } = values as unknown as OAuth2ServerModuleOptions;
  return {
    server: { ...server, issuer: values.issuer, keys: values.keys as ServerKeyInput[] | undefined },
    storage,
    resourceOwner,
    routes: {
      metadata: routes.metadata !== false,
      jwks: routes.jwks !== false,
      userinfo: routes.userinfo !== false,
    },
    sources,
  };
}

/** `request.user` when it is a user with a `sub` (as a passport strategy may set it). */
function defaultResourceOwner(request: any): OAuth2ServerUser | undefined {
  const user = request?.user;
  return user && typeof user === 'object' && typeof user.sub === 'string' && user.sub !== ''
    ? (user as OAuth2ServerUser)
    : undefined;
}

/** How an error names a setting: its config name, or the option key in code. */
function describe(entry: ConfigSetting, source: string): string {
  return source === entry.name ? entry.name : entry.key;
}

/** `error_uri` → `errorUri`; unknown keys refused naming the nearest known one. */
function normalizeKeys(
  given: Record<string, unknown>,
  known: Readonly<Record<string, unknown>>,
  where: string,
): Record<string, any> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    const name = key.includes('_')
      ? key.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
      : key;
    const path = where === 'options' ? key : `${where}.${key}`;
    if (!Object.hasOwn(known, name)) {
      throw new OAuthConfigError(
        `${MODULE}: unknown option ${path}: ${nearest(key, Object.keys(known))}`,
        path,
      );
    }
    if (Object.hasOwn(out, name)) {
      throw new OAuthConfigError(
        `${MODULE}: ${where} sets ${name} twice (as ${name} and in snake_case): keep one`,
        path,
      );
    }
    out[name] = value;
  }
  return out;
}

/** `endpoints` / `routes`: an object with known keys only. */
function subObject(
  options: Record<string, unknown>,
  key: 'endpoints' | 'routes',
  keys: readonly string[],
): Record<string, any> {
  const value = options[key];
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new OAuthConfigError(`${MODULE}: ${key} must be an object`, key);
  }
  const known = Object.fromEntries(keys.map((k) => [k, true]));
  const out = normalizeKeys(value as Record<string, unknown>, known, key);
  for (const [name, v] of Object.entries(out)) {
    const ok =
      key === 'routes'
        ? typeof v === 'boolean'
        : v === false || (typeof v === 'string' && v !== '') || v === undefined;
    if (!ok) {
      throw new OAuthConfigError(
        key === 'routes'
          ? `${MODULE}: routes.${name} must be true or false`
          : `${MODULE}: endpoints.${name} must be a path under the issuer ('/${name}'), an absolute URL, or false`,
        `${key}.${name}`,
      );
    }
    if (key === 'endpoints' && (name === 'authorization' || name === 'token') && v === false) {
      throw new OAuthConfigError(
        `${MODULE}: endpoints.${name} cannot be turned off: every authorization server has one`,
        `${key}.${name}`,
      );
    }
  }
  return out as OAuth2ServerEndpointPaths;
}

/**
 * Refuses `OAUTH2_PROVIDER_*` names the module does not read (a typo would
 * otherwise be ignored), and the seed's names whose value must be code here.
 */
function checkConfigNames(read: ConfigReader, environment: Readonly<Record<string, unknown>>) {
  for (const [name, hint] of Object.entries(CODE_ONLY_SETTINGS)) {
    const value = read(name) ?? environment[name];
    if (value !== undefined && value !== null && value !== '') {
      throw new OAuthConfigError(`${MODULE}: ${name} cannot be used: ${hint}`, name);
    }
  }
  for (const name of Object.keys(environment)) {
    if (!name.startsWith(OAUTH2_PROVIDER_PREFIX) || OAUTH2_PROVIDER_CONFIG_NAMES.includes(name)) {
      continue;
    }
    throw new OAuthConfigError(
      `${MODULE}: unknown setting ${name}: ${nearest(name, [...OAUTH2_PROVIDER_CONFIG_NAMES])}`,
      name,
    );
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '');
}
