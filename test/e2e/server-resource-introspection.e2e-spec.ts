/**
 * Opaque access tokens validated by RFC 7662 introspection at a real
 * authorization server (oidc-provider 9): every client authentication method
 * of OAuth2Client, the checks on the answer, revocation, expiry, the cache
 * (counted at the provider) and the endpoint failing.
 */
import { jest } from '@jest/globals';
import { OAuth2Client } from '../../lib/core/oauth2/oauth2-client.js';
import type { IntrospectionOptions } from '../../lib/server/resource/introspection-validator.js';
import { ResourceProtector } from '../../lib/server/resource/resource-protector.js';
import { moveDateOnly } from '../fixtures/clock.js';
import {
  PRIVATE_KEY_CLIENTS,
  startOidcProvider,
  type FixtureClient,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';
import {
  issueResourceTokens,
  JWT_API,
  OPAQUE_API,
  OTHER_OPAQUE_API,
  startProtectedApi,
  type ProtectedApi,
  serviceTokenFor,
  userTokenFor,
} from '../fixtures/protected-api.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';
const INTROSPECTION = '/token/introspection';

let op: OidcProviderFixture;
/** The client that asks for tokens (the API's caller). */
let caller: OAuth2Client;
const apis: ProtectedApi[] = [];

beforeAll(async () => {
  op = await startOidcProvider({ redirectUris: [REDIRECT_URI], configure: issueResourceTokens });
  caller = new OAuth2Client({
    clientId: op.clients.post.clientId,
    clientSecret: op.clients.post.clientSecret,
    tokenEndpointAuthMethod: 'client_secret_post',
    redirectUri: REDIRECT_URI,
    serverMetadataUrl: op.discoveryUrl,
    timeout: 5000,
  });
});
afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
  await op?.close();
});
afterEach(() => {
  jest.useRealTimers();
  for (const api of apis) expect(api.failures).toEqual([]);
  expect(op.serverErrors).toEqual([]);
});

/** The API, introspecting as `rs` (the basic client by default). */
async function startApi(
  extra: Partial<IntrospectionOptions> = {},
  rs: FixtureClient = op.clients.basic,
): Promise<ProtectedApi> {
  const api = await startProtectedApi(
    new ResourceProtector({
      realm: 'opaque',
      introspection: {
        issuer: op.issuer,
        clientId: rs.clientId,
        clientSecret: rs.clientSecret,
        tokenEndpointAuthMethod: rs.authMethod as never,
        audience: OPAQUE_API,
        timeout: 5000,
        ...extra,
      },
    }),
  );
  apis.push(api);
  return api;
}

const serviceToken = (resource = OPAQUE_API, scope = 'api:read') =>
  serviceTokenFor(caller, resource, scope);

async function call(api: ProtectedApi, token: string, path = '/orders', method = 'GET') {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  expect(text).not.toContain(token);
  return {
    status: res.status,
    challenge: res.headers.get('www-authenticate'),
    body: JSON.parse(text || 'null'),
  };
}

const introspections = (since = 0) =>
  op.requests.slice(since).filter((r) => r.path === INTROSPECTION);

describe('introspection, authenticated with every OAuth2Client method', () => {
  const cases: [
    string,
    () => FixtureClient,
    (c: FixtureClient) => Partial<IntrospectionOptions>,
  ][] = [
    ['client_secret_basic', () => op.clients.basic, () => ({})],
    ['client_secret_post', () => op.clients.post, () => ({})],
    ['client_secret_jwt', () => op.clients.secretJwt, () => ({})],
    ...Object.entries(PRIVATE_KEY_CLIENTS).map(
      ([alg, name]): [
        string,
        () => FixtureClient,
        (c: FixtureClient) => Partial<IntrospectionOptions>,
      ] => [`private_key_jwt ${alg}`, () => op.clients[name], (c) => ({ clientKey: c.privateJwk })],
    ),
  ];

  it.each(cases)('%s: 200, and the provider saw that method', async (_label, pick, extra) => {
    const rs = pick();
    const api = await startApi(extra(rs), rs);
    const mark = op.requests.length;
    const res = await call(api, await serviceToken());
    expect(res).toMatchObject({
      status: 200,
      body: { clientId: op.clients.post.clientId, scope: ['api:read'], source: 'introspection' },
    });
    const [seen] = introspections(mark);
    expect(seen.status).toBe(200);
    if (rs.authMethod === 'client_secret_basic')
      expect(seen.headers.authorization).toMatch(/^Basic /);
    if (rs.authMethod === 'client_secret_post')
      expect(seen.body).toMatchObject({ client_secret: rs.clientSecret });
    if (rs.authMethod.endsWith('_jwt'))
      expect(seen.body?.client_assertion).toEqual(expect.any(String));
    expect(seen.body).toMatchObject({ token_type_hint: 'access_token' });
  });
});

