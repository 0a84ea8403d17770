/**
 * Issue 16 through the Nest module: the docs/several-instances.md app, each
 * instance a separate Node process with `OAuthModule` and the Redis cache,
 * against oidc-provider with rotating refresh tokens and reuse detection (a
 * refresh token used twice is refused and revokes the whole grant). The
 * provider's UserInfo endpoint is the API the app calls: it answers only a
 * valid token. See test/fixtures/several-instances/cluster.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BrowserClient } from '../../fixtures/browser-client.js';
import { TEST_USER } from '../../fixtures/oidc-provider.js';
import {
  startCluster,
  type Cluster,
  type Instance,
} from '../../fixtures/several-instances/cluster.js';
import { pageBlocks } from '../../fixtures/several-instances/docs-page.js';

let cluster: Cluster;
/**
 * Four instances of the app: two with Redis from OAUTH_REDIS_URL (default lock timings), two
 * with a RedisOAuthStore of their own (lock TTL 3 s, wait 5 s); one Redis, one lock for all.
 */
let instances: Instance[];

beforeAll(async () => {
  cluster = await startCluster('several-processes');
  instances = await Promise.all(
    ['app', 'app', 'store', 'store'].map((module) => cluster.instance(module)),
  );
}, 120_000);

afterAll(() => cluster?.close());

afterEach(() => {
  cluster.gate.open();
  cluster.gate.delayMs = 0;
  expect(cluster.op.serverErrors).toEqual([]);
});

/** `n` concurrent `GET /profile` on each instance. */
function storm(on: Instance[], sid: string, n = 25) {
  return Promise.all(
    on.flatMap((instance) => Array.from({ length: n }, () => cluster.profile(instance, sid))),
  );
}

it('the instances get the settings docs/several-instances.md lists (and the test’s gate)', () => {
  const documented = pageBlocks('sh')[0]
    .split('\n')
    .map((line) => line.split('=')[0]);
  expect(Object.keys(cluster.env()).sort()).toEqual([...documented, 'OP_REFRESH_TOKEN_URL'].sort());
});

describe('one expired token, 4 instances x 25 concurrent requests', () => {
  it('exactly 1 refresh at the provider; every request served with the new token; no invalid_grant', async () => {
    const sid = await cluster.login(instances[0], instances[1]);
    const stale = await cluster.expire(sid);
    // A slow token endpoint: every instance is in the storm while the refresh is in flight.
    cluster.gate.delayMs = 300;
    const mark = cluster.op.requests.length;

    const answers = await storm(instances, sid);

    expect(cluster.refreshGrants(mark)).toEqual([200]);
    const fresh = await cluster.saved(sid);
    expect(fresh.access_token).not.toBe(stale.access_token);
    expect(fresh.refresh_token).not.toBe(stale.refresh_token);
    expect(answers).toHaveLength(100);
    expect(answers).toEqual(Array(100).fill({ status: 200, body: expect.any(Object) }));
    expect(new Set(answers.map((a) => a.body.sub))).toEqual(new Set([TEST_USER.sub]));
    // Every API call carried the new token, and the provider accepted each.
    expect(cluster.userinfoCalls(mark)).toEqual(
      Array(100).fill({ authorization: `Bearer ${fresh.access_token}`, status: 200 }),
    );
    // The grant is alive: the rotated refresh token works (reuse would have revoked it).
    await cluster.expire(sid);
    const next = cluster.op.requests.length;
    expect(await cluster.profile(instances[2], sid)).toMatchObject({ status: 200 });
    expect(cluster.refreshGrants(next)).toEqual([200]);
  }, 120_000);
});

/** The lock keys in the lock's Redis. */
function lockKeys(): Promise<string[]> {
  return cluster.withLockRedis((redis) => redis.keys('nestjs-oauth:lock:*'));
}

