/**
 * Which option keys exist, so that none is ever ignored: Authlib's snake_case
 * spellings (`client_id`, `token_endpoint_auth_method`) are mapped to ours,
 * and a key we do not know fails at start-up, naming the nearest known one.
 */
import type { OAuth1ClientOptions, OAuth2ClientOptions } from '../core/index.js';
import { OAuthConfigError } from '../errors/oauth-config.error.js';
import type { OAuthClientOptions } from '../interfaces/oauth-client-options.interface.js';
import type { OAuthModuleOptions } from '../interfaces/oauth-module-options.interface.js';

/** Every client option (exhaustive: a key added to the interface must be added here). */
const CLIENT_KEYS: Record<keyof OAuthClientOptions, true> = {
  clientId: true,
  clientSecret: true,
  requestTokenUrl: true,
  requestTokenParams: true,
  accessTokenUrl: true,
  accessTokenParams: true,
  refreshTokenUrl: true,
  refreshTokenParams: true,
  authorizeUrl: true,
  authorizeParams: true,
  apiBaseUrl: true,
  allowedOrigins: true,
  clientKwargs: true,
  serverMetadataUrl: true,
  redirectUri: true,
  codeChallengeMethod: true,
  complianceFix: true,
  fetchToken: true,
  updateToken: true,
  fetchRequestToken: true,
  saveRequestToken: true,
  userinfoEndpoint: true,
  profile: true,
  fetch: true,
  timeout: true,
  overwrite: true,
};

/** Every module option (exhaustive). */
const MODULE_KEYS: Record<keyof OAuthModuleOptions, true> = {
  clients: true,
  fetchToken: true,
  updateToken: true,
  authorizeParams: true,
  cache: true,
  secret: true,
  stateTtl: true,
  cookieName: true,
  fetch: true,
  timeout: true,
  requestContext: true,
};

/**
 * `clientKwargs` of an OAuth 2 client: `true` for what is spread into the core
 * `OAuth2Client`; a string for what the module sets itself (where to set it
 * instead). Exhaustive over `OAuth2ClientOptions`.
 */
const OAUTH2_KWARGS: Record<keyof OAuth2ClientOptions, true | string> = {
  scope: true,
  tokenEndpointAuthMethod: true,
  codeChallengeMethod: true,
  leeway: true,
  revocationEndpoint: true,
  introspectionEndpoint: true,
  userinfoEndpoint: true,
  metadataCacheTtl: true,
  clockTolerance: true,
  idTokenSignedResponseAlg: true,
  clientKey: true,
  clientKeyId: true,
  clientKeyAlg: true,
  assertionLifetime: true,
  userinfo: true,
  allowInsecureRequests: true,
  idTokenMaxAge: true,
  grantType: true,
  maxResponseBytes: true,
  fetch: true,
  timeout: true,
  clientId: 'clientId',
  clientSecret: 'clientSecret',
  tokenEndpoint: 'accessTokenUrl',
  refreshTokenEndpoint: 'refreshTokenUrl',
  authorizationEndpoint: 'authorizeUrl',
  serverMetadataUrl: 'serverMetadataUrl',
  refreshTokenParams: 'refreshTokenParams',
  redirectUri: 'redirectUri',
  updateToken: 'updateToken',
  token: 'fetchToken',
  state: '(the login guard makes one per login)',
  metadata: 'serverMetadataUrl',
  stateless: '(always true in the module)',
};

/** `clientKwargs` of an OAuth 1 client (exhaustive over `OAuth1ClientOptions`). */
const OAUTH1_KWARGS: Record<keyof OAuth1ClientOptions, true | string> = {
  signatureMethod: true,
  signatureType: true,
  rsaKey: true,
  realm: true,
  maxResponseBytes: true,
  fetch: true,
  timeout: true,
  clientId: 'clientId',
  clientSecret: 'clientSecret',
  redirectUri: 'redirectUri',
  token: 'fetchToken',
  tokenSecret: 'fetchToken',
  verifier: '(read from the callback)',
};

/**
 * Authlib spellings that are not the snake_case of ours. `null`: Authlib has
 * it, we do not (the error says what to do instead).
 */
