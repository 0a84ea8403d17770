/**
 * Turns the resource options (code first, then `ConfigService` as
 * `OAUTH_RESOURCE_*`, then an `OAUTH_ACCESS_TOKEN_LOOKUP` provider) into the
 * core's `ResourceProtector` options, once, at start-up; every missing or
 * malformed value is an `OAuthConfigError` naming the key and the fix.
 */
import type { ConfigReader } from '../../config/config-reader.js';
import { isHttpUrl } from '../../config/resolve-client-options.js';
import { MetadataCache, type FetchLike } from '../../core/index.js';
import { OAuthConfigError } from '../../errors/oauth-config.error.js';
import type { ResourceProtectorOptions, StorageValidatorOptions } from '../../server/index.js';
import type {
  OAuthResourceIntrospectionOptions,
  OAuthResourceJwtOptions,
  OAuthResourceOptions,
} from '../interfaces/oauth-resource-options.interface.js';
import { isPlainObject, normalizeResourceKeys } from './resource-option-keys.js';
import { RESOURCE_CONFIG_KEYS, resourceConfigKey } from './resource-config-keys.js';

/** What {@link resolveResourceOptions} needs. */
export interface ResourceOptionsInput {
  /** The options given in code (`OAuthModule`'s `resource`, or `OAuthResourceModule`'s), if any. */
  code?: unknown;
  /** How the user names them in code (`resource`, `OAuthResourceModule`). */
  where: string;
  /** `fetch` and `timeout` to use when the options set none (`OAuthModule`'s). */
  defaults?: { fetch?: FetchLike; timeout?: number };
  /** Reads `OAUTH_RESOURCE_*` keys, usually `ConfigService.get`. */
  read: ConfigReader;
  /** The `OAUTH_ACCESS_TOKEN_LOOKUP` provider's value, when the app has one. */
  lookup?: unknown;
}

const fail = (message: string, key: string): never => {
  throw new OAuthConfigError(`OAuth resource server: ${message}`, key);
};

/**
 * Resolves the resource options.
 *
 * @param input - the code options, config reader and DI lookup
 * @returns the `ResourceProtector` options, or `undefined` when nothing at all is configured
 * @throws {OAuthConfigError} naming the key (in code or config) to fix
 */
export function resolveResourceOptions(
  input: ResourceOptionsInput,
): ResourceProtectorOptions | undefined {
  const { where } = input;
  const code = input.code === undefined ? {} : normalizeResourceKeys(input.code, where);
  const settings = withConfig(code, where, input.read);
  const named = (key: string) => `${where}.${key} or ${resourceConfigKey(key)}`;
  const { issuer, serverMetadataUrl, audience } = settings;
  const http = {
    fetch: settings.fetch ?? input.defaults?.fetch,
    timeout: settings.timeout ?? input.defaults?.timeout,
  };
  checkShared(settings, where);
  const metadataCache = new MetadataCache(http);
  const shared = { issuer, serverMetadataUrl, audience, ...http, metadataCache };

  const jwt = jwtOptions(settings, shared, where);
  let introspection: OAuthResourceIntrospectionOptions | undefined;
  if (settings.introspection) {
    introspection = { ...inherit(settings.introspection, shared) };
    if (introspection.audience === undefined) {
      fail(
        `introspection needs this API's audience: set ${named('audience')}`,
        `${where}.audience`,
      );
    }
  }
  const storage = storageOptions(settings.storage, input.lookup, audience, where);
  const configured =
    jwt.length > 0 || introspection || storage || (settings.validators?.length ?? 0) > 0;
  if (!configured) {
    const anything = Object.values(settings).some((v) => v !== undefined);
    if (!anything) return undefined;
    return fail(
      `no way to validate tokens is configured: set ${named('issuer')} (JWT access tokens), ` +
        `${where}.introspection, or provide OAUTH_ACCESS_TOKEN_LOOKUP`,
      `${where}.issuer`,
    );
  }
  for (const [i, entry] of jwt.entries()) {
    if (entry.audience === undefined) {
      const at = Array.isArray(settings.jwt) ? `${where}.jwt[${i}].audience or ` : '';
      fail(
        `JWT access tokens need this API's audience: set ${at}${named('audience')}`,
        `${where}.audience`,
      );
    }
  }
  return {
    realm: settings.realm,
    allowFormBody: settings.allowFormBody,
    maxTokenLength: settings.maxTokenLength,
    jwt: jwt as ResourceProtectorOptions['jwt'],
    introspection: introspection as ResourceProtectorOptions['introspection'],
    storage,
    validators: settings.validators,
  };
}

/** The code options with the `OAUTH_RESOURCE_*` keys filled in where code left them out. */
function withConfig(
  code: OAuthResourceOptions,
  where: string,
  read: ConfigReader,
): OAuthResourceOptions {
  const out: Record<string, unknown> = { ...code };
  for (const key of RESOURCE_CONFIG_KEYS) {
    const [top, sub] = key.split('.');
    if (sub !== undefined) {
      if (out[top] === false) continue;
      const holder = isPlainObject(out[top]) ? (out[top] as Record<string, unknown>) : undefined;
      if (holder?.[sub] !== undefined) continue;
      const value = configValue(key, read);
      if (value !== undefined) out[top] = { ...holder, [sub]: value };
    } else if (out[key] === undefined) {
      const value = configValue(key, read);
      if (value !== undefined) out[key] = value;
    } else out[key] = checkValue(key, out[key], `${where}.${key}`);
  }
  return out as OAuthResourceOptions;
}

