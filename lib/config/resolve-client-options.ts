/**
 * Pure start-up logic: fills each client's options in from `ConfigService`
 * (`{NAME}_{KEY}`), validates them, and fails with a message that names the fix.
 */
import { DEFAULT_COOKIE_NAME, DEFAULT_STATE_TTL, OAUTH_SECRET_ENV } from '../oauth.constants.js';
import type { OAuthClientOptions } from '../interfaces/oauth-client-options.interface.js';
import type { OAuthModuleOptions } from '../interfaces/oauth-module-options.interface.js';

/** Reads one config value (`ConfigService.get`); `undefined` when unset. */
export type ConfigReader = (key: string) => unknown;

/** A start-up configuration error; `key` is the option or config key to fix. */
export class OAuthConfigError extends Error {
  /** Always `'OAUTH_CONFIG'`. */
  readonly code = 'OAUTH_CONFIG';
  /** The key at fault, as the user would write it (`GITHUB_CLIENT_ID`, `clients.github.clientId`). */
  readonly key?: string;

  constructor(message: string, key?: string) {
    super(message);
    this.name = new.target.name;
    if (key !== undefined) this.key = key;
  }
}

/** Options keys that can come from `ConfigService` as plain strings. */
const STRING_KEYS = [
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
const JSON_KEYS = [
  'requestTokenParams',
  'accessTokenParams',
  'refreshTokenParams',
  'authorizeParams',
  'clientKwargs',
] as const;

/** Keys that must be absolute http(s) URLs. */
const URL_KEYS = [
  'requestTokenUrl',
  'accessTokenUrl',
  'refreshTokenUrl',
  'authorizeUrl',
  'apiBaseUrl',
  'serverMetadataUrl',
] as const;

/** Keys whose value is a function: only from code. */
const FUNCTION_KEYS = [
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
  'codeChallengeMethod',
  'timeout',
];

/** Client options after resolution; `kind` tells OAuth 1 from OAuth 2. */
export type ResolvedClientOptions = OAuthClientOptions & {
  /** The client's name. */
  name: string;
  /** `'oauth1'` when `requestTokenUrl` is set, else `'oauth2'`. */
  kind: 'oauth1' | 'oauth2';
  /** The client identifier, from code or config (always present after resolution). */
  clientId: string;
};

/** Module-level settings after resolution. */
export interface ResolvedModuleSettings {
  /** Secrets for the state cookie (first encrypts); `undefined` when none is configured. */
  secrets?: string[];
  /** State lifetime in seconds. */
  stateTtl: number;
  /** Cookie name prefix. */
  cookieName: string;
  /** Per-request timeout (ms), if set. */
  timeout?: number;
}

const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const COOKIE_NAME = /^[A-Za-z0-9_-]{1,32}$/;

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

/**
 * Checks a client name: letters, digits, `_` and `-`, at most 64 characters
 * (names end up in cookie names and config keys).
 *
 * @throws {OAuthConfigError} when the name is not acceptable
 */
export function assertClientName(name: string): void {
  if (typeof name !== 'string' || !CLIENT_NAME.test(name)) {
    throw new OAuthConfigError(
      `OAuth client name ${JSON.stringify(String(name)).slice(0, 80)} is invalid: use letters, digits, "_" and "-" (at most 64)`,
    );
  }
}

/**
 * Resolves one client's options: every key left out in `code` is read from
 * `read` as `{NAME}_{KEY}` (JSON for the object keys); with `overwrite: true`
 * the config values win. Then validates the result.
 *
 * @param name - the client's name
 * @param code - the options given in code (may be empty)
 * @param read - reads a config key, usually `ConfigService.get`
 * @returns the options, with `kind` and `name`
 * @throws {OAuthConfigError} naming the client and the key when a required key
 *   is missing or a value is malformed
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-2.2
 */
export function resolveClientOptions(
  name: string,
  code: OAuthClientOptions | undefined,
  read: ConfigReader = () => undefined,
): ResolvedClientOptions {
  assertClientName(name);
  if (code !== undefined && (code === null || typeof code !== 'object' || Array.isArray(code))) {
    throw new OAuthConfigError(
      `OAuth client "${name}": clients.${name} must be an object`,
      `clients.${name}`,
    );
  }
  const given: Record<string, unknown> = { ...(code ?? {}) };
  const overwrite = given.overwrite === true;
  const out: Record<string, unknown> = { ...given };

  for (const key of CLIENT_CONFIG_KEYS) {
    const configKey = toConfigKey(name, key);
    const codeValue = given[key];
    const hasCode = codeValue !== undefined && codeValue !== null && codeValue !== '';
    if (hasCode && !overwrite) {
      out[key] = checkCodeValue(name, key, codeValue);
      continue;
    }
    const raw = read(configKey);
    const hasConfig = raw !== undefined && raw !== null && raw !== '';
    if (hasConfig) out[key] = parseConfigValue(name, key, configKey, raw);
    else if (hasCode) out[key] = checkCodeValue(name, key, codeValue);
    else delete out[key];
  }
  for (const key of FUNCTION_KEYS) {
    if (out[key] !== undefined && typeof out[key] !== 'function') {
      throw new OAuthConfigError(
        `OAuth client "${name}": clients.${name}.${key} must be a function`,
        `clients.${name}.${key}`,
      );
    }
  }

  const kind = out.requestTokenUrl ? 'oauth1' : 'oauth2';
  requireKey(name, out, 'clientId');
  if (kind === 'oauth1') {
    requireKey(name, out, 'accessTokenUrl');
    requireKey(name, out, 'authorizeUrl');
  } else if (!out.serverMetadataUrl) {
    requireKey(name, out, 'accessTokenUrl', 'serverMetadataUrl');
    requireKey(name, out, 'authorizeUrl', 'serverMetadataUrl');
  }
  if (
    typeof out.userinfoEndpoint === 'string' &&
    !isHttpUrl(out.userinfoEndpoint) &&
    !out.apiBaseUrl
  ) {
    throw new OAuthConfigError(
      `OAuth client "${name}": userinfoEndpoint is relative, so apiBaseUrl is required: set clients.${name}.apiBaseUrl or ${toConfigKey(name, 'apiBaseUrl')}`,
      toConfigKey(name, 'apiBaseUrl'),
    );
  }
  return { ...(out as OAuthClientOptions), name, kind, clientId: out.clientId as string };
}

/**
 * Resolves the module-level settings (`secret` or `OAUTH_SECRET`, `stateTtl`,
 * `cookieName`, `timeout`) and validates them.
 *
 * @throws {OAuthConfigError} when a value is malformed
 */
export function resolveModuleSettings(
  options: OAuthModuleOptions,
  read: ConfigReader = () => undefined,
): ResolvedModuleSettings {
  let secret: unknown = options.secret;
  let secretKey = 'secret';
  if (secret === undefined || secret === null || secret === '') {
    secret = read(OAUTH_SECRET_ENV);
    secretKey = OAUTH_SECRET_ENV;
  }
  let secrets: string[] | undefined;
  if (secret !== undefined && secret !== null && secret !== '') {
    const list = Array.isArray(secret) ? secret : [secret];
    if (list.length === 0 || list.some((s) => typeof s !== 'string' || s.length === 0)) {
      throw new OAuthConfigError(
        `OAuth module: ${secretKey} must be a non-empty string or list of strings`,
        secretKey,
      );
    }
    secrets = list as string[];
  }
  const stateTtl = options.stateTtl ?? DEFAULT_STATE_TTL;
  if (typeof stateTtl !== 'number' || !Number.isFinite(stateTtl) || stateTtl <= 0) {
    throw new OAuthConfigError(
      'OAuth module: stateTtl must be a positive number of seconds',
      'stateTtl',
    );
  }
  const cookieName = options.cookieName ?? DEFAULT_COOKIE_NAME;
  if (typeof cookieName !== 'string' || !COOKIE_NAME.test(cookieName)) {
    throw new OAuthConfigError(
      'OAuth module: cookieName must be 1 to 32 letters, digits, "_" or "-"',
      'cookieName',
    );
  }
  if (
    options.timeout !== undefined &&
    !(typeof options.timeout === 'number' && options.timeout > 0)
  ) {
    throw new OAuthConfigError(
      'OAuth module: timeout must be a positive number of milliseconds',
      'timeout',
    );
  }
  if (
    options.clients !== undefined &&
    (options.clients === null || typeof options.clients !== 'object')
  ) {
    throw new OAuthConfigError('OAuth module: clients must be an object', 'clients');
  }
  return { secrets, stateTtl, cookieName, timeout: options.timeout };
}

function checkCodeValue(name: string, key: string, value: unknown): unknown {
  const where = `clients.${name}.${key}`;
  return checkValue(name, key, where, value);
}

function parseConfigValue(name: string, key: string, configKey: string, raw: unknown): unknown {
  if ((JSON_KEYS as readonly string[]).includes(key) && typeof raw === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new OAuthConfigError(
        `OAuth client "${name}": ${configKey} is not valid JSON`,
        configKey,
      );
    }
    return checkValue(name, key, configKey, parsed);
  }
  if (key === 'timeout' && typeof raw === 'string')
    return checkValue(name, key, configKey, Number(raw));
  if (key === 'codeChallengeMethod' && typeof raw === 'string') {
    const lower = raw.trim().toLowerCase();
    return checkValue(
      name,
      key,
      configKey,
      lower === 'false' || lower === 'none' ? false : raw.trim(),
    );
  }
  return checkValue(name, key, configKey, typeof raw === 'string' ? raw.trim() : raw);
}

