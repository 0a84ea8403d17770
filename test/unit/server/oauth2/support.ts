/** Helpers for the authorization-server unit tests: requests built by hand, a server on a memory storage. */
import { generateKeyPairSync } from 'node:crypto';
import type { ServerRequest } from '../../../../lib/server/http/server-request.js';
import {
  AuthorizationServer,
  MemoryOAuth2ServerStorage,
  type AuthorizationServerOptions,
} from '../../../../lib/server/oauth2/index.js';

export const ISSUER = 'https://auth.example.com';
export const SECRET = 'unit-test-secret-0123456789abcdef';
export const RSA_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/** A form POST to a path of the issuer. */
export function formPost(
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): ServerRequest {
  return {
    method: 'POST',
    url: `${ISSUER}${path}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
    contentType: 'application/x-www-form-urlencoded',
  };
}

/** A GET to a URL. */
export function get(url: string, headers: Record<string, string> = {}): ServerRequest {
  return { method: 'GET', url, headers };
}

/** A memory storage with one confidential client (`app`, client_secret_post) and a user. */
export function memoryStorage(): MemoryOAuth2ServerStorage {
  return new MemoryOAuth2ServerStorage({
    clients: [
      {
        clientId: 'app',
        clientSecret: SECRET,
        tokenEndpointAuthMethod: 'client_secret_post',
        redirectUris: ['https://app.example/cb'],
        allowedScopes: ['openid', 'profile', 'read'],
        defaultScopes: ['read'],
        allowedGrantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      },
    ],
    users: [{ sub: 'u1', claims: { name: 'U One', email: 'u1@example.com' } }],
  });
}

/** A server on {@link memoryStorage} (or the given storage). */
export function makeServer(options: Partial<AuthorizationServerOptions> = {}): AuthorizationServer {
  return new AuthorizationServer({
    issuer: ISSUER,
    storage: memoryStorage(),
    keys: [RSA_KEY],
    ...options,
  });
}

/** A client_credentials request of `app`. */
export const clientCredentials = (extra: Record<string, string> = {}) =>
  formPost('/token', {
    grant_type: 'client_credentials',
    client_id: 'app',
    client_secret: SECRET,
    ...extra,
  });

/** The JSON body of a response. */
export const json = (response: { body?: string }) =>
  JSON.parse(response.body ?? '{}') as Record<string, unknown>;
