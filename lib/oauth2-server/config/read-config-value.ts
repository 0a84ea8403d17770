/**
 * Reads one setting of the authorization server module, from code (typed) or
 * from `ConfigService` (text), by kind. A malformed value fails naming the
 * setting and what it should be; the value itself is never repeated (it may
 * be a private key).
 */
import { OAuthConfigError } from '../../errors/oauth-config.error.js';
import type { ServerKeyInput } from '../../server/oauth2/index.js';
import type { ConfigValueKind } from './oauth2-server-config-keys.js';

const MODULE = 'OAuth2ServerModule';
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/**
 * The value of a setting, checked.
 *
 * @param kind - what the setting holds
 * @param value - the value from code, or the text from `ConfigService`
 * @param name - how the user names the setting (option key or config name)
 * @throws {OAuthConfigError} naming `name` and the expected form
 * @internal
 */
export function readConfigValue(kind: ConfigValueKind, value: unknown, name: string): unknown {
  const fail = (expected: string): never => {
    throw new OAuthConfigError(`${MODULE}: ${name} must be ${expected}`, name);
  };
  switch (kind) {
    case 'url':
      if (typeof value !== 'string' || !URL.canParse(value)) fail('an absolute URL');
      return value;
    case 'page':
      if (
        typeof value !== 'string' ||
        !(URL.canParse(value) || (value.startsWith('/') && !value.startsWith('//')))
      ) {
        fail("an absolute URL or a path under the issuer ('/oauth/error')");
      }
      return value;
    case 'seconds':
    case 'nonNegativeSeconds': {
      const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
      const min = kind === 'seconds' ? 1 : 0;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
        fail(`a whole number of seconds${min ? ' greater than 0' : ''} (e.g. 3600)`);
      }
      return n;
    }
    case 'jwtBearer':
      // In code, `{ getUser }` turns the grant on for users too.
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const getUser = (value as { getUser?: unknown }).getUser;
        if (getUser !== undefined && typeof getUser !== 'function') {
          fail('true, false, or { getUser(subject, client, claims) }');
        }
        return value;
      }
      return readConfigValue('boolean', value, name);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false|1|0|yes|no)$/i.test(value.trim())) {
        return /^(true|1|yes)$/i.test(value.trim());
      }
      return fail('true or false');
    case 'requirePkce':
      if (value !== 'public' && value !== 'all') fail("'public' or 'all'");
      return value;
    case 'endpoint':
      if (value === false || value === 'false') return false;
      if (typeof value !== 'string' || value.trim() === '') {
        fail("a path under the issuer ('/token'), an absolute URL, or false");
      }
      return (value as string).trim();
    case 'list':
      return readList(value, fail);
    case 'keys':
      return readKeys(value, fail);
  }
}

/** A list: an array in code; in config a JSON array, or values separated by commas (or spaces, when there is no comma). */
function readList(value: unknown, fail: (expected: string) => never): string[] {
  const expected = 'a list of strings (a JSON array, or values separated by commas)';
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return fail(expected);
  const text = value.trim();
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail(expected);
    }
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) fail(expected);
    return parsed as string[];
  }
  const items = (text.includes(',') ? text.split(',') : text.split(/\s+/))
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) fail(expected);
  return items;
}

/**
 * Signing keys: a list in code; in config the PEM text of one or more private
 * keys (newest first; `\n` escapes allowed, as `.env` files write them), or a
 * JSON array of private JWKs, or a JWK set `{ "keys": [...] }`.
 */
function readKeys(value: unknown, fail: (expected: string) => never): ServerKeyInput[] {
  const expected =
    'a list of private keys: in config, the PEM text of one or more private keys, or a JSON array / JWK set of private JWKs';
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return fail(expected);
  const text = value.trim().replace(/\\n/g, '\n');
  if (text.startsWith('[') || text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail(expected);
    }
    const keys = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown })?.keys;
    if (!Array.isArray(keys) || keys.length === 0 || !keys.every(isObject)) fail(expected);
    return keys as ServerKeyInput[];
  }
  const blocks = text.match(PEM_BLOCK);
  if (!blocks) fail(expected);
  return blocks as string[];
}

function isObject(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
