/**
 * Fills each client's options in from `ConfigService` (`{NAME}_{KEY}`),
 * validates them, and fails with a message that names the fix.
 */
import { OAuthConfigError } from '../errors/oauth-config.error.js';
import type { OAuthClientOptions } from '../interfaces/oauth-client-options.interface.js';
import type { ConfigReader } from './config-reader.js';
import {
  CLIENT_CONFIG_KEYS,
  FUNCTION_KEYS,
  JSON_KEYS,
  URL_KEYS,
  toConfigKey,
} from './config-keys.js';
import { normalizeClientKeys, normalizeClientKwargs } from './option-keys.js';

/** Client options after resolution; `kind` tells OAuth 1 from OAuth 2. */
export type ResolvedClientOptions = OAuthClientOptions & {
  /** The client's name. */
  name: string;
  /** `'oauth1'` when `requestTokenUrl` is set, else `'oauth2'`. */
  kind: 'oauth1' | 'oauth2';
  /** The client identifier, from code or config (always present after resolution). */
  clientId: string;
};

const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

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
 * Resolves one client's options: keys in Authlib's snake_case are mapped to
 * camelCase and unknown keys refused; every key left out in `code` is read
 * from `read` as `{NAME}_{KEY}` (JSON for the object keys); with
 * `overwrite: true` the config values win. Then validates the result.
 *
 * @param name - the client's name
 * @param code - the options given in code (may be empty)
 * @param read - reads a config key, usually `ConfigService.get`
 * @returns the options, with `kind` and `name`
 * @throws {OAuthConfigError} naming the client and the key when a required key
 *   is missing, a value is malformed, or a key is unknown
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
  const given = normalizeClientKeys(code ?? {}, name) as Record<string, unknown>;
  const overwrite = given.overwrite === true;
  const out: Record<string, unknown> = { ...given };
  const sources: Record<string, string> = {};

  for (const key of CLIENT_CONFIG_KEYS) {
    const configKey = toConfigKey(name, key);
    const codeValue = given[key];
    const hasCode = codeValue !== undefined && codeValue !== null && codeValue !== '';
    const raw = hasCode && !overwrite ? undefined : read(configKey);
    const hasConfig = raw !== undefined && raw !== null && raw !== '';
    if (hasConfig) {
      out[key] = parseConfigValue(name, key, configKey, raw);
      sources[key] = configKey;
    } else if (hasCode) {
      out[key] = checkValue(name, key, `clients.${name}.${key}`, codeValue);
      sources[key] = `clients.${name}.${key}`;
    } else delete out[key];
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
  if (out.clientKwargs) {
    out.clientKwargs = normalizeClientKwargs(
      out.clientKwargs as Record<string, unknown>,
      kind,
      sources.clientKwargs,
      name,
    );
  }
  if (kind === 'oauth1' && out.accessTokenParams) {
    const oauthKey = Object.keys(out.accessTokenParams).find((k) => k.startsWith('oauth_'));
    if (oauthKey) {
      throw new OAuthConfigError(
        `OAuth client "${name}": ${sources.accessTokenParams} cannot set ${oauthKey} (the protocol parameters are the library's)`,
        sources.accessTokenParams,
      );
    }
  }
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

function parseConfigValue(name: string, key: string, configKey: string, raw: unknown): unknown {
  if (typeof raw !== 'string') return checkValue(name, key, configKey, raw);
  const text = raw.trim();
  if (
    (JSON_KEYS as readonly string[]).includes(key) ||
    (key === 'allowedOrigins' && text.startsWith('['))
  ) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new OAuthConfigError(
        `OAuth client "${name}": ${configKey} is not valid JSON`,
        configKey,
      );
    }
    return checkValue(name, key, configKey, parsed);
  }
  if (key === 'allowedOrigins')
    return checkValue(name, key, configKey, text.split(/[\s,]+/).filter(Boolean));
  if (key === 'timeout') return checkValue(name, key, configKey, Number(text));
  if (key === 'codeChallengeMethod') {
    const lower = text.toLowerCase();
    return checkValue(name, key, configKey, lower === 'false' || lower === 'none' ? false : text);
  }
  return checkValue(name, key, configKey, text);
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
  if (key === 'allowedOrigins') {
    if (!Array.isArray(value)) return fail('must be a list of origins');
    return value.map((origin) => {
      if (typeof origin !== 'string' || !isHttpUrl(origin)) fail('must hold http(s) origins');
      return new URL(origin).origin;
    });
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
  if (key === 'redirectUri' && !isRedirectUri(value)) {
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

/** Whether `value` is an absolute http(s) URL with a host. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Whether `value` can be a redirect URI: an absolute http(s) URL, or a path (not `//host`). */
export function isRedirectUri(value: string): boolean {
  return (
    isHttpUrl(value) || (value.startsWith('/') && !value.startsWith('//') && !value.includes('\\'))
  );
}
