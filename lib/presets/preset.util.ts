import { InvalidResponseError } from '../core/errors.js';
import { describeEndpoint } from '../core/util/redact.js';
import type { OAuthClientOptions } from '../interfaces/oauth-client-options.interface.js';

/** Option keys whose values are objects merged key by key instead of replaced. */
const MERGED_KEYS = [
  'clientKwargs',
  'authorizeParams',
  'accessTokenParams',
  'refreshTokenParams',
  'requestTokenParams',
] as const;

type ComplianceFix = NonNullable<OAuthClientOptions['complianceFix']>;

/** Runs the preset's fix, then the caller's: a caller's fix adds to the provider's quirks. */
function chainFixes(first: ComplianceFix, second: ComplianceFix): ComplianceFix {
  return (client, transport) => {
    first(client, transport);
    second(client, transport);
  };
}

/**
 * Lays `overrides` over a preset's `defaults`: top-level keys replace the
 * default (except `complianceFix`, which runs after the preset's own), the
 * keys of `clientKwargs`, `authorizeParams` and the other `*Params` are
 * merged shallowly, and `undefined` values are ignored (so `{ clientId: process.env.X }` with `X` unset keeps the
 * `{NAME}_CLIENT_ID` fallback). Neither argument is modified.
 *
 * @param defaults - the provider's options
 * @param overrides - the caller's options
 * @returns a new options object
 */
export function mergePreset<T extends OAuthClientOptions>(
  defaults: T,
  overrides: OAuthClientOptions = {},
): T {
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (key === 'complianceFix' && typeof merged.complianceFix === 'function') {
      merged.complianceFix = chainFixes(
        merged.complianceFix as ComplianceFix,
        value as ComplianceFix,
      );
    } else if ((MERGED_KEYS as readonly string[]).includes(key) && isPlainObject(value)) {
      const base = merged[key];
      merged[key] = { ...(isPlainObject(base) ? base : {}), ...definedEntries(value) };
    } else {
      merged[key] = value;
    }
  }
  return merged as T;
}

/**
 * Reads the `sub` of a raw profile: string ids are kept, numeric ids (GitHub,
 * GitLab) become strings; anything else yields `''`.
 */
export function toSub(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
}

/** A non-empty string, or `undefined` (providers send `null` and `""` for "none"). */
export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `true`/`false` from a boolean or the strings `"true"`/`"false"`; else `undefined`. */
export function optionalBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Drops the keys whose value is `undefined`, so mapped claims only hold what is known. */
export function compact<T extends Record<string, unknown>>(claims: T): T {
  return definedEntries(claims) as T;
}

/**
 * Checks that a raw profile is a JSON object.
 *
 * @param raw - the provider's answer
 * @param endpoint - where it came from: a URL (only its origin and path are reported) or a name
 * @throws {InvalidResponseError} when `raw` is not an object (a hostile or broken API response)
 */
export function assertProfileObject(raw: unknown, endpoint: string): Record<string, unknown> {
  if (!isPlainObject(raw)) {
    throw new InvalidResponseError(label(endpoint), 'the profile is not a JSON object');
  }
  return raw;
}

/**
 * Checks that a mapped profile has a user id.
 *
 * @param sub - the mapped `sub`
 * @param endpoint - where the profile came from
 * @throws {InvalidResponseError} when `sub` is empty
 */
export function requireSub(sub: string, endpoint: string): string {
  if (sub === '') {
    throw new InvalidResponseError(label(endpoint), 'the profile has no user id');
  }
  return sub;
}

/** `origin + path` of an endpoint URL; a plain name (`userinfo`) as it is. */
function label(endpoint: string): string {
  return /^https?:\/\//i.test(endpoint) ? describeEndpoint(endpoint) : endpoint;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function definedEntries(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/**
 * The user's display name: `name`, else `given_name` and `family_name` joined.
 * @param user - OpenID-style claims
 */
export function displayName(user: Record<string, unknown>): string | undefined {
  const full = [optionalString(user.given_name), optionalString(user.family_name)]
    .filter(Boolean)
    .join(' ');
  return optionalString(user.name) ?? (full || undefined);
}

/**
 * The base URL of a provider instance given by a preset option: a host name
 * (`dev-123.okta.com`, `shop.myshopify.com`) becomes `https://{host}`; an
 * `http(s)` URL is kept without its trailing slash. Anything else (a path,
 * credentials, a query, another scheme) is refused.
 *
 * @param value - the option's value
 * @param what - how errors name the option (`presets.okta(): domain`)
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) when the value is missing or not a host or URL
 */
export function siteUrl(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw presetError(`${what} is required`);
  }
  const text = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw presetError(`${what} is not a host name or URL`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    url.hostname === ''
  ) {
    throw presetError(`${what} must be a host name or an http(s) URL without credentials or query`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * A programmer mistake in a preset's options: a `TypeError` with code
 * `ERR_OAUTH_PRESET`, raised at start-up.
 *
 * @param message - what is wrong and how to fix it (never a secret)
 */
export function presetError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_OAUTH_PRESET' });
}

/**
 * The base URL of a provider instance that has no default (an Okta org, a
 * Keycloak server): the option's value (see {@link siteUrl}), else the
 * preset's host when `baseUrls` replaced its `{placeholder}`.
 *
 * @param host - the preset's host after `baseUrls` (a template such as `https://{domain}`)
 * @param option - the caller's option (`domain`, `baseUrl`, ...)
 * @param what - how errors name the option
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) when neither gives a usable URL
 */
export function instanceUrl(host: string, option: unknown, what: string): string {
  if (option !== undefined && option !== null && option !== '') return siteUrl(option, what);
  if (host.includes('{')) throw presetError(`${what} is required`);
  return host;
}

/**
 * A DNS label given as a preset option (`subdomain`, `region`): letters,
 * digits and inner hyphens only, so it cannot change the host it is put in.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) otherwise
 */
export function dnsLabel(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(value)) {
    throw presetError(`${what} must be a DNS label (letters, digits and "-")`);
  }
  return value.toLowerCase();
}

/** The first element of a provider's array field (`images[0]`, `response[0]`), if any. */
export function first(value: unknown): any {
  return Array.isArray(value) ? value[0] : undefined;
}

/**
 * Fills a `{placeholder}` of a preset host (`https://{subdomain}.zendesk.com`)
 * with a DNS label option; a host `baseUrls` replaced is kept as it is.
 *
 * @throws {TypeError} (code `ERR_OAUTH_PRESET`) when the option is needed and not a DNS label
 */
export function fillHost(host: string, placeholder: string, value: unknown, what: string): string {
  const token = `{${placeholder}}`;
  return host.includes(token) ? host.split(token).join(dnsLabel(value, what)) : host;
}
