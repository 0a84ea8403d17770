/**
 * One refresh across processes (issue 16): 4 worker processes, each an app
 * instance with an OAuth2Client whose `refreshLock` comes from
 * RedisOAuthStore, refresh one expired token from oidc-provider (rotating
 * refresh tokens, reuse detection: a spent refresh token used again is
 * refused and revokes the whole grant). The provider runs in this process;
 * the workers reach it over HTTP, refreshes through a gate (token-gate.ts)
 * that can slow them or hold them. The app's token database is a Redis of
 * its own, so the lock's Redis can be stopped alone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { OAuth2Client } from '../../../lib/core/oauth2/oauth2-client.js';
import type { OAuth2Token } from '../../../lib/core/token.js';
import { RedisOAuthStore, refreshLockKey } from '../../../lib/redis/index.js';
import { BrowserClient } from '../../fixtures/browser-client.js';
import { FAULT_ROUTES, startFaultServer, type FaultServer } from '../../fixtures/fault-server.js';
import { startOidcProvider, type OidcProviderFixture } from '../../fixtures/oidc-provider.js';
import { forkWorker, type ProcessWorker } from '../../fixtures/process-worker.js';
import { startRedisServer, type RedisTestServer } from '../../fixtures/redis-server.js';
import type { StormArgs, StormResult } from '../../fixtures/refresh-worker.js';
import { startTokenGate, type TokenGate } from '../../fixtures/token-gate.js';

const WORKER = new URL('../../fixtures/refresh-worker.ts', import.meta.url);
const PREFIX = 'refresh-test:';
const REDIRECT_URI = 'http://127.0.0.1:1/callback';

let op: OidcProviderFixture;
let api: FaultServer;
let gate: TokenGate;
let lockRedis: RedisTestServer;
let dbRedis: RedisTestServer;
/** The app's token database, as the test sees it. */
let db: RedisOAuthStore;
let workers: ProcessWorker[] = [];
let logins = 0;

function clientSettings() {
  return {
    clientId: op.clients.basic.clientId,
    clientSecret: op.clients.basic.clientSecret,
    redirectUri: REDIRECT_URI,
    serverMetadataUrl: op.discoveryUrl,
    refreshTokenEndpoint: `${gate.url}/token`,
    timeout: 10_000,
  };
}

async function startWorker(): Promise<ProcessWorker> {
  const worker = await forkWorker(WORKER);
  await worker.call('init', {
    lockUrl: lockRedis.url,
    dbUrl: dbRedis.url,
    keyPrefix: PREFIX,
    client: clientSettings(),
  });
  return worker;
}

/** Logs alice in (a new grant), saves her token expired in the token database, returns its key. */
async function expiredLogin(): Promise<{ key: string; stale: OAuth2Token }> {
  const client = new OAuth2Client({ ...clientSettings(), scope: 'openid offline_access' });
  await client.loadServerMetadata();
  const flow = client.createAuthorizationUrl();
  const { callbackUrl } = await new BrowserClient().loginAtProvider(flow.url);
  const token = await client.fetchToken(undefined, { authorizationResponse: callbackUrl });
  expect(token.refresh_token).toEqual(expect.any(String));
  const stale = { ...token, expires_at: Math.floor(Date.now() / 1000) - 10 };
  const key = `token:alice:${++logins}`;
  await db.set(key, stale);
  return { key, stale };
}

/** Every key in the lock's Redis. */
async function lockKeys(): Promise<string[]> {
  const raw = new Redis(lockRedis.url);
  try {
    return await raw.keys('*');
  } finally {
    raw.disconnect();
  }
}

/** The refresh grants the provider handled since `mark`, with their statuses. */
function refreshGrants(mark: number): number[] {
  return op.requests
    .slice(mark)
    .filter((r) => r.path === '/token' && r.body?.grant_type === 'refresh_token')
    .map((r) => r.status ?? 0);
}

function storm(worker: ProcessWorker, args: Partial<StormArgs> & { tokenKey: string }) {
  return worker.call<StormResult[]>('storm', {
    n: 25,
    url: api.url(FAULT_ROUTES.resource),
    mode: 'stateless',
    ...args,
  });
}

