/**
 * Issue 16, Redis faults through the Nest module: the lock's Redis stopped
 * and started while the docs/several-instances.md app runs in separate
 * processes. At start-up the app refuses to start, naming OAUTH_REDIS_URL;
 * mid-flight a login or an API call that needs Redis answers 503
 * `temporarily_unavailable` (never a 500, never a refresh without the lock);
 * once Redis is back the same processes work again by themselves.
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

/** The 503 docs/several-instances.md shows: what every request that needs the lost Redis gets. */
const UNAVAILABLE = { status: 503, body: JSON.parse(pageBlocks('json')[0]) };
const served = () => ({ status: 200, body: expect.objectContaining({ sub: TEST_USER.sub }) });

let cluster: Cluster;
let instances: Instance[];

beforeAll(async () => {
  cluster = await startCluster('several-faults');
  instances = await Promise.all([1, 2].map(() => cluster.instance('app')));
}, 120_000);

afterAll(() => cluster?.close());

afterEach(async () => {
  cluster.gate.open();
  await cluster.lockRedis.start();
  expect(cluster.op.serverErrors).toEqual([]);
});

function storm(sid: string, n = 10) {
  return Promise.all(
    instances.flatMap((instance) =>
      Array.from({ length: n }, () => cluster.profile(instance, sid)),
    ),
  );
}

/** Waits until every instance has reconnected by itself: `/login` answers 302 again. */
async function reconnected(): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (const instance of instances) {
    for (;;) {
      const response = await fetch(`${instance.url}/login`, { redirect: 'manual' });
      await response.arrayBuffer();
      if (response.status === 302) break;
      expect(response.status).toBe(503);
      if (Date.now() > deadline) throw new Error('the instances did not reconnect to Redis');
      await sleep(100);
    }
  }
}

it('the documented 503 is temporarily_unavailable', () => {
  expect(UNAVAILABLE.body).toMatchObject({ statusCode: 503, error: 'temporarily_unavailable' });
});

describe('Redis down at start-up', () => {
  it('the app does not start; the error names OAUTH_REDIS_URL, not its password', async () => {
    await cluster.lockRedis.kill();
    const url = `redis://app:pa55-w0rd-secret@127.0.0.1:${cluster.lockRedis.port}`;
    const failed = await cluster.instance('app', { OAUTH_REDIS_URL: url }).catch((e) => e);
    expect(failed).toMatchObject({ name: 'RedisConnectError', code: 'redis_connect_failed' });
    expect(failed.message).toBe(
      `cannot connect to Redis at redis://127.0.0.1:${cluster.lockRedis.port} within 10000 ms ` +
        '(ECONNREFUSED): check OAUTH_REDIS_URL',
    );
    // Back: the same settings start.
    await cluster.lockRedis.start();
    const late = await cluster.instance('app');
    expect(await fetch(`${late.url}/login`, { redirect: 'manual' })).toMatchObject({ status: 302 });
    await late.worker.kill();
  }, 60_000);

  it('a malformed OAUTH_REDIS_URL stops the start-up naming the setting, not the value', async () => {
    const failed = await cluster
      .instance('app', { OAUTH_REDIS_URL: 'http://user:pa55-w0rd@redis.internal' })
      .catch((e) => e);
    expect(failed).toMatchObject({
      name: 'OAuthConfigError',
      message:
        'OAuth module: OAUTH_REDIS_URL must be a redis:// or rediss:// URL (or pass an ioredis client)',
    });
  }, 60_000);
});

describe('Redis lost, then back', () => {
  it('stopped: logins and refreshes answer 503 (no refresh without the lock), valid tokens still work; back: one refresh', async () => {
    const valid = await cluster.login(instances[0]);
    const sid = await cluster.login(instances[1]);
    await cluster.expire(sid);
    const browser = new BrowserClient();
    const pending = await browser.request(`${instances[0].url}/login`);
    expect(pending.status).toBe(302);
    const mark = cluster.op.requests.length;

    await cluster.lockRedis.kill();
    const started = Date.now();
    expect(await storm(sid)).toEqual(Array(20).fill(UNAVAILABLE));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(cluster.refreshGrants(mark)).toEqual([]);
    // A login cannot save its state, and a callback cannot read it: 503, not 400 or 500.
    const login = await fetch(`${instances[1].url}/login`, { redirect: 'manual' });
    expect({ status: login.status, body: await login.json() }).toEqual(UNAVAILABLE);
    const { callbackUrl } = await browser.loginAtProvider(pending.location!);
    const back = await browser.request(callbackUrl.replace(cluster.proxy.url, instances[0].url));
    expect({ status: back.status, body: JSON.parse(back.body) }).toEqual(UNAVAILABLE);
    // A token that has not expired needs no Redis.
    expect(await cluster.profile(instances[0], valid)).toEqual(served());

    await cluster.lockRedis.start();
    await reconnected();
    cluster.gate.delayMs = 200;
    const answers = await storm(sid);
    const fresh = await cluster.saved(sid);
    expect(cluster.refreshGrants(mark)).toEqual([200]);
    expect(answers).toEqual(Array(20).fill(served()));
    expect(cluster.userinfoCalls(mark).slice(-20)).toEqual(
      Array(20).fill({ authorization: `Bearer ${fresh.access_token}`, status: 200 }),
    );
  }, 90_000);

  it('stopped while one instance refreshes: it finishes once, the other answers 503', async () => {
    const sid = await cluster.login(instances[0]);
    await cluster.expire(sid);
    const { gate } = cluster;
    const mark = cluster.op.requests.length;
    gate.shut();
    const perInstance = instances.map((instance) =>
      Promise.all(Array.from({ length: 10 }, () => cluster.profile(instance, sid))),
    );
    await gate.arrived(1);
    await sleep(200);
    await cluster.lockRedis.kill();
    gate.open();
    const answers = await Promise.all(perInstance);

    expect(cluster.refreshGrants(mark)).toEqual([200]);
    const outcomes = answers.map((list) =>
      list.every((a) => a.status === 200 && a.body.sub === TEST_USER.sub)
        ? 'served'
        : list.every((a) => JSON.stringify(a) === JSON.stringify(UNAVAILABLE))
          ? 'unavailable'
          : JSON.stringify(list),
    );
    expect(outcomes.sort()).toEqual(['served', 'unavailable']);
    const fresh = await cluster.saved(sid);
    expect(cluster.userinfoCalls(mark)).toEqual(
      Array(10).fill({ authorization: `Bearer ${fresh.access_token}`, status: 200 }),
    );
    await cluster.lockRedis.start();
    await reconnected();
    // Back: the saved token is fresh, so both instances serve it without another refresh.
    expect(await storm(sid, 3)).toEqual(Array(6).fill(served()));
    expect(cluster.refreshGrants(mark)).toEqual([200]);
  }, 90_000);
});

describe('shutdown', () => {
  it('closes the Redis connection the module opened', async () => {
    const clients = () =>
      cluster.withLockRedis(async (redis) => {
        const list = (await redis.client('LIST')) as string;
        return list.split('\n').filter((line) => line.includes('addr=')).length - 1;
      });
    const before = await clients();
    const extra = await cluster.instance('app');
    expect(await clients()).toBe(before + 1);
    await extra.worker.call('stop');
    expect(await clients()).toBe(before);
    await extra.worker.kill();
  }, 60_000);
});
