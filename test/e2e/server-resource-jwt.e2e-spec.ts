/**
 * JWT access tokens (RFC 9068) issued by a real authorization server
 * (oidc-provider 9 with resource indicators), presented to a node:http API
 * protected by ResourceProtector: a valid user token and a client-credentials
 * token, then every way a token must be refused.
 */
import { jest } from '@jest/globals';
import { createConnection } from 'node:net';
import { OAuth2Client } from '../../lib/core/oauth2/oauth2-client.js';
import { ResourceProtector } from '../../lib/server/resource/resource-protector.js';
import { moveDateOnly } from '../fixtures/clock.js';
import { startOidcProvider, type OidcProviderFixture } from '../fixtures/oidc-provider.js';
import {
  issueResourceTokens,
  JWT_API,
  OTHER_JWT_API,
  startProtectedApi,
  type ProtectedApi,
  serviceTokenFor,
  userTokenFor,
} from '../fixtures/protected-api.js';
import { algNone, forgeSignature, hmacWithPublicKey } from '../fixtures/jwt-attacks.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';

let op: OidcProviderFixture;
let otherOp: OidcProviderFixture;
let api: ProtectedApi;
let client: OAuth2Client;
/** A user's token for JWT_API (`api:read`), with its ID token. */
let user: { accessToken: string; idToken: string };

beforeAll(async () => {
  [op, otherOp] = await Promise.all([
    startOidcProvider({ redirectUris: [REDIRECT_URI], configure: issueResourceTokens }),
    startOidcProvider({ configure: issueResourceTokens }),
  ]);
  api = await startProtectedApi(
    new ResourceProtector({
      realm: 'orders',
      jwt: { serverMetadataUrl: op.discoveryUrl, audience: JWT_API, timeout: 5000 },
    }),
  );
  client = clientOf(op);
  user = await userToken();
});
afterAll(async () => {
  await api?.close();
  await Promise.all([op?.close(), otherOp?.close()]);
});
afterEach(() => {
  jest.useRealTimers();
  expect(api.failures).toEqual([]);
  expect(op.serverErrors).toEqual([]);
});

function clientOf(provider: OidcProviderFixture): OAuth2Client {
  const basic = provider.clients.basic;
  return new OAuth2Client({
    clientId: basic.clientId,
    clientSecret: basic.clientSecret,
    redirectUri: REDIRECT_URI,
    serverMetadataUrl: provider.discoveryUrl,
    timeout: 5000,
  });
}

/** A client-credentials access token for `resource`. */
const serviceToken = (resource = JWT_API, scope = 'api:read', from: OAuth2Client = client) =>
  serviceTokenFor(from, resource, scope);

/** Logs alice in (code flow, resource indicator) and returns her access and ID tokens. */
async function userToken(): Promise<{ accessToken: string; idToken: string }> {
  const token = await userTokenFor(client, JWT_API);
  return { accessToken: token.access_token, idToken: token.id_token! };
}

async function call(
  token: string | undefined,
  path = '/orders',
  init: RequestInit = {},
): Promise<{ status: number; challenge: string | null; body: any }> {
  const headers = new Headers(init.headers);
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  const res = await fetch(`${api.url}${path}`, { ...init, headers });
  const text = await res.text();
  if (token && token.length > 8) expect(text).not.toContain(token);
  return {
    status: res.status,
    challenge: res.headers.get('www-authenticate'),
    body: text ? JSON.parse(text) : undefined,
  };
}

const INVALID = {
  status: 401,
  challenge: expect.stringMatching(
    /^Bearer realm="orders", error="invalid_token", error_description="[^"]+"$/,
  ),
  body: { error: 'invalid_token', error_description: expect.any(String) },
};

/** The expected 401 `invalid_token` answer, with a given description. */
const refused = (description: unknown = expect.any(String)) => ({
  ...INVALID,
  body: { error: 'invalid_token', error_description: description },
});

