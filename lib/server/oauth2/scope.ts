import { invalidScope } from './errors.js';

/** RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Most scope values accepted in one request. */
const MAX_SCOPES = 100;

/**
 * Reads a `scope` parameter: space-delimited, case-sensitive values, each a
 * valid scope token; duplicates collapse.
 *
 * @param value - the parameter, or `undefined` when absent
 * @returns the scopes in first-seen order, or `undefined` when absent or empty
 * @throws {OAuth2ServerError} `invalid_scope` for characters outside RFC 6749 §3.3
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-3.3
 */
export function parseScope(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const scopes = [...new Set(value.split(' ').filter((s) => s !== ''))];
  if (scopes.length === 0) return undefined;
  if (scopes.length > MAX_SCOPES || !scopes.every((s) => SCOPE_TOKEN.test(s))) {
    throw invalidScope('the scope is malformed');
  }
  return scopes;
}

/** Joins scopes with single spaces, as the wire format wants them. */
export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}

/** Whether every requested scope is in `allowed`. */
export function isSubset(requested: readonly string[], allowed: readonly string[]): boolean {
  const set = new Set(allowed);
  return requested.every((s) => set.has(s));
}

/**
 * The scopes a request gets: the requested ones, or the client's
 * `defaultScopes` when none were named; every one must be allowed to the
 * client (`allowedScopes`, else `defaultScopes`) and, when the server lists
 * `scopesSupported`, known to the server.
 *
 * @param client - the client's scope lists
 * @param requested - the parsed `scope` parameter
 * @param supported - the server's `scopesSupported`, if set
 * @throws {OAuth2ServerError} `invalid_scope`
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-3.3
 */
export function grantableScope(
  client: { defaultScopes?: readonly string[]; allowedScopes?: readonly string[] },
  requested: string[] | undefined,
  supported: readonly string[] | undefined,
): string[] {
  const scope = requested ?? [...(client.defaultScopes ?? [])];
  if (!isSubset(scope, client.allowedScopes ?? client.defaultScopes ?? [])) {
    throw invalidScope('the client may not request this scope');
  }
  if (supported && !isSubset(scope, supported)) throw invalidScope('the scope is not supported');
  return scope;
}
