import type { OAuth2ServerStorage } from './oauth2-server-storage.js';
import type {
  AuthorizationServerOptions,
  OAuth2ServerEndpointPaths,
} from './authorization-server-options.js';
import { ClientKeyResolver } from './client-keys.js';
import { createCodeStore, type CodeStore } from './code-store.js';
import { normalizeResponseType } from './oauth2-server-client.js';
import { MemoryServerCache, type OAuth2ServerCache } from './server-cache.js';
import { ServerKeySet } from './server-keys.js';

/** The grant type of RFC 7523 §2.1. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Every response type the server can produce (OAuth 2.0 Multiple Response Type Encoding Practices). */
export const ALL_RESPONSE_TYPES = [
  'code',
  'token',
  'id_token',
  'code id_token',
  'code token',
  'id_token token',
  'code id_token token',
];

/** The absolute URLs of the endpoints; a disabled one is absent. */
export interface ResolvedEndpoints {
  /** The authorization endpoint (RFC 6749 §3.1). */
  authorization: string;
  /** The token endpoint (RFC 6749 §3.2). */
  token: string;
  /** The revocation endpoint (RFC 7009), unless disabled. */
  revocation?: string;
  /** The introspection endpoint (RFC 7662), unless disabled. */
  introspection?: string;
  /** The UserInfo endpoint (OIDC Core §5.3), unless disabled. */
  userinfo?: string;
  /** The JWK set document, unless disabled. */
  jwks?: string;
}

/** The resolved configuration every endpoint works with. */
export interface ServerContext {
  readonly issuer: string;
  readonly endpoints: ResolvedEndpoints;
  readonly storage: OAuth2ServerStorage;
  readonly keys: ServerKeySet;
  readonly codes: CodeStore;
  readonly replay: OAuth2ServerCache;
  readonly clientKeys: ClientKeyResolver;
  readonly options: AuthorizationServerOptions;
  readonly tokenExpiresIn: number;
  readonly refreshTokenExpiresIn: number;
  readonly codeExpiresIn: number;
  readonly idTokenExpiresIn: number;
  readonly maxAssertionLifetime: number;
  readonly clockTolerance: number;
  readonly responseTypesSupported: readonly string[];
  readonly grantTypesSupported: readonly string[];
  /** The current time, epoch seconds. */
  now(): number;
}

/**
 * Checks and resolves the options of an authorization server.
 * @throws {TypeError} (`ERR_OAUTH_SERVER_CONFIG`, `ERR_OAUTH_INVALID_KEY`) naming the setting to fix
 */
export function createServerContext(options: AuthorizationServerOptions): ServerContext {
  const issuer = checkIssuer(options.issuer);
  if (!options.storage || typeof options.storage.getClient !== 'function') {
    throw configError('storage is required (an OAuth2ServerStorage)');
  }
  const clock = options.now ?? Date.now;
  const grantTypes = ['authorization_code', 'refresh_token', 'client_credentials'];
  if (typeof options.storage.getUser === 'function') grantTypes.push('password');
  if (options.jwtBearer) grantTypes.push(JWT_BEARER_GRANT);
  const responseTypes = (options.responseTypesSupported ?? ALL_RESPONSE_TYPES).map(
    normalizeResponseType,
  );
  if (responseTypes.some((t) => t.includes('token'))) grantTypes.push('implicit');
  return {
    issuer,
    endpoints: resolveEndpoints(issuer, options.endpoints ?? {}),
    storage: options.storage,
    keys: new ServerKeySet(options.keys ?? []),
    codes: createCodeStore(options.storage, options.grantCache),
    replay: options.replayCache ?? new MemoryServerCache({ now: clock }),
    clientKeys: new ClientKeyResolver(options.http),
    options,
    tokenExpiresIn: positive(options.tokenExpiresIn, 3600, 'tokenExpiresIn'),
    refreshTokenExpiresIn: positive(
      options.refreshTokenExpiresIn,
      14 * 86400,
      'refreshTokenExpiresIn',
    ),
    codeExpiresIn: positive(options.codeExpiresIn, 60, 'codeExpiresIn'),
    idTokenExpiresIn: positive(options.idTokenExpiresIn, 3600, 'idTokenExpiresIn'),
    maxAssertionLifetime: positive(options.maxAssertionLifetime, 3600, 'maxAssertionLifetime'),
    clockTolerance: options.clockTolerance ?? 60,
    responseTypesSupported: responseTypes,
    grantTypesSupported: grantTypes,
    now: () => Math.floor(clock() / 1000),
  };
}

function checkIssuer(issuer: unknown): string {
  let url: URL;
  try {
    url = new URL(String(issuer));
  } catch {
    throw configError('issuer must be an absolute URL');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw configError('issuer must be an https URL (http only on localhost)');
  }
  if (url.search || url.hash || String(issuer).includes('#')) {
    throw configError('issuer must have no query or fragment');
  }
  return String(issuer);
}

function resolveEndpoints(issuer: string, paths: OAuth2ServerEndpointPaths): ResolvedEndpoints {
  const base = issuer.replace(/\/+$/, '');
  const at = (path: string | false | undefined, fallback: string): string | undefined => {
    if (path === false) return undefined;
    const value = path ?? fallback;
    return /^https?:\/\//.test(value)
      ? value
      : `${base}${value.startsWith('/') ? '' : '/'}${value}`;
  };
  return {
    authorization: at(paths.authorization, '/authorize') as string,
    token: at(paths.token, '/token') as string,
    revocation: at(paths.revocation, '/revoke'),
    introspection: at(paths.introspection, '/introspect'),
    userinfo: at(paths.userinfo, '/userinfo'),
    jwks: at(paths.jwks, '/jwks'),
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw configError(`${name} must be a positive number of seconds`);
  return value;
}

function configError(message: string): TypeError {
  return Object.assign(new TypeError(`OAuth2 server: ${message}`), {
    code: 'ERR_OAUTH_SERVER_CONFIG',
  });
}