const AUTHLIB_ALIASES: Record<string, string | null> = {
  client_auth_methods: null,
  user_agent: null,
};

/** `user_agent` → `userAgent`: Authlib's snake_case spelling of a key, in camelCase. */
function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Returns `options` with every key in camelCase (Authlib's snake_case
 * spellings mapped), after checking that each is known.
 *
 * @param options - the options object as given
 * @param known - the known keys (camelCase)
 * @param where - how the user names the object (`clients.github`, `GITHUB_CLIENT_KWARGS`)
 * @throws {OAuthConfigError} for an unknown key (naming the nearest known one),
 *   or a key given twice (`clientId` and `client_id`)
 */
function normalizeKeys(
  options: Record<string, unknown>,
  known: Record<string, unknown>,
  where: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [given, value] of Object.entries(options)) {
    const alias = Object.hasOwn(AUTHLIB_ALIASES, given) ? AUTHLIB_ALIASES[given] : undefined;
    const key = alias === undefined ? (given.includes('_') ? camelCase(given) : given) : alias;
    if (key === null || !Object.hasOwn(known, key)) {
      const hint = key === null ? 'it has no equivalent here' : nearest(given, Object.keys(known));
      throw new OAuthConfigError(
        `OAuth module: unknown option ${where}.${given}: ${hint}`,
        `${where}.${given}`,
      );
    }
    if (Object.hasOwn(out, key)) {
      throw new OAuthConfigError(
        `OAuth module: ${where} sets ${key} twice (as ${key} and in snake_case): keep one`,
        `${where}.${given}`,
      );
    }
    out[key] = value;
  }
  return out;
}

/**
 * The client's options with camelCase keys, unknown keys refused.
 *
 * @param options - `clients.<name>` as given in code
 * @param name - the client's name
 */
export function normalizeClientKeys(options: object, name: string): OAuthClientOptions {
  return normalizeKeys(options as Record<string, unknown>, CLIENT_KEYS, `clients.${name}`);
}

/** The module options with camelCase keys, unknown keys refused (`clients` left as is). */
export function normalizeModuleKeys(options: object): OAuthModuleOptions {
  return normalizeKeys(options as Record<string, unknown>, MODULE_KEYS, 'OAuthModule options');
}

/**
 * `clientKwargs` with camelCase keys; unknown keys, and keys the module sets
 * itself, refused naming where they go.
 *
 * @param kwargs - the kwargs (from code or `{NAME}_CLIENT_KWARGS`)
 * @param kind - the client's kind
 * @param where - how the user names them (`clients.github.clientKwargs`, `GITHUB_CLIENT_KWARGS`)
 * @param name - the client's name
 */
export function normalizeClientKwargs(
  kwargs: Record<string, unknown>,
  kind: 'oauth1' | 'oauth2',
  where: string,
  name: string,
): Record<string, unknown> {
  const known = kind === 'oauth1' ? OAUTH1_KWARGS : OAUTH2_KWARGS;
  const out = normalizeKeys(kwargs, known, where);
  for (const key of Object.keys(out)) {
    const target = (known as Record<string, true | string>)[key];
    if (target === true) continue;
    const instead = target.startsWith('(') ? target : `set clients.${name}.${target} instead`;
    throw new OAuthConfigError(
      `OAuth module: ${where}.${key} is not for clientKwargs: ${instead}`,
      `${where}.${key}`,
    );
  }
  if (kind === 'oauth1' && typeof out.signatureType === 'string') {
    // Authlib writes SIGNATURE_TYPE_HEADER = 'HEADER'.
    out.signatureType = out.signatureType.toLowerCase();
  }
  return out;
}

/**
 * "did you mean X?" for the known key nearest to `given`, or the list when none is near.
 *
 * @param given - the unknown key as written
 * @param known - the known keys
 * @returns the hint for the error message
 * @internal
 */
export function nearest(given: string, known: string[]): string {
  const flat = (s: string) => s.replace(/[_-]/g, '').toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const key of known) {
    const d = distance(flat(given), flat(key));
    if (d < bestDistance) [best, bestDistance] = [key, d];
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(flat(given).length / 3))) {
    return `did you mean ${best}?`;
  }
  return `known keys are ${known.join(', ')}`;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
