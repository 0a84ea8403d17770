/**
 * The settings of an OAuth 1.0a provider: defaults, the `OAUTH1_PROVIDER_*`
 * configuration names (Flask-OAuthlib's), and their validation at start-up.
 */
import {
  OAUTH1_SIGNATURE_METHODS,
  type OAuth1SignatureMethod,
} from '../../core/oauth1/signature.js';

/** The settings of an OAuth 1.0a provider; every one has a secure default. */
export interface OAuth1ServerSettings {
  /**
   * The signature methods accepted. Default: HMAC-SHA1, HMAC-SHA256, RSA-SHA1,
   * RSA-SHA256. PLAINTEXT only when listed, and even then only on `https:`.
   */
  signatureMethods?: readonly OAuth1SignatureMethod[];
  /**
   * Refuse every request whose URL is not `https:` (default `true`). Turn it
   * off for local development only. The URL is the one the app sees behind its
   * trusted proxy (`ServerRequest.url`).
   */
  enforceSsl?: boolean;
  /**
   * Where the authorization endpoint sends the resource owner when it cannot
   * go on (unknown or expired request token): this URI with `error` and
   * `error_description` added. Without it, the endpoint answers with a plain
   * error page.
   */
  errorUri?: string;
  /** Every realm the provider knows; a client may request only these (or its own `realms`). */
  realms?: readonly string[];
  /** Accepted difference between `oauth_timestamp` and the server clock, in seconds (default 300). */
  timestampWindow?: number;
  /** Random bytes in each issued token key and token secret (default 32: 256 bits). */
  tokenLength?: number;
  /** Random bytes in each verifier (default 16: 128 bits). */
  verifierLength?: number;
  /** Seconds a request token (and its verifier) may be used (default 600). */
  requestTokenLifetime?: number;
  /** Give the storage SHA-256 digests of token keys and verifiers instead of the values (default `true`). */
  hashTokens?: boolean;
  /**
   * Accepted length `[min, max]` of an incoming `oauth_consumer_key`,
   * `oauth_token`, `oauth_verifier` and `oauth_nonce` (default `[6, 256]`).
   */
  keyLength?: readonly [number, number];
}

/** {@link OAuth1ServerSettings} with every default filled in. */
export interface ResolvedOAuth1ServerSettings {
  /** {@inheritDoc OAuth1ServerSettings.signatureMethods} */
  readonly signatureMethods: readonly OAuth1SignatureMethod[];
  /** {@inheritDoc OAuth1ServerSettings.enforceSsl} */
  readonly enforceSsl: boolean;
  /** {@inheritDoc OAuth1ServerSettings.errorUri} */
  readonly errorUri?: string;
  /** {@inheritDoc OAuth1ServerSettings.realms} */
  readonly realms: readonly string[];
  /** {@inheritDoc OAuth1ServerSettings.timestampWindow} */
  readonly timestampWindow: number;
  /** {@inheritDoc OAuth1ServerSettings.tokenLength} */
  readonly tokenLength: number;
  /** {@inheritDoc OAuth1ServerSettings.verifierLength} */
  readonly verifierLength: number;
  /** {@inheritDoc OAuth1ServerSettings.requestTokenLifetime} */
  readonly requestTokenLifetime: number;
  /** {@inheritDoc OAuth1ServerSettings.hashTokens} */
  readonly hashTokens: boolean;
  /** {@inheritDoc OAuth1ServerSettings.keyLength} */
  readonly keyLength: readonly [number, number];
}

/** The defaults of {@link OAuth1ServerSettings}. */
export const OAUTH1_PROVIDER_DEFAULTS: ResolvedOAuth1ServerSettings = Object.freeze({
  signatureMethods: Object.freeze([
    'HMAC-SHA1',
    'HMAC-SHA256',
    'RSA-SHA1',
    'RSA-SHA256',
  ] as OAuth1SignatureMethod[]),
  enforceSsl: true,
  realms: Object.freeze([] as string[]),
  timestampWindow: 300,
  tokenLength: 32,
  verifierLength: 16,
  requestTokenLifetime: 600,
  hashTokens: true,
  keyLength: Object.freeze([6, 256]) as unknown as readonly [number, number],
});

