import { DEFAULT_COOKIE_NAME, DEFAULT_STATE_TTL, OAUTH_SECRET_ENV } from '../oauth.constants.js';
import { OAuthConfigError } from '../errors/oauth-config.error.js';
import type { OAuthModuleOptions } from '../interfaces/oauth-module-options.interface.js';
import type { ConfigReader } from './config-reader.js';
import { assertStrongSecret } from './secret-strength.js';

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

const COOKIE_NAME = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Resolves the module-level settings (`secret` or `OAUTH_SECRET`, `stateTtl`,
 * `cookieName`, `timeout`) and validates them: a secret must be strong.
 *
 * @param options - the module options
 * @param read - reads a config key, usually `ConfigService.get`
 * @throws {OAuthConfigError} when a value is malformed or the secret is weak
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
    list.forEach((s: string, i) =>
      assertStrongSecret(s, list.length > 1 ? `${secretKey}[${i}]` : secretKey),
    );
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
  for (const key of ['fetchToken', 'updateToken', 'authorizeParams', 'fetch'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') {
      throw new OAuthConfigError(`OAuth module: ${key} must be a function`, key);
    }
  }
  return { secrets, stateTtl, cookieName, timeout: options.timeout };
}
