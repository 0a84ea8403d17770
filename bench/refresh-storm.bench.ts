/**
 * Benchmark 5: refresh storm. 1,000 concurrent `OAuth2Client.get` calls on a
 * client whose token has expired (with a refresh token): how many refresh
 * calls reach the token endpoint (must be exactly 1, and `updateToken` must
 * run once) and how long until all 1,000 answers are in.
 *
 * The floor it is compared with does the same work by hand, knowing the
 * answer in advance: one refresh with raw `fetch`, then 1,000 concurrent raw
 * `fetch` GETs with the new token.
 */
import { performance } from 'node:perf_hooks';
import { OAuth2Client } from '../lib/core/oauth2/oauth2-client.js';
import type { OAuth2Token } from '../lib/core/token.js';
import { check, compare, median, type BenchOptions, type BenchResult } from './harness.js';
import { startResourceServer, type ResourceServer } from './resource-server.js';

/** Simulated authorization-server latency of a refresh, in ms. */
const REFRESH_DELAY_MS = 5;

/**
 * Runs benchmark 5.
 * @param options - `quick` for a smoke run
 * @returns the time to finish a storm (median over rounds), ours vs the hand-written floor,
 *   and the refresh call counts (facts `refreshCallsPerStorm*`)
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
 */
export async function benchRefreshStorm(options: BenchOptions = {}): Promise<BenchResult> {
  const quick = options.quick ?? false;
  const storm = quick ? 100 : 1_000;
  const rounds = quick ? 2 : 15;
  const server = await startResourceServer({ refreshDelayMs: REFRESH_DELAY_MS });
  const ours: number[] = [];
  const floor: number[] = [];
  const refreshCalls: number[] = [];
  const updateCalls: number[] = [];
  try {
    // Warm-up round of each (not recorded): connections, JIT.
    await oursStorm(server, storm);
    await floorStorm(server, storm);
    for (let round = 0; round < rounds; round++) {
      const mine = await oursStorm(server, storm);
      ours.push(mine.ms);
      refreshCalls.push(mine.refreshes);
      updateCalls.push(mine.updates);
      floor.push((await floorStorm(server, storm)).ms);
    }
  } finally {
    await server.close();
  }
  const maxRefreshes = Math.max(...refreshCalls);
  return {
    id: 'refresh-storm',
    title: `5. Refresh storm (${storm.toLocaleString('en-US')} concurrent requests on an expired token)`,
    rows: [
      compare(
        'time to finish the storm',
        'ms',
        'lower',
        median(ours),
        'raw fetch (1 refresh, then GETs)',
        median(floor),
        undefined,
        { ours: ours.length, peer: floor.length },
      ),
    ],
    facts: {
      refreshCallsPerStormMin: Math.min(...refreshCalls),
      refreshCallsPerStormMax: maxRefreshes,
      updateTokenCallsPerStormMax: Math.max(...updateCalls),
      refreshTargetMet: maxRefreshes === 1,
      simulatedRefreshLatencyMs: REFRESH_DELAY_MS,
      rounds,
    },
    notes: ['target: exactly 1 refresh call per storm (checked in every round)'],
    quick,
  };
}

async function oursStorm(
  server: ResourceServer,
  storm: number,
): Promise<{ ms: number; refreshes: number; updates: number }> {
  server.reset();
  let updates = 0;
  const expired: OAuth2Token = {
    access_token: 'expired-access-token',
    token_type: 'Bearer',
    refresh_token: server.refreshToken,
    expires_at: Math.floor(Date.now() / 1000) - 10,
  };
  const client = new OAuth2Client({
    clientId: 'bench',
    clientSecret: 'bench-secret',
    tokenEndpoint: server.tokenUrl,
    token: expired,
    updateToken: () => {
      updates++;
    },
  });
  const t0 = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: storm }, async () => {
      const res = await client.get(server.resourceUrl);
      await res.arrayBuffer();
      return res.status;
    }),
  );
  const ms = performance.now() - t0;
  check(
    statuses.every((s) => s === 200),
    'every request of the storm must succeed with the refreshed token',
  );
  check(server.stats.unauthorized === 0, 'no request may carry the expired token');
  check(server.stats.badRefreshes === 0, 'no refresh may use a spent refresh token');
  check(server.stats.refreshes === 1, `a storm caused ${server.stats.refreshes} refresh calls`);
  check(updates === 1, `updateToken ran ${updates} times`);
  return { ms, refreshes: server.stats.refreshes, updates };
}

async function floorStorm(server: ResourceServer, storm: number): Promise<{ ms: number }> {
  server.reset();
  const t0 = performance.now();
  const res = await fetch(server.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('bench:bench-secret').toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: server.refreshToken }),
  });
  const { access_token: accessToken } = (await res.json()) as { access_token: string };
  const statuses = await Promise.all(
    Array.from({ length: storm }, async () => {
      const r = await fetch(server.resourceUrl, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      await r.arrayBuffer();
      return r.status;
    }),
  );
  const ms = performance.now() - t0;
  check(
    statuses.every((s) => s === 200),
    'every floor request must succeed',
  );
  return { ms };
}