describe('JWT access tokens from oidc-provider', () => {
  it('a user’s token: 200 with alice as the principal', async () => {
    const res = await call(user.accessToken);
    expect(res).toEqual({
      status: 200,
      challenge: null,
      body: {
        sub: 'alice',
        clientId: op.clients.basic.clientId,
        scope: ['api:read'],
        source: 'jwt',
      },
    });
  });

  it('a client-credentials token: 200, the client as the subject', async () => {
    const res = await call(await serviceToken(JWT_API, 'api:read api:write'), '/orders', {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sub: op.clients.basic.clientId,
      scope: ['api:read', 'api:write'],
    });
  });

  it('no token: 401 with a challenge and no error code', async () => {
    expect(await call(undefined)).toEqual({
      status: 401,
      challenge: 'Bearer realm="orders"',
      body: undefined,
    });
  });

  it('missing scope: 403 insufficient_scope naming the scope the route needs', async () => {
    const res = await call(user.accessToken, '/orders', { method: 'POST' });
    expect(res).toEqual({
      status: 403,
      challenge:
        'Bearer realm="orders", error="insufficient_scope", error_description="The access token does not grant every scope this resource needs", scope="api:write"',
      body: {
        error: 'insufficient_scope',
        error_description: 'The access token does not grant every scope this resource needs',
      },
    });
  });

  it('expired (10 minutes later, the provider’s client-credentials TTL)', async () => {
    const token = await serviceToken();
    expect((await call(token)).status).toBe(200);
    moveDateOnly(601_000 + 60_000);
    expect(await call(token)).toEqual(refused('The access token expired'));
  });

  it('not yet valid (our clock 5 minutes behind the issuer’s)', async () => {
    const token = await serviceToken();
    moveDateOnly(-5 * 60_000);
    expect(await call(token)).toEqual(refused('The access token is issued in the future'));
  });

  it('wrong audience: a token the same provider issued for another API', async () => {
    expect(await call(await serviceToken(OTHER_JWT_API))).toEqual(
      refused('The access token is meant for another resource'),
    );
  });

  it('wrong issuer: a token for this very API from another provider', async () => {
    const foreign = await serviceToken(JWT_API, 'api:read', clientOf(otherOp));
    expect(await call(foreign)).toEqual(INVALID);
  });

  it('an ID token used as an access token', async () => {
    expect(await call(user.idToken)).toEqual(
      refused(expect.stringContaining('not an access token')),
    );
  });

  it('an ID token is refused by its audience too when `typ` is relaxed', async () => {
    const relaxed = await startProtectedApi(
      new ResourceProtector({
        jwt: {
          issuer: op.issuer,
          audience: JWT_API,
          typ: ['at+jwt', 'JWT'],
          allowMissingTyp: true,
        },
      }),
    );
    try {
      const res = await fetch(`${relaxed.url}/me`, {
        headers: { authorization: `Bearer ${user.idToken}` },
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: 'invalid_token',
        error_description: 'The access token is meant for another resource',
      });
    } finally {
      await relaxed.close();
    }
  });

  it('forged signature: the claims re-signed with another key under the provider’s kid', async () => {
    const forged = await forgeSignature(await serviceToken());
    expect(await call(forged)).toEqual(refused('The access token signature is not valid'));
  });

  it('a raised scope in the payload breaks the signature', async () => {
    const [header, payload, signature] = (await serviceToken()).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const raised = Buffer.from(JSON.stringify({ ...claims, scope: 'api:read api:write' })).toString(
      'base64url',
    );
    expect(
      (await call(`${header}.${raised}.${signature}`, '/orders', { method: 'POST' })).status,
    ).toBe(401);
  });

  it('alg none', async () => {
    expect(await call(algNone(await serviceToken()))).toEqual(INVALID);
  });

  it('HS256 signed with the provider’s public key (as JWK JSON, PEM and modulus)', async () => {
    for (const token of await hmacWithPublicKey(op, await serviceToken())) {
      expect(await call(token)).toEqual(INVALID);
    }
  });

  it('key rotation: a token signed with the provider’s new key is accepted after one JWKS re-fetch', async () => {
    const before = op.requests.filter((r) => r.path === '/jwks').length;
    await op.rotateKeys();
    const token = await serviceToken();
    expect((await call(token)).status).toBe(200);
    expect((await call(token)).status).toBe(200);
    expect(op.requests.filter((r) => r.path === '/jwks').length - before).toBe(1);
  });

  it('two Authorization headers: 400 invalid_request (also when Node keeps only the first)', async () => {
    const token = await serviceToken();
    const url = new URL(api.url);
    const socket = createConnection(Number(url.port), url.hostname);
    socket.end(
      `GET /orders HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n` +
        `Authorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    );
    let raw = '';
    for await (const chunk of socket) raw += String(chunk);
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('error="invalid_request"');
    expect(raw).not.toContain(token);
  });
});
