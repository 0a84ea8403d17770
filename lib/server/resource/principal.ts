import { invalidToken } from './bearer-error.js';

/** Which validator accepted a token. */
export type BearerTokenSource = 'jwt' | 'introspection' | 'storage';

/**
 * Who a verified bearer token speaks for: what a protected route gets.
 *
 * @example
 * ```ts
 * const principal = await protector.verifyRequest(request, ['read']);
 * principal.sub;        // 'alice' (or the client's id for a client-credentials token)
 * principal.scope;      // ['read', 'write']
 * ```
 */
export interface BearerPrincipal {
  /** The subject: the user (or, for a client-credentials token, usually the client). */
  sub?: string;
  /** The client the token was issued to (`client_id`, else `azp`). */
  clientId?: string;
  /** The scopes the token grants. */
  scope: string[];
  /** Every claim: the JWT payload, the introspection response, or the stored record's claims. */
  claims: Record<string, unknown>;
  /** The access token itself (to call another API on the user's behalf); never logged by the library. */
  token: string;
  /** When the token expires, in epoch seconds, when known. */
  expiresAt?: number;
  /** Which validator accepted the token. */
  source: BearerTokenSource;
}

/** RFC 6749 §3.3 `scope-token`: `1*( %x21 / %x23-5B / %x5D-7E )`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Reads a scope claim: a space-separated string (`scope`, RFC 6749 / RFC 9068 /
 * RFC 7662) or an array of strings (`scp`, as Entra ID and Okta send it).
 * `undefined` means no scope.
 *
 * @throws {BearerTokenError} `invalid_token` for anything else (a number, an object, a nested array)
 */
export function parseScopeClaim(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return (value as string[]).flatMap((v) => v.split(' ')).filter(Boolean);
  }
  throw invalidToken('scope', 'The access token has a malformed scope');
}

/**
 * Checks route scopes once, when a route is declared: each must be an RFC 6749
 * scope token (so it can be quoted in a challenge as it is).
 *
 * @param scopes - the scopes a resource needs
 * @returns the same scopes
 * @throws {TypeError} (`ERR_OAUTH_SCOPE`) for an empty or malformed scope
 */
export function checkRequiredScopes(scopes: readonly string[]): readonly string[] {
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw Object.assign(new TypeError('a required scope is not an RFC 6749 scope token'), {
        code: 'ERR_OAUTH_SCOPE',
      });
    }
  }
  return scopes;
}

/**
 * The required scopes a principal lacks (empty when it has them all).
 * @param granted - the token's scopes
 * @param required - the resource's scopes, all needed
 */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !granted.includes(scope));
}

/**
 * `true` when `value` is a string with at least one character.
 * @internal
 */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * `true` when `value` is a finite number.
 * @internal
 */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