describe('a login across instances, state in Redis', () => {
  it('starts on one instance, completes on another; the replayed state is refused on a third', async () => {
    const browser = new BrowserClient();
    const { proxy } = cluster;
    proxy.target = instances[0].port;
    const start = await browser.request(`${proxy.url}/login`);
    expect(start.status).toBe(302);
    // The state is in Redis; the cookie only binds the browser (a random id, not the data).
    const stateKeys = await cluster.withLockRedis((redis) =>
      redis.keys('nestjs-oauth:cache:oauth:state:*'),
    );
    expect(stateKeys).toEqual([
      expect.stringMatching(/^nestjs-oauth:cache:oauth:state:op:[\w-]{43}:[\w-]{22}$/),
    ]);
    const [binding] = browser.jar.all(proxy.url).filter((c) => c.name.startsWith('oauth_op_'));
    expect(binding.value).toMatch(/^[\w-]{43}$/);

    const { callbackUrl } = await browser.loginAtProvider(start.location!);
    proxy.target = instances[3].port;
    const cookie = browser.jar.headerFor(callbackUrl)!;
    const back = await browser.request(callbackUrl);
    expect(back.status).toBe(200);
    expect(JSON.parse(back.body)).toEqual({ loggedIn: true });
    const sid = browser.jar.get(proxy.url, 'sid')!;
    expect(await cluster.profile(instances[1], sid)).toMatchObject({
      status: 200,
      body: { sub: TEST_USER.sub },
    });
    // Used once, gone everywhere: the same callback with the same cookie, on another instance.
    proxy.target = instances[2].port;
    const replay = await fetch(callbackUrl, { headers: { cookie } });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({
      statusCode: 400,
      error: 'mismatching_state',
      message: 'The state does not match a login started in this browser',
    });
    expect(
      await cluster.withLockRedis((redis) => redis.keys('nestjs-oauth:cache:oauth:state:*')),
    ).toEqual([]);
  }, 60_000);
});

describe('a lock holder killed mid-refresh', () => {
  it('its lock expires (TTL 3 s); the next request refreshes once', async () => {
    const doomed = await cluster.instance('store');
    const sid = await cluster.login(instances[0]);
    const stale = await cluster.expire(sid);
    const { gate } = cluster;
    const mark = cluster.op.requests.length;
    gate.shut();
    const doomedAnswers = storm([doomed], sid, 5).catch((e: Error) => e);
    await gate.arrived(1);
    // The lock: the client's name and the refresh token's SHA-256, never the token; TTL 3 s.
    const [key] = await lockKeys();
    expect(key).toMatch(/^nestjs-oauth:lock:refresh:op:[\w-]{43}$/);
    expect(key).not.toContain(stale.refresh_token);
    const ttl = await cluster.withLockRedis((redis) => redis.pttl(key));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3_000);

    await doomed.worker.kill('SIGKILL');
    const killedAt = Date.now();
    // Its clients see the connection drop (no answer from a dead process).
    expect(await doomedAnswers).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    // Its refresh never reaches the provider (it died while the request was held).
    while (gate.dropped < 1) await sleep(10);
    gate.open();
    // Another instance's request waits for the dead holder's lock to expire, then refreshes once.
    const answers = await storm([instances[2]], sid, 5);
    const sinceKill = Date.now() - killedAt;

    expect(cluster.refreshGrants(mark)).toEqual([200]);
    const fresh = await cluster.saved(sid);
    expect(fresh.refresh_token).not.toBe(stale.refresh_token);
    expect(answers).toEqual(
      Array(5).fill({ status: 200, body: expect.objectContaining({ sub: TEST_USER.sub }) }),
    );
    expect(cluster.userinfoCalls(mark)).toEqual(
      Array(5).fill({ authorization: `Bearer ${fresh.access_token}`, status: 200 }),
    );
    expect(sinceKill).toBeLessThan(3_000 + 3_000);
    expect(await lockKeys()).toEqual([]);
  }, 60_000);
});

describe('a waiter that waits too long', () => {
  it('gets a 503 after lockWaitMs (no refresh of its own, no hang); the holder finishes', async () => {
    const sid = await cluster.login(instances[0]);
    await cluster.expire(sid);
    const { gate } = cluster;
    const mark = cluster.op.requests.length;
    gate.shut();
    const holder = storm([instances[0]], sid, 5);
    await gate.arrived(1);
    const started = Date.now();
    const waited = await storm([instances[3]], sid, 5);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(4_500);
    expect(elapsed).toBeLessThan(9_000);
    expect(waited).toEqual(
      Array(5).fill({
        status: 503,
        body: {
          statusCode: 503,
          error: 'temporarily_unavailable',
          message: 'Another instance is refreshing this token: try again',
        },
      }),
    );
    gate.open();
    const served = await holder;
    const fresh = await cluster.saved(sid);
    expect(cluster.refreshGrants(mark)).toEqual([200]);
    expect(served).toEqual(
      Array(5).fill({ status: 200, body: expect.objectContaining({ sub: TEST_USER.sub }) }),
    );
    expect(cluster.userinfoCalls(mark)).toEqual(
      Array(5).fill({ authorization: `Bearer ${fresh.access_token}`, status: 200 }),
    );
  }, 60_000);
});