/**
 * The configuration name of each setting (`ConfigService`, environment):
 * lists are comma- or space-separated, booleans `true`/`false`,
 * `OAUTH1_PROVIDER_KEY_LENGTH` is `min,max`.
 */
export const OAUTH1_PROVIDER_CONFIG_KEYS: Readonly<Record<keyof OAuth1ServerSettings, string>> =
  Object.freeze({
    signatureMethods: 'OAUTH1_PROVIDER_SIGNATURE_METHODS',
    enforceSsl: 'OAUTH1_PROVIDER_ENFORCE_SSL',
    errorUri: 'OAUTH1_PROVIDER_ERROR_URI',
    realms: 'OAUTH1_PROVIDER_REALMS',
    timestampWindow: 'OAUTH1_PROVIDER_TIMESTAMP_WINDOW',
    tokenLength: 'OAUTH1_PROVIDER_TOKEN_LENGTH',
    verifierLength: 'OAUTH1_PROVIDER_VERIFIER_LENGTH',
    requestTokenLifetime: 'OAUTH1_PROVIDER_REQUEST_TOKEN_LIFETIME',
    hashTokens: 'OAUTH1_PROVIDER_HASH_TOKENS',
    keyLength: 'OAUTH1_PROVIDER_KEY_LENGTH',
  });

/**
 * Reads a configuration value by name (`ConfigService.get` fits); `undefined`
 * for an unset one.
 */
export type OAuth1ConfigReader = (name: string) => unknown;

/** A setting that cannot be used; `code` is `ERR_OAUTH1_PROVIDER_SETTING`. */
export interface OAuth1SettingError extends TypeError {
  /** Always `ERR_OAUTH1_PROVIDER_SETTING`. */
  code: 'ERR_OAUTH1_PROVIDER_SETTING';
}

/**
 * Fills in and checks the settings: each one given in `settings` wins, then
 * its `OAUTH1_PROVIDER_*` value from `config`, then the default.
 *
 * @param settings - the settings given in code
 * @param config - reads `OAUTH1_PROVIDER_*` values (optional)
 * @returns the settings to run with (frozen)
 * @throws {TypeError} `ERR_OAUTH1_PROVIDER_SETTING` naming the setting and its configuration
 *   name, for a value that cannot be used (an unknown signature method, a window of 0 s, ...)
 * @example
 * ```ts
 * const settings = resolveOAuth1ServerSettings({ realms: ['photos'] }, (name) => process.env[name]);
 * ```
 */
