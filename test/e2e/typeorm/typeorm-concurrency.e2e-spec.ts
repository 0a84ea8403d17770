/**
 * Single use on a real PostgreSQL, across two server instances (each its own
 * AuthorizationServer on node:http and its own DataSource, one database):
 * 20 concurrent redemptions of one code give exactly one token (revoked: the
 * others are replays); 20 concurrent
 * uses of one refresh token give exactly one rotation, the rest
 * `invalid_grant`, the race itself counts as reuse (the winner's new pair is
 * revoked with the family), and reusing it later is refused; one client
 * assertion sent 20 times is accepted once. Then the same races on the
 * storage and cache methods themselves. These fail if the conditional
 * `DELETE ... WHERE` / `UPDATE ... WHERE revoked = false` / `INSERT` of the
 * storage became a read-then-write.
 */
import { randomBytes } from 'node:crypto';
import { hashToken } from '../../../lib/server/oauth2/index.js';
import {
  TypeOrmOAuth2ServerCache,
  TypeOrmOAuth2ServerStorage,
} from '../../../lib/typeorm/index.js';
import { REDIRECT_URI, testClients, type TestClients } from '../../fixtures/auth-server/clients.js';
import {
  assertionClaims,
  basicAuth,
  obtainCode,
  signAssertion,
} from '../../fixtures/auth-server/raw-flow.js';
import { startAuthServer, type AuthServerFixture } from '../../fixtures/auth-server/server.js';
import { openDatabase, type TestDatabase } from '../../fixtures/typeorm-databases.js';

const RACERS = 20;

interface Instance {
  db: TestDatabase;
  storage: TypeOrmOAuth2ServerStorage;
  cache: TypeOrmOAuth2ServerCache;
  as: AuthServerFixture;
}

let clients: TestClients;
let a: Instance;
let b: Instance;
/** Codes in the database cache instead of the grants table (the seed's bind_cache_grant). */
let cached: AuthServerFixture;
/** Servers and databases to close, in the order opened. */
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  clients = await testClients();
  const key = randomBytes(32);
  const first = await openDatabase('postgres');
  // Instance B: its own DataSource (its own connection pool) on A's database.
  const second = await openDatabase('postgres', { url: first.url });
  opened.push(first, second);
  const instance = async (db: TestDatabase, issuer?: string): Promise<Instance> => {
    const storage = new TypeOrmOAuth2ServerStorage(db.dataSource, { clientSecretKey: key });
    const cache = new TypeOrmOAuth2ServerCache(db.dataSource);
    const as = await startAuthServer({
      storage,
      options: { replayCache: cache, ...(issuer && { issuer }) },
    });
    opened.push(as);
    return { db, storage, cache, as };
  };
  a = await instance(first);
  for (const client of clients.seed.clients) await a.storage.registerClient(client);
  // B serves the same issuer (as behind one load balancer); it routes by path.
  b = await instance(second, a.as.issuer);
  cached = await startAuthServer({
    storage: b.storage,
    options: { replayCache: b.cache, grantCache: b.cache },
  });
  opened.push(cached);
}, 120_000);

afterAll(async () => {
  for (const thing of opened.reverse()) await thing.close();
});

afterEach(() => {
  for (const as of [a.as, b.as, cached]) {
    expect(as.crashes).toEqual([]);
    expect(as.statuses.filter((s) => s >= 500)).toEqual([]);
  }
});

