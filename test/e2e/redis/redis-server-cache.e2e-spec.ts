/**
 * Issue 13 (`bind_cache_grant`) on issue 16's Redis: two authorization-server
 * instances with one issuer (as behind a load balancer) keep their codes and
 * used client-assertion ids in one real `redis-server` through
 * `RedisOAuthStore` (`grantCache`, `replayCache`). Each instance has its own
 * Redis connection; the storage holds clients and tokens only (no grant
 * methods). A code redeemed on both at once is redeemed once, and the loser
 * revokes what the winner got; an assertion used on one is refused on the
 * other; Redis never holds a code in clear.
 */
import { Redis } from 'ioredis';
import { RedisOAuthStore } from '../../../lib/redis/index.js';
import {
  AuthorizationServer,
  MemoryOAuth2ServerStorage,
  type OAuth2ServerStorage,
} from '../../../lib/server/index.js';
import type { ServerRequest, ServerResponse } from '../../../lib/server/http/server-request.js';
import { testClients, REDIRECT_URI, type TestClients } from '../../fixtures/auth-server/clients.js';
import { serverSigningKeys } from '../../fixtures/auth-server/keys.js';
import {
  authorizationUrl,
  basicAuth,
  clientAuthFields,
} from '../../fixtures/auth-server/raw-flow.js';
import { approve, type AuthServerFixture } from '../../fixtures/auth-server/server.js';
import { startRedisServer, type RedisTestServer } from '../../fixtures/redis-server.js';

const ISSUER = 'https://as.example.test';
const FORM = 'application/x-www-form-urlencoded';

let redis: RedisTestServer;
let clients: TestClients;
let stores: RedisOAuthStore[];
let instances: AuthorizationServer[];

beforeAll(async () => {
  redis = await startRedisServer();
  clients = await testClients();
  const memory = new MemoryOAuth2ServerStorage(clients.seed);
  // Codes live in the cache only: the storage has no grant methods at all.
  const storage = Object.assign(Object.create(memory) as OAuth2ServerStorage, {
    saveGrant: undefined,
    getGrant: undefined,
    deleteGrant: undefined,
  });
  const keys = serverSigningKeys();
  stores = [0, 1].map(() => new RedisOAuthStore({ url: redis.url }));
  await Promise.all(stores.map((s) => s.connect()));
  instances = stores.map(
    (store) =>
      new AuthorizationServer({
        issuer: ISSUER,
        storage,
        keys: [keys.RS256],
        grantCache: store,
        replayCache: store,
      }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all((stores ?? []).map((s) => s.close()));
  await redis?.stop();
});

const send = (server: AuthorizationServer, request: ServerRequest) =>
  server.handle(request, { authorize: approve }) as Promise<ServerResponse>;

function post(server: AuthorizationServer, form: Record<string, string>, headers = {}) {
  return send(server, {
    method: 'POST',
    url: `${ISSUER}/token`,
    headers: { 'content-type': FORM, ...headers },
    body: new URLSearchParams(form).toString(),
    contentType: FORM,
  });
}

/** A code from `server`'s authorization endpoint, for the basic client. */
async function code(server: AuthorizationServer) {
  const { url, verifier } = authorizationUrl(
    { server } as AuthServerFixture,
    clients.specs.basic.clientId,
  );
  const answer = await send(server, { method: 'GET', url: url.href, headers: {} });
  const location = new URL(String(answer.headers.Location ?? answer.headers.location));
  return { code: location.searchParams.get('code')!, verifier };
}

function redeem(server: AuthorizationServer, issued: { code: string; verifier: string }) {
  const { clientId, secret } = clients.specs.basic;
  return post(
    server,
    {
      grant_type: 'authorization_code',
      code: issued.code,
      code_verifier: issued.verifier,
      redirect_uri: REDIRECT_URI,
    },
    basicAuth(clientId, secret!),
  );
}

const json = (answer: ServerResponse) =>
  JSON.parse(String(answer.body)) as { access_token?: string; error?: string };

describe('cache-held codes and assertion ids in Redis, two instances', () => {
  it('a code issued by one instance is redeemed on the other', async () => {
    const answer = await redeem(instances[1], await code(instances[0]));
    expect(answer.status).toBe(200);
    expect(await instances[0].findAccessToken(json(answer).access_token!)).toBeDefined();
  });

  it('a code redeemed on both at once: one wins, the other is refused and revokes the winner’s tokens', async () => {
    for (let round = 0; round < 10; round++) {
      const issued = await code(instances[round % 2]);
      const answers = await Promise.all(instances.map((server) => redeem(server, issued)));
      const won = answers.filter((a) => a.status === 200);
      const lost = answers.filter((a) => a.status !== 200);
      expect(won).toHaveLength(1);
      expect(lost.map((a) => [a.status, json(a).error])).toEqual([[400, 'invalid_grant']]);
      // The replay revoked what the code gave, on every instance (RFC 6749 §10.5).
      const token = json(won[0]).access_token!;
      for (const server of instances) expect(await server.findAccessToken(token)).toBeUndefined();
    }
  });

  it('a client assertion used on one instance is refused on the other', async () => {
    const { form, headers } = await clientAuthFields(
      { server: instances[0] } as AuthServerFixture,
      clients.specs.rs256,
    );
    const grant = { grant_type: 'client_credentials', scope: 'api:read', ...form };
    expect((await post(instances[0], grant, headers)).status).toBe(200);
    const replay = await post(instances[1], grant, headers);
    expect([replay.status, json(replay).error]).toEqual([401, 'invalid_client']);
  });

  it('keeps no code in clear in Redis', async () => {
    const issued = await code(instances[0]);
    const raw = new Redis(redis.url);
    try {
      const keys = await raw.keys('*');
      expect(keys.length).toBeGreaterThan(0);
      const values = await Promise.all(keys.map((k) => raw.get(k).catch(() => '')));
      expect(`${keys.join('\n')}\n${values.join('\n')}`).not.toContain(issued.code);
    } finally {
      raw.disconnect();
    }
  });
});