describe('introspection: answers', () => {
  let api: ProtectedApi;
  beforeAll(async () => {
    api = await startApi({ cache: false });
  });

  it('a user’s opaque token: alice', async () => {
    const token = await userTokenFor(caller, OPAQUE_API);
    expect((await call(api, token.access_token)).body).toMatchObject({ sub: 'alice' });
    // Its refresh token is not an access token: oidc-provider sends no token_type
    // (and no aud) for it; refused even by an API that accepts any audience.
    expect(await call(api, token.refresh_token!)).toMatchObject({ status: 401 });
    const anyAudience = await startApi({ audience: false, cache: false });
    expect((await call(anyAudience, token.access_token)).status).toBe(200);
    expect(await call(anyAudience, token.refresh_token!)).toMatchObject({
      status: 401,
      body: { error_description: 'The token is not a bearer access token' },
    });
  });

  it('missing scope: 403', async () => {
    const res = await call(api, await serviceToken(), '/orders', 'POST');
    expect(res.status).toBe(403);
    expect(res.challenge).toContain('scope="api:write"');
  });

  it('a token for another resource: 401', async () => {
    expect(await call(api, await serviceToken(OTHER_OPAQUE_API))).toEqual({
      status: 401,
      challenge: expect.stringContaining('error="invalid_token"'),
      body: {
        error: 'invalid_token',
        error_description: 'The access token is meant for another resource',
      },
    });
  });

  it('revoked: inactive, 401', async () => {
    const token = await serviceToken();
    expect((await call(api, token)).status).toBe(200);
    await caller.revokeToken(undefined, { token, tokenTypeHint: 'access_token' });
    expect(await call(api, token)).toMatchObject({
      status: 401,
      body: { error: 'invalid_token', error_description: 'The access token is not active' },
    });
  });

  it('expired: inactive once the provider’s clock passes exp', async () => {
    const token = await serviceToken();
    moveDateOnly(601_000);
    expect((await call(api, token)).status).toBe(401);
  });

  it('an unknown token, and a JWT the provider will not introspect: 401', async () => {
    expect((await call(api, 'not-a-token-anyone-issued')).status).toBe(401);
    const jwt = await serviceToken(JWT_API);
    expect((await call(api, jwt)).status).toBe(401);
  });

  it('JWTs and opaque tokens side by side: each goes to its validator', async () => {
    const both = await startProtectedApi(
      new ResourceProtector({
        jwt: { issuer: op.issuer, audience: [JWT_API, OPAQUE_API] },
        introspection: {
          issuer: op.issuer,
          clientId: op.clients.basic.clientId,
          clientSecret: op.clients.basic.clientSecret,
          audience: OPAQUE_API,
        },
      }),
    );
    apis.push(both);
    const mark = op.requests.length;
    expect((await call(both, await serviceToken(JWT_API))).body.source).toBe('jwt');
    expect(introspections(mark)).toHaveLength(0);
    expect((await call(both, await serviceToken())).body.source).toBe('introspection');
    expect(introspections(mark)).toHaveLength(1);
  });
});

describe('introspection: the cache, counted at the provider', () => {
  it('100 requests with one token: 1 introspection call', async () => {
    const api = await startApi();
    const token = await serviceToken();
    const mark = op.requests.length;
    const half = await Promise.all(Array.from({ length: 50 }, () => call(api, token)));
    for (let i = 0; i < 50; i++) half.push(await call(api, token));
    expect(half.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(introspections(mark)).toHaveLength(1);
  });

  it('a revoked token keeps working until its entry ends, then stops', async () => {
    const api = await startApi({ cache: { ttl: 30_000 } });
    const token = await serviceToken();
    const mark = op.requests.length;
    expect((await call(api, token)).status).toBe(200);
    await caller.revokeToken(undefined, { token });
    expect((await call(api, token)).status).toBe(200);
    expect(introspections(mark)).toHaveLength(1);
    moveDateOnly(30_000);
    expect((await call(api, token)).status).toBe(401);
    expect((await call(api, token)).status).toBe(401);
    expect(introspections(mark)).toHaveLength(2);
  });

  it('an entry never outlives the token', async () => {
    const api = await startApi({ cache: { ttl: 3_600_000 } });
    const token = await serviceToken();
    const mark = op.requests.length;
    expect((await call(api, token)).status).toBe(200);
    moveDateOnly(601_000);
    expect((await call(api, token)).status).toBe(401);
    expect(introspections(mark)).toHaveLength(2);
  });
});

describe('introspection: the endpoint failing is a 502 / 504, never the token’s fault', () => {
  it('our credentials refused (invalid_client): 502', async () => {
    const api = await startApi({ clientSecret: 'wrong' });
    const res = await call(api, await serviceToken());
    expect(res).toEqual({
      status: 502,
      challenge: null,
      body: {
        error: 'temporarily_unavailable',
        error_description: 'The authorization server could not validate the token',
      },
    });
  });

  it('the endpoint unreachable: 502', async () => {
    const api = await startApi({
      issuer: undefined,
      introspectionEndpoint: 'http://127.0.0.1:1/introspect',
    });
    expect((await call(api, await serviceToken())).status).toBe(502);
  });
});