async function post(
  as: AuthServerFixture,
  path: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await as.post(
    path,
    form,
    basicAuth('basic-client', clients.specs.basic.secret!),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every other racer goes to the other instance. */
const racers = <T>(fn: (as: AuthServerFixture, i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: RACERS }, (_, i) => fn(i % 2 ? b.as : a.as, i)));

const active = async (token: string) => (await post(a.as, '/introspect', { token })).body.active;

describe('two instances on one PostgreSQL database', () => {
  it(`redeems a code once of ${RACERS} concurrent redemptions`, async () => {
    const { code, verifier } = await obtainCode(a.as, 'basic-client');
    const answers = await racers((as) =>
      post(as, '/token', {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
      }),
    );
    const winners = answers.filter((x) => x.status === 200);
    expect(winners).toHaveLength(1);
    expect(answers.filter((x) => x.body.error === 'invalid_grant')).toHaveLength(RACERS - 1);
    // The other 19 are replays: the tokens of the one redemption are revoked, even when a
    // replay was refused before they were saved.
    expect(await active(winners[0].body.access_token as string)).toBe(false);
    const issued = await a.db.dataSource.query(
      'SELECT count(*)::int AS n FROM oauth2_tokens WHERE family_id = $1',
      [hashToken(code)],
    );
    expect(issued).toEqual([{ n: 1 }]);
  });

  it(`rotates a refresh token once of ${RACERS} concurrent uses; its reuse then revokes the family`, async () => {
    const { code, verifier } = await obtainCode(a.as, 'basic-client');
    const first = await post(a.as, '/token', {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    });
    const refreshToken = first.body.refresh_token as string;
    const answers = await racers((as) =>
      post(as, '/token', { grant_type: 'refresh_token', refresh_token: refreshToken }),
    );
    const winners = answers.filter((x) => x.status === 200);
    expect(winners).toHaveLength(1);
    expect(
      answers.filter((x) => x.status === 400 && x.body.error === 'invalid_grant'),
    ).toHaveLength(RACERS - 1);
    // Losing the race is reuse: the losers revoked the family, the winner's new pair with it
    // (the winner saves its pair before claiming the old one).
    const [winner] = winners;
    expect(await active(winner.body.access_token as string)).toBe(false);

    const reuse = await post(b.as, '/token', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    expect(reuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await active(winner.body.refresh_token as string)).toBe(false);
    expect(await active(first.body.access_token as string)).toBe(false);
    const live = await a.db.dataSource.query(
      'SELECT count(*)::int AS n FROM oauth2_tokens WHERE family_id = $1 AND revoked = false',
      [hashToken(code)],
    );
    expect(live).toEqual([{ n: 0 }]);
  });

  it(`accepts one client assertion once of ${RACERS} concurrent uses`, async () => {
    const spec = clients.specs.es256;
    const assertion = await signAssertion(
      spec.key!.privateKey,
      { alg: spec.key!.alg, kid: spec.key!.kid },
      assertionClaims(spec.clientId, a.as.server.endpoints.token),
    );
    const answers = await racers(async (as) => {
      const response = await as.post('/token', {
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      });
      return response.status;
    });
    expect(answers.filter((s) => s === 200)).toHaveLength(1);
    expect(answers.filter((s) => s === 401)).toHaveLength(RACERS - 1);
  });

  it(`redeems a code held in the database cache once of ${RACERS} concurrent redemptions`, async () => {
    const { code, verifier } = await obtainCode(cached, 'basic-client');
    const answers = await Promise.all(
      Array.from({ length: RACERS }, () =>
        post(cached, '/token', {
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT_URI,
        }),
      ),
    );
    expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
    expect(answers.filter((x) => x.body.error === 'invalid_grant')).toHaveLength(RACERS - 1);
  });
});

describe('storage and cache methods raced from two connection pools', () => {
  const both = <T>(fn: (instance: Instance) => Promise<T>) =>
    Promise.all(Array.from({ length: RACERS }, (_, i) => fn(i % 2 ? b : a)));
  const now = () => Math.floor(Date.now() / 1000);

  it('deleteGrant is true for exactly one caller', async () => {
    const codeHash = hashToken(randomBytes(32).toString('base64url'));
    await a.storage.saveGrant({
      codeHash,
      clientId: 'basic-client',
      subject: 'user-0001',
      scope: ['openid'],
      expiresAt: now() + 60,
    });
    const results = await both((x) => x.storage.deleteGrant(codeHash));
    expect(results.filter((r) => r === true)).toHaveLength(1);
    expect(await a.storage.getGrant(codeHash)).toBeUndefined();
  });

  it('revokeToken({ id }) is true for exactly one caller, and revoked records stay readable', async () => {
    const id = randomBytes(16).toString('hex');
    const refreshTokenHash = hashToken(id);
    await a.storage.saveToken({
      id,
      familyId: `family-${id}`,
      clientId: 'basic-client',
      scope: ['openid'],
      accessTokenHash: hashToken(`access-${id}`),
      accessTokenExpiresAt: now() + 3600,
      refreshTokenHash,
      refreshTokenExpiresAt: now() + 86400,
      issuedAt: now(),
    });
    const results = await both((x) => x.storage.revokeToken({ id }));
    expect(results.filter((r) => r === true)).toHaveLength(1);
    expect(await b.storage.getToken({ refreshTokenHash })).toMatchObject({ id, revoked: true });
    expect(await a.storage.revokeToken({ familyId: `family-${id}` })).toBe(false);
  });

  it('the cache adds a key for exactly one caller, and hands a value to exactly one taker', async () => {
    const key = `jti:${randomBytes(8).toString('hex')}`;
    const added = await both((x) => x.cache.add(key, 1, 60));
    expect(added.filter((r) => r === true)).toHaveLength(1);
    await a.cache.set(`${key}:v`, { grant: 1 }, 60);
    const taken = await both((x) => x.cache.take(`${key}:v`));
    expect(taken.filter((v) => v !== undefined)).toEqual([{ grant: 1 }]);
  });
});