export function resolveOAuth1ServerSettings(
  settings: OAuth1ServerSettings = {},
  config?: OAuth1ConfigReader,
): ResolvedOAuth1ServerSettings {
  const read = <K extends keyof OAuth1ServerSettings>(
    name: K,
    parse: (text: string) => OAuth1ServerSettings[K] | undefined,
  ): OAuth1ServerSettings[K] | undefined => {
    if (settings[name] !== undefined) return settings[name];
    const raw = config?.(OAUTH1_PROVIDER_CONFIG_KEYS[name]);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw !== 'string') return raw as OAuth1ServerSettings[K];
    const parsed = parse(raw.trim());
    if (parsed === undefined) throw settingError(name, 'cannot be read from its text');
    return parsed;
  };
  const d = OAUTH1_PROVIDER_DEFAULTS;
  const signatureMethods = read('signatureMethods', (t) => splitList(t) as OAuth1SignatureMethod[]);
  const enforceSsl = read('enforceSsl', parseBoolean);
  const errorUri = read('errorUri', (t) => t);
  const realms = read('realms', splitList);
  const timestampWindow = read('timestampWindow', parseNumber);
  const tokenLength = read('tokenLength', parseNumber);
  const verifierLength = read('verifierLength', parseNumber);
  const requestTokenLifetime = read('requestTokenLifetime', parseNumber);
  const hashTokens = read('hashTokens', parseBoolean);
  const keyLength = read('keyLength', (t) => {
    const [min, max, extra] = splitList(t).map(Number);
    return extra === undefined ? ([min, max] as [number, number]) : undefined;
  });

  const resolved: ResolvedOAuth1ServerSettings = {
    signatureMethods: Object.freeze([...checkMethods(signatureMethods ?? d.signatureMethods)]),
    enforceSsl: checkBoolean('enforceSsl', enforceSsl ?? d.enforceSsl),
    ...(errorUri === undefined ? {} : { errorUri: checkErrorUri(errorUri) }),
    realms: Object.freeze([...checkRealms(realms ?? d.realms)]),
    timestampWindow: checkInteger(
      'timestampWindow',
      timestampWindow ?? d.timestampWindow,
      1,
      86400,
    ),
    tokenLength: checkInteger('tokenLength', tokenLength ?? d.tokenLength, 16, 128),
    verifierLength: checkInteger('verifierLength', verifierLength ?? d.verifierLength, 8, 128),
    requestTokenLifetime: checkInteger(
      'requestTokenLifetime',
      requestTokenLifetime ?? d.requestTokenLifetime,
      1,
      86400,
    ),
    hashTokens: checkBoolean('hashTokens', hashTokens ?? d.hashTokens),
    keyLength: checkKeyLength(keyLength ?? d.keyLength),
  };
  return Object.freeze(resolved);
}

function settingError(name: keyof OAuth1ServerSettings, problem: string): OAuth1SettingError {
  const error = new TypeError(
    `OAuth 1 provider setting ${name} ${problem}: set ${name} or ${OAUTH1_PROVIDER_CONFIG_KEYS[name]}`,
  ) as OAuth1SettingError;
  error.code = 'ERR_OAUTH1_PROVIDER_SETTING';
  return error;
}

function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item !== '');
}

function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  return undefined;
}

function parseNumber(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function checkMethods(methods: unknown): readonly OAuth1SignatureMethod[] {
  if (
    !Array.isArray(methods) ||
    methods.length === 0 ||
    !methods.every((m) => OAUTH1_SIGNATURE_METHODS.includes(m as OAuth1SignatureMethod))
  ) {
    throw settingError(
      'signatureMethods',
      'must list one or more of HMAC-SHA1, HMAC-SHA256, RSA-SHA1, RSA-SHA256, PLAINTEXT',
    );
  }
  return methods as OAuth1SignatureMethod[];
}

function checkBoolean(name: 'enforceSsl' | 'hashTokens', value: unknown): boolean {
  if (typeof value !== 'boolean') throw settingError(name, 'must be true or false');
  return value;
}

function checkErrorUri(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hash) {
    throw settingError('errorUri', 'must be an absolute http(s) URI without a fragment');
  }
  return url.href;
}

function checkRealms(realms: unknown): readonly string[] {
  if (
    !Array.isArray(realms) ||
    !realms.every((r) => typeof r === 'string' && r !== '' && !/[\s",\\]/.test(r))
  ) {
    throw settingError('realms', 'must be a list of names without spaces, commas or quotes');
  }
  return realms as string[];
}

function checkInteger(
  name: keyof OAuth1ServerSettings,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw settingError(name, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function checkKeyLength(value: unknown): readonly [number, number] {
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((n) => Number.isInteger(n)) &&
    value[0] >= 1 &&
    value[0] <= value[1] &&
    value[1] <= 1024;
  if (!ok) throw settingError('keyLength', 'must be [min, max] with 1 <= min <= max <= 1024');
  return Object.freeze([value[0], value[1]]) as readonly [number, number];
}
