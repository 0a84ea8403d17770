/**
 * The OAuth 1 provider module's options, resolved once at start-up: keys
 * checked (Flask-OAuthlib's snake_case mapped, unknown ones refused naming
 * the nearest), settings read from `ConfigService` as `OAUTH1_PROVIDER_*`
 * and validated by the core, the public origin checked against
 * `enforceSsl`. Every failure is an `OAuthConfigError` naming the key.
 */
import type { ConfigReader } from '../../config/config-reader.js';
import { nearest } from '../../config/option-keys.js';
import { OAuthConfigError } from '../../errors/oauth-config.error.js';
import {
  OAUTH1_PROVIDER_CONFIG_KEYS,
  resolveOAuth1ServerSettings,
  type OAuth1ServerSettings,
  type ResolvedOAuth1ServerSettings,
} from '../../server/oauth1/oauth1-server-settings.js';
import type { OAuth1ServerModuleOptions } from '../interfaces/oauth1-server-module-options.interface.js';
import { OAUTH1_PROVIDER_ORIGIN_KEY } from '../oauth1-server.constants.js';

/** Every module option (exhaustive: a key added to the interface must be added here). */
const OPTION_KEYS: Record<keyof OAuth1ServerModuleOptions, true> = {
  storage: true,
  origin: true,
  resourceOwner: true,
  now: true,
  generateToken: true,
  beforeRequest: true,
  afterRequest: true,
  invalidResponse: true,
  signatureMethods: true,
  enforceSsl: true,
  errorUri: true,
  realms: true,
  timestampWindow: true,
  tokenLength: true,
  verifierLength: true,
  requestTokenLifetime: true,
  hashTokens: true,
  keyLength: true,
};

/** Options that must be functions when given. */
const FUNCTION_OPTIONS = [
  'resourceOwner',
  'now',
  'generateToken',
  'beforeRequest',
  'afterRequest',
  'invalidResponse',
] as const;

/** Flask-OAuthlib configuration names without an equivalent here, and what to do instead. */
const FLASK_ONLY: Record<string, string> = {
  OAUTH1_PROVIDER_ERROR_ENDPOINT: `it has no equivalent here: set ${OAUTH1_PROVIDER_CONFIG_KEYS.errorUri}`,
};

/** Every `OAUTH1_PROVIDER_*` name the module reads. */
export const OAUTH1_SERVER_CONFIG_NAMES: readonly string[] = Object.freeze([
  ...Object.values(OAUTH1_PROVIDER_CONFIG_KEYS),
  OAUTH1_PROVIDER_ORIGIN_KEY,
]);

/** The options the module runs with. @internal */
export interface ResolvedOAuth1ServerOptions<U> {
  /** The options with camelCase keys. */
  options: OAuth1ServerModuleOptions<U>;
  /** The provider settings, validated, defaults filled in. */
  settings: ResolvedOAuth1ServerSettings;
  /** The public origin, when configured. */
  origin?: string;
}

/**
 * Resolves and checks the module options.
 *
 * @param given - the options as given (code or the `forRootAsync` factory)
 * @param read - reads a config value (`ConfigService.get`), or nothing without `ConfigModule`
 * @param environment - the names to check for unknown `OAUTH1_PROVIDER_*` settings (`process.env`)
 * @returns the options, the settings and the origin
 * @throws {OAuthConfigError} naming the key and the fix
 * @internal
 */
