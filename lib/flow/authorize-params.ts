import { BadRequestException } from '@nestjs/common';
import { isRedirectUri } from '../config/resolve-client-options.js';
import type {
  OAuthAuthorizeParams,
  OAuthPassThroughParam,
} from '../interfaces/oauth-login-options.interface.js';

/** Parameters the library sets itself: never from options, hooks or the query. */
const RESERVED = new Set([
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'code_verifier',
  'client_id',
  'client_secret',
  'response_type',
  'response_mode',
  'redirect_uri',
  'request',
  'request_uri',
  'oauth_token',
  'oauth_callback',
]);

/** The query parameters a guard may pass through. */
export const PASS_THROUGH_PARAMS: ReadonlySet<string> = new Set<OAuthPassThroughParam>([
  'prompt',
  'login_hint',
  'max_age',
  'acr_values',
  'ui_locales',
  'scope',
  'display',
  'claims_locales',
  'id_token_hint',
]);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Longest value passed through from the query. */
const MAX_QUERY_VALUE = 512;

/**
 * Checks per-login parameters (guard options, the module's hook, a guard's
 * override): plain values, none of the library's own parameters, a usable
 * `redirectUri`, an integer `max_age`.
 *
 * @param params - the parameters
 * @param where - who gave them, for the error
 * @returns `params` without `undefined` values
 * @throws {TypeError} `OAUTH_INVALID_AUTHORIZE_PARAMS` naming the parameter
 */
export function checkAuthorizeParams(params: unknown, where: string): OAuthAuthorizeParams {
  const fail = (what: string): never => {
    throw Object.assign(new TypeError(`${where}: ${what}`), {
      code: 'OAUTH_INVALID_AUTHORIZE_PARAMS',
    });
  };
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) return fail('must be an object');
  const out: OAuthAuthorizeParams = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (RESERVED.has(key))
      fail(`${key} is set by the library${key === 'redirect_uri' ? ' (use redirectUri)' : ''}`);
    if (!['string', 'number', 'boolean'].includes(typeof value))
      fail(`${key} must be a string, number or boolean`);
    if (key === 'redirectUri' && !(typeof value === 'string' && isRedirectUri(value))) {
      fail('redirectUri must be an absolute http(s) URL or a path starting with "/"');
    }
    if (key === 'max_age' && !/^\d{1,9}$/.test(String(value)))
      fail('max_age must be a whole number of seconds');
    out[key] = value;
  }
  return out;
}

/**
 * Checks a guard's `query` allow-list at start-up.
 *
 * @throws {TypeError} `OAUTH_INVALID_AUTHORIZE_PARAMS` for a name that may not be passed through
 */
export function checkPassThrough(
  names: readonly string[] | undefined,
  where: string,
): readonly string[] {
  for (const name of names ?? []) {
    if (!PASS_THROUGH_PARAMS.has(name)) {
      throw Object.assign(
        new TypeError(
          `${where}: ${String(name)} cannot be passed through (allowed: ${[...PASS_THROUGH_PARAMS].join(', ')})`,
        ),
        { code: 'OAUTH_INVALID_AUTHORIZE_PARAMS' },
      );
    }
  }
  return names ?? [];
}

/**
 * The allow-listed parameters of a login request's query.
 *
 * @param query - the login request's query
 * @param names - the allow-list (from the guard's options)
 * @returns the parameters present, as given
 * @throws {BadRequestException} for a repeated, overlong or malformed value
 */
export function passThroughQuery(
  query: URLSearchParams,
  names: readonly string[],
): OAuthAuthorizeParams {
  const out: OAuthAuthorizeParams = {};
  for (const name of names) {
    const values = query.getAll(name);
    if (values.length === 0) continue;
    const value = values[0];
    const bad = values.length > 1 || value.length > MAX_QUERY_VALUE || CONTROL.test(value);
    if (bad || (name === 'max_age' && !/^\d{1,9}$/.test(value))) {
      throw new BadRequestException(`Invalid login parameter ${name}`);
    }
    out[name] = value;
  }
  return out;
}