function checkValue(name: string, key: string, where: string, value: unknown): unknown {
  const fail = (what: string): never => {
    throw new OAuthConfigError(`OAuth client "${name}": ${where} ${what}`, where);
  };
  if ((JSON_KEYS as readonly string[]).includes(key)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      fail('must be a JSON object');
    return value;
  }
  if (key === 'timeout') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      fail('must be a positive number of milliseconds');
    }
    return value;
  }
  if (key === 'codeChallengeMethod') {
    if (value !== 'S256' && value !== 'plain' && value !== false)
      fail('must be "S256", "plain" or false');
    return value;
  }
  if (typeof value !== 'string') return fail('must be a string');
  if ((URL_KEYS as readonly string[]).includes(key) && !isHttpUrl(value)) {
    fail('is not a valid http(s) URL');
  }
  if (
    key === 'redirectUri' &&
    !isHttpUrl(value) &&
    !(value.startsWith('/') && !value.startsWith('//'))
  ) {
    fail('must be an absolute http(s) URL or a path starting with "/"');
  }
  if (key === 'userinfoEndpoint' && /^[a-z][a-z0-9+.-]*:/i.test(value) && !isHttpUrl(value)) {
    fail('is not a valid http(s) URL');
  }
  return value;
}

function requireKey(
  name: string,
  out: Record<string, unknown>,
  key: string,
  alternative?: string,
): void {
  if (out[key] !== undefined && out[key] !== '') return;
  const configKey = toConfigKey(name, key);
  let message = `OAuth client "${name}" is missing ${key}: set clients.${name}.${key} or ${configKey}`;
  if (alternative) {
    message += `, or ${alternative} (clients.${name}.${alternative} or ${toConfigKey(name, alternative)})`;
  }
  throw new OAuthConfigError(message, configKey);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function toUpperSnake(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}