export function resolveOAuth1ServerOptions<U>(
  given: unknown,
  read: ConfigReader | undefined,
  environment: Readonly<Record<string, unknown>> = {},
): ResolvedOAuth1ServerOptions<U> {
  if (!given || typeof given !== 'object' || Array.isArray(given)) {
    throw new OAuthConfigError(
      'OAuth1ServerModule: the options factory returned no options object',
    );
  }
  const options = normalizeKeys(given as Record<string, unknown>) as OAuth1ServerModuleOptions<U>;
  for (const name of FUNCTION_OPTIONS) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new OAuthConfigError(`OAuth1ServerModule: ${name} must be a function`, name);
    }
  }
  if (read) checkConfigNames(environment);
  const settings = resolveSettings(options, read);
  const origin = resolveOrigin(options.origin, read);
  if (origin?.startsWith('http:') && settings.enforceSsl) {
    throw new OAuthConfigError(
      `OAuth1ServerModule: origin ${origin} is http: while enforceSsl is on, so every request would be refused: ` +
        `set origin (or ${OAUTH1_PROVIDER_ORIGIN_KEY}) to the https origin clients use, ` +
        `or turn enforceSsl (${OAUTH1_PROVIDER_CONFIG_KEYS.enforceSsl}) off for local development only`,
      options.origin !== undefined ? 'origin' : OAUTH1_PROVIDER_ORIGIN_KEY,
    );
  }
  return origin === undefined ? { options, settings } : { options, settings, origin };
}

function normalizeKeys(given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    const name = key.includes('_')
      ? key.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
      : key;
    if (!Object.hasOwn(OPTION_KEYS, name)) {
      throw new OAuthConfigError(
        `OAuth1ServerModule: unknown option ${key}: ${nearest(key, Object.keys(OPTION_KEYS))}`,
        key,
      );
    }
    if (Object.hasOwn(out, name)) {
      throw new OAuthConfigError(
        `OAuth1ServerModule: ${name} is set twice (as ${name} and in snake_case): keep one`,
        key,
      );
    }
    out[name] = value;
  }
  return out;
}

/** Refuses an `OAUTH1_PROVIDER_*` name the module does not read (a typo would be ignored). */
function checkConfigNames(environment: Readonly<Record<string, unknown>>): void {
  for (const name of Object.keys(environment)) {
    if (!name.startsWith('OAUTH1_PROVIDER_') || OAUTH1_SERVER_CONFIG_NAMES.includes(name)) {
      continue;
    }
    const hint = FLASK_ONLY[name] ?? nearest(name, [...OAUTH1_SERVER_CONFIG_NAMES]);
    throw new OAuthConfigError(`OAuth1ServerModule: unknown setting ${name}: ${hint}`, name);
  }
}

/** The core's settings, its `TypeError` turned into an `OAuthConfigError` naming where the value came from. */
function resolveSettings<U>(
  options: OAuth1ServerModuleOptions<U>,
  read: ConfigReader | undefined,
): ResolvedOAuth1ServerSettings {
  try {
    return resolveOAuth1ServerSettings(options, read);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    const names = Object.keys(OAUTH1_PROVIDER_CONFIG_KEYS) as Array<keyof OAuth1ServerSettings>;
    const name = names.find((n) => err.message.startsWith(`OAuth 1 provider setting ${n} `));
    const key =
      name === undefined
        ? undefined
        : options[name] !== undefined
          ? name
          : OAUTH1_PROVIDER_CONFIG_KEYS[name];
    throw new OAuthConfigError(`OAuth1ServerModule: ${err.message}`, key);
  }
}

function resolveOrigin(code: unknown, read: ConfigReader | undefined): string | undefined {
  const fromCode = code !== undefined && code !== null && code !== '';
  const value = fromCode ? code : read?.(OAUTH1_PROVIDER_ORIGIN_KEY);
  if (value === undefined || value === null || value === '') return undefined;
  const key = fromCode ? 'origin' : OAUTH1_PROVIDER_ORIGIN_KEY;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value.trim()) : undefined;
  } catch {
    url = undefined;
  }
  const bare =
    url &&
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    !url.username &&
    !url.password &&
    url.pathname === '/' &&
    !url.search &&
    !url.hash;
  if (!bare) {
    throw new OAuthConfigError(
      `OAuth1ServerModule: ${key} must be an origin such as https://photos.example.net (scheme, host and port; no path)`,
      key,
    );
  }
  return url!.origin;
}