/** The access token is valid at the provider (its UserInfo endpoint accepts it). */
async function acceptedByProvider(token: OAuth2Token): Promise<boolean> {
  const res = await fetch(`${op.issuer}/me`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  await res.arrayBuffer();
  return res.status === 200;
}

beforeAll(async () => {
  [op, api, lockRedis, dbRedis] = await Promise.all([
    startOidcProvider({ redirectUris: [REDIRECT_URI] }),
    startFaultServer(),
    startRedisServer(),
    startRedisServer(),
  ]);
  gate = await startTokenGate(op.issuer);
  db = await RedisOAuthStore.connect({ url: dbRedis.url, keyPrefix: PREFIX });
  workers = await Promise.all([1, 2, 3, 4].map(() => startWorker()));
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await db?.close();
  await Promise.all([op?.close(), api?.close(), gate?.close(), lockRedis?.stop(), dbRedis?.stop()]);
});

afterEach(() => {
  gate.open();
  gate.delayMs = 0;
  expect(op.serverErrors).toEqual([]);
});

describe.each(['stateless', 'stateful'] as const)(
  '4 processes x 25 requests (%s clients)',
  (mode) => {
    it('one expired token: exactly 1 refresh at the provider, every request served with the new token', async () => {
      const { key, stale } = await expiredLogin();
      // A slow token endpoint: every process is in the storm while the refresh is in flight.
      gate.delayMs = 300;
      const mark = op.requests.length;
      // A token database that takes 100 ms to save: the lock is held until it has.
      const args = { tokenKey: key, mode, saveDelayMs: 100 };
      const results = (await Promise.all(workers.map((w) => storm(w, args)))).flat();

      expect(refreshGrants(mark)).toEqual([200]);
      const fresh = (await db.get(key)) as OAuth2Token;
      expect(fresh.access_token).not.toBe(stale.access_token);
      expect(fresh.refresh_token).not.toBe(stale.refresh_token);
      expect(results).toHaveLength(100);
      expect(new Set(results.map((r) => JSON.stringify(r)))).toEqual(
        new Set([JSON.stringify({ status: 200, authorization: `Bearer ${fresh.access_token}` })]),
      );
      // No invalid_grant: the grant is alive, and the rotated refresh token works.
      expect(await acceptedByProvider(fresh)).toBe(true);
      const check = new OAuth2Client(clientSettings());
      await check.loadServerMetadata();
      const next = await check.refreshToken(`${op.issuer}/token`, {
        refreshToken: fresh.refresh_token,
      });
      expect(next.access_token).toEqual(expect.any(String));
    }, 60_000);
  },
);

describe('a lock holder killed mid-refresh', () => {
  it('its lock expires; the next request refreshes once', async () => {
    const { key, stale } = await expiredLogin();
    const ttlMs = 1000;
    const doomed = await startWorker();
    const mark = op.requests.length;
    const before = gate.received;
    gate.shut();
    try {
      const doomedStorm = storm(doomed, { tokenKey: key, n: 5, ttlMs }).catch((e: Error) => e);
      await gate.arrived(1);
      // Another instance comes in while the lock is held: it waits.
      const survivor = storm(workers[0], { tokenKey: key, n: 5, ttlMs, waitMs: 15_000 });
      await sleep(2 * ttlMs);
      // The holder is alive and renews its lock: the survivor still waits, not at the provider.
      expect(gate.received - before).toBe(1);
      expect(refreshGrants(mark)).toEqual([]);
      // The lock's key names the client and the refresh token's SHA-256, never the token.
      expect(await lockKeys()).toEqual([
        `${PREFIX}lock:${refreshLockKey('op', stale.refresh_token!)}`,
      ]);
      expect(JSON.stringify(await lockKeys())).not.toContain(stale.refresh_token);

      await doomed.kill('SIGKILL');
      const killedAt = Date.now();
      expect(await doomedStorm).toEqual(new Error('the worker process exited'));
      // Its refresh never reaches the provider (it died before the request left the gate).
      while (gate.dropped < 1) await sleep(10);
      gate.open();
      const results = await survivor;
      const sinceKill = Date.now() - killedAt;

      expect(refreshGrants(mark)).toEqual([200]);
      const fresh = (await db.get(key)) as OAuth2Token;
      expect(results).toEqual(
        Array(5).fill({ status: 200, authorization: `Bearer ${fresh.access_token}` }),
      );
      expect(sinceKill).toBeLessThan(ttlMs + 3_000);
      expect(await acceptedByProvider(fresh)).toBe(true);
    } finally {
      await doomed.kill('SIGKILL');
    }
  }, 60_000);
});

describe('a waiter that waits too long', () => {
  it('gets RedisLockTimeoutError (no refresh of its own, no hang); the holder finishes', async () => {
    const { key } = await expiredLogin();
    const mark = op.requests.length;
    gate.shut();
    const holder = storm(workers[0], { tokenKey: key, n: 5 });
    await gate.arrived(1);
    const started = Date.now();
    const waiter = await storm(workers[1], { tokenKey: key, n: 5, waitMs: 300 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(waiter).toEqual(Array(5).fill({ error: 'RedisLockTimeoutError', code: 'lock_timeout' }));
    gate.open();
    const fresh = await holder;
    expect(refreshGrants(mark)).toEqual([200]);
    const saved = (await db.get(key)) as OAuth2Token;
    expect(fresh).toEqual(
      Array(5).fill({ status: 200, authorization: `Bearer ${saved.access_token}` }),
    );
  }, 60_000);
});

describe('the lock’s Redis stopped and started', () => {
  const unavailable = { error: 'RedisUnavailableError', code: 'redis_unavailable' };

  it('stopped before a storm: every request fails with RedisUnavailableError, no refresh; back: one refresh', async () => {
    const { key } = await expiredLogin();
    const mark = op.requests.length;
    await lockRedis.kill();
    try {
      const started = Date.now();
      const results = (await Promise.all(workers.map((w) => storm(w, { tokenKey: key })))).flat();
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(results).toEqual(Array(100).fill(unavailable));
      expect(refreshGrants(mark)).toEqual([]);
    } finally {
      await lockRedis.start();
    }
    await Promise.all(workers.map((w) => w.call('ready')));
    gate.delayMs = 300;
    const results = (await Promise.all(workers.map((w) => storm(w, { tokenKey: key })))).flat();
    const fresh = (await db.get(key)) as OAuth2Token;
    expect(refreshGrants(mark)).toEqual([200]);
    expect(results).toEqual(
      Array(100).fill({ status: 200, authorization: `Bearer ${fresh.access_token}` }),
    );
  }, 60_000);

  it('stopped while one process refreshes: its refresh completes once, the waiters fail with RedisUnavailableError', async () => {
    const { key } = await expiredLogin();
    const mark = op.requests.length;
    gate.shut();
    const storms = workers.map((w) => storm(w, { tokenKey: key }));
    await gate.arrived(1);
    await sleep(200);
    await lockRedis.kill();
    try {
      gate.open();
      const perWorker = await Promise.all(storms);
      const fresh = (await db.get(key)) as OAuth2Token;
      const served = { status: 200, authorization: `Bearer ${fresh.access_token}` };
      // The holder's process is served; every other process fails closed.
      const outcomes = perWorker.map((results) =>
        results.every((r) => JSON.stringify(r) === JSON.stringify(served))
          ? 'served'
          : results.every((r) => JSON.stringify(r) === JSON.stringify(unavailable))
            ? 'unavailable'
            : JSON.stringify(results),
      );
      expect(outcomes.sort()).toEqual(['served', 'unavailable', 'unavailable', 'unavailable']);
      expect(refreshGrants(mark)).toEqual([200]);
      expect(await acceptedByProvider(fresh)).toBe(true);
    } finally {
      await lockRedis.start();
    }
    await Promise.all(workers.map((w) => w.call('ready')));
    // Back: the saved token is fresh, so requests are served without another refresh.
    const after = (await Promise.all(workers.map((w) => storm(w, { tokenKey: key, n: 5 })))).flat();
    const fresh = (await db.get(key)) as OAuth2Token;
    expect(after).toEqual(
      Array(20).fill({ status: 200, authorization: `Bearer ${fresh.access_token}` }),
    );
    expect(refreshGrants(mark)).toEqual([200]);
  }, 60_000);
});

describe('the provider really detects reuse', () => {
  it('a spent refresh token used again is refused with invalid_grant and revokes the grant', async () => {
    const { stale } = await expiredLogin();
    const client = new OAuth2Client(clientSettings());
    await client.loadServerMetadata();
    const fresh = await client.refreshToken(`${op.issuer}/token`, {
      refreshToken: stale.refresh_token,
    });
    await expect(
      client.refreshToken(`${op.issuer}/token`, { refreshToken: stale.refresh_token }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await acceptedByProvider(fresh)).toBe(false);
  });
});