function configValue(key: string, read: ConfigReader): unknown {
  const configKey = resourceConfigKey(key);
  const raw = read(configKey);
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') return checkValue(key, raw, configKey);
  const text = raw.trim();
  if (key === 'audience') {
    if (!text.startsWith('['))
      return checkValue(key, text.split(/[\s,]+/).filter(Boolean), configKey);
    try {
      return checkValue(key, JSON.parse(text), configKey);
    } catch (err) {
      if (err instanceof OAuthConfigError) throw err;
      return fail(`${configKey} is not a valid JSON list`, configKey);
    }
  }
  if (key === 'timeout') return checkValue(key, Number(text), configKey);
  return checkValue(key, text, configKey);
}

/** Checks one value of a key that can come from config (code values too). */
function checkValue(key: string, value: unknown, at: string): unknown {
  if (key === 'issuer' || key === 'serverMetadataUrl') {
    if (typeof value !== 'string' || !isHttpUrl(value))
      fail(`${at} is not a valid http(s) URL`, at);
  } else if (key === 'audience') {
    const list = typeof value === 'string' ? [value] : value;
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((a) => typeof a === 'string' && a)
    ) {
      fail(`${at} must be a non-empty string or list of strings`, at);
    }
  } else if (key === 'timeout') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      fail(`${at} must be a positive number of milliseconds`, at);
    }
  } else if (typeof value !== 'string' || value === '') {
    fail(`${at} must be a non-empty string`, at);
  }
  return value;
}

/** Checks the keys that only come from code. */
function checkShared(settings: OAuthResourceOptions, where: string): void {
  const at = (key: string) => `${where}.${key}`;
  if (settings.realm !== undefined && !/^[\x20-\x7e]*$/.test(settings.realm)) {
    fail(`${at('realm')} must be printable ASCII`, at('realm'));
  }
  if (settings.allowFormBody !== undefined && typeof settings.allowFormBody !== 'boolean') {
    fail(`${at('allowFormBody')} must be true or false`, at('allowFormBody'));
  }
  const max = settings.maxTokenLength;
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
    fail(`${at('maxTokenLength')} must be a positive whole number`, at('maxTokenLength'));
  }
  if (settings.fetch !== undefined && typeof settings.fetch !== 'function') {
    fail(`${at('fetch')} must be a function`, at('fetch'));
  }
  const validators = settings.validators;
  if (
    validators !== undefined &&
    (!Array.isArray(validators) ||
      !validators.every((v) => typeof (v as { validate?: unknown })?.validate === 'function'))
  ) {
    fail(`${at('validators')} must be a list of AccessTokenValidator objects`, at('validators'));
  }
}

type Shared = Pick<
  OAuthResourceOptions,
  'issuer' | 'serverMetadataUrl' | 'audience' | 'fetch' | 'timeout'
> & {
  metadataCache: MetadataCache;
};

/** An entry with the shared settings under it: the issuer pair only when it names neither. */
function inherit<T extends OAuthResourceJwtOptions | OAuthResourceIntrospectionOptions>(
  entry: T,
  shared: Shared,
): T {
  const ownIssuer = entry.issuer !== undefined || entry.serverMetadataUrl !== undefined;
  const ownTransport = entry.fetch !== undefined || entry.timeout !== undefined;
  return {
    ...(ownIssuer ? {} : { issuer: shared.issuer, serverMetadataUrl: shared.serverMetadataUrl }),
    audience: shared.audience,
    fetch: shared.fetch,
    timeout: shared.timeout,
    ...(ownIssuer || ownTransport ? {} : { metadataCache: shared.metadataCache }),
    ...stripUndefined(entry),
  };
}

function jwtOptions(
  settings: OAuthResourceOptions,
  shared: Shared,
  where: string,
): OAuthResourceJwtOptions[] {
  const { jwt } = settings;
  if (jwt === false) return [];
  if (Array.isArray(jwt)) {
    return jwt.map((entry, i) => {
      const resolved = inherit(entry, shared);
      if (!resolved.issuer && !resolved.serverMetadataUrl) {
        fail(`${where}.jwt[${i}] needs an issuer or a serverMetadataUrl`, `${where}.jwt[${i}]`);
      }
      return resolved;
    });
  }
  const entry = inherit((jwt ?? {}) as OAuthResourceJwtOptions, shared);
  if (entry.issuer || entry.serverMetadataUrl) return [entry];
  if (jwt !== undefined) {
    fail(
      `${where}.jwt needs an issuer: set ${where}.issuer or ${resourceConfigKey('issuer')}`,
      `${where}.issuer`,
    );
  }
  return [];
}

function storageOptions(
  storage: OAuthResourceOptions['storage'],
  lookup: unknown,
  audience: OAuthResourceOptions['audience'],
  where: string,
): StorageValidatorOptions | undefined {
  if (storage === false) return undefined;
  const given = storage ?? lookup;
  if (given === undefined || given === null) return undefined;
  const at = storage === undefined ? 'the OAUTH_ACCESS_TOKEN_LOOKUP provider' : `${where}.storage`;
  const options = typeof given === 'function' ? { lookup: given } : given;
  if (!isPlainObject(options) || typeof options.lookup !== 'function') {
    return fail(`${at} must be a lookup function or { lookup, audience? }`, at);
  }
  return { audience, ...stripUndefined(options) } as StorageValidatorOptions;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
