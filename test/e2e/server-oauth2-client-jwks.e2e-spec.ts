/**
 * `private_key_jwt` with keys the client publishes at a `jwksUri`: fetched and
 * cached by the same JwksCache the OpenID Connect client uses, re-fetched once
 * when the client rotates to a new `kid`, and a JWKS that cannot be fetched
 * is a 401 `invalid_client`, never a 500.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import * as oidc from 'openid-client';
import { MemoryOAuth2ServerStorage } from '../../lib/server/oauth2/index.js';
import { REDIRECT_URI, USER } from '../fixtures/auth-server/clients.js';
import { clientKeyPair, type ClientKeyPair } from '../fixtures/auth-server/keys.js';
import { startAuthServer, type AuthServerFixture } from '../fixtures/auth-server/server.js';

let jwksServer: Server;
let published: JWK[] = [];
let jwksFetches = 0;
let jwksUri: string;
let as: AuthServerFixture;
let first: ClientKeyPair;
let second: ClientKeyPair;

beforeAll(async () => {
  first = await clientKeyPair('ES256', 'client-key-1');
  second = await clientKeyPair('ES256', 'client-key-2');
  jwksServer = createServer((req, res) => {
    jwksFetches++;
    if (req.url === '/down') return void res.writeHead(503).end('down');
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: published }));
  });
  jwksServer.listen(0, '127.0.0.1');
  await once(jwksServer, 'listening');
  jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
  const client = (clientId: string, uri: string) => ({
    clientId,
    tokenEndpointAuthMethod: 'private_key_jwt' as const,
    jwksUri: uri,
    redirectUris: [REDIRECT_URI],
    defaultScopes: ['openid'],
  });
  const storage = new MemoryOAuth2ServerStorage({
    clients: [
      client('remote-keys', jwksUri),
      client('keys-down', jwksUri.replace('/jwks', '/down')),
    ],
    users: [USER],
  });
  as = await startAuthServer({ storage });
});
afterAll(async () => {
  await as?.close();
  jwksServer?.close();
});
afterEach(() => {
  expect(as.crashes).toEqual([]);
  expect(as.statuses.filter((s) => s >= 500)).toEqual([]);
});

async function login(clientId: string, key: ClientKeyPair) {
  const config = await oidc.discovery(
    new URL(as.issuer),
    clientId,
    {},
    oidc.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }),
    { execute: [oidc.allowInsecureRequests] },
  );
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
  });
  return oidc.authorizationCodeGrant(config, await as.authorize(url), {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
  });
}

it('fetches the client keys once, and again once after the client rotates its key', async () => {
  published = [first.publicJwk];
  expect((await login('remote-keys', first)).claims()?.sub).toBe(USER.sub);
  expect((await login('remote-keys', first)).claims()?.sub).toBe(USER.sub);
  expect(jwksFetches).toBe(1);
  published = [second.publicJwk, first.publicJwk];
  expect((await login('remote-keys', second)).claims()?.sub).toBe(USER.sub);
  expect(jwksFetches).toBe(2);
});

it('refuses a key the client never published, without fetching again during the cooldown', async () => {
  const stranger = await clientKeyPair('ES256', 'stranger');
  const before = jwksFetches;
  const err = await login('remote-keys', stranger).catch(
    (e: { error?: string; status?: number }) => e,
  );
  expect(err).toMatchObject({ error: 'invalid_client', status: 401 });
  expect(jwksFetches).toBe(before);
});

it('answers invalid_client when the client key set cannot be fetched', async () => {
  const err = await login('keys-down', first).catch((e: { error?: string; status?: number }) => e);
  expect(err).toMatchObject({ error: 'invalid_client', status: 401 });
});
