/**
 * Benchmark 8: refresh storm across processes (issue 16). Four worker
 * processes (app instances, `test/fixtures/refresh-worker.ts`) each send 25
 * concurrent requests on one expired token saved in Redis; their clients
 * share a `RedisOAuthStore.refreshLock` on a real `redis-server`. Measured:
 * how many refresh calls reach the token endpoint (must be exactly 1) and
 * the time from sending the storm to the last answer, next to the same 100
 * requests in one process with the in-process single flight only.
 *
 * The token endpoint and resource are `resource-server.ts` (5 ms of
 * simulated authorization-server work per refresh; the resource refuses a
 * stale token, the token endpoint a spent refresh token).
 */
import { performance } from 'node:perf_hooks';
import type { OAuth2Token } from '../lib/core/token.js';
import { RedisOAuthStore } from '../lib/redis/index.js';
import { forkWorker, type ProcessWorker } from '../test/fixtures/process-worker.js';
import { startRedisServer } from '../test/fixtures/redis-server.js';
import type { StormArgs, StormResult } from '../test/fixtures/refresh-worker.js';
import { check, compare, median, type BenchOptions, type BenchResult } from './harness.js';
import { startResourceServer, type ResourceServer } from './resource-server.js';

const PROCESSES = 4;
const PER_PROCESS = 25;
const REFRESH_DELAY_MS = 5;
const PREFIX = 'bench:';

/** The worker: its TypeScript source under Jest (the smoke test), else the compiled file. */
const WORKER = new URL(
  `../test/fixtures/refresh-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
  import.meta.url,
);

/**
 * Runs benchmark 8.
 * @param options - `quick` for a smoke run
 * @returns the time until every request of a storm is served, 4 processes with the Redis
 *   lock vs 1 process without it, and the refresh call counts (facts)
 */
export async function benchRefreshStormProcesses(options: BenchOptions = {}): Promise<BenchResult> {
  const quick = options.quick ?? false;
  const rounds = quick ? 2 : 15;
  const [redis, server] = await Promise.all([
    startRedisServer(),
    startResourceServer({ refreshDelayMs: REFRESH_DELAY_MS }),
  ]);
  const workers: ProcessWorker[] = [];
  const db = await RedisOAuthStore.connect({ url: redis.url, keyPrefix: PREFIX });
  try {
    workers.push(
      ...(await Promise.all(Array.from({ length: PROCESSES }, () => forkWorker(WORKER)))),
    );
    const client = {
      clientId: 'bench',
      clientSecret: 'bench-secret',
      tokenEndpoint: server.tokenUrl,
    };
    await Promise.all(
      workers.map((w) =>
        w.call('init', { lockUrl: redis.url, dbUrl: redis.url, keyPrefix: PREFIX, client }),
      ),
    );
    const storm = async (round: string, split: ProcessWorker[], lock: boolean) => {
      server.reset();
      const tokenKey = `token:${round}`;
      const expired: OAuth2Token = {
        access_token: 'expired-access-token',
        token_type: 'Bearer',
        refresh_token: server.refreshToken,
        expires_at: Math.floor(Date.now() / 1000) - 10,
      };
      await db.set(tokenKey, expired);
      const args: StormArgs = {
        n: (PROCESSES * PER_PROCESS) / split.length,
        tokenKey,
        url: server.resourceUrl,
        mode: 'stateless',
        lock,
      };
      const t0 = performance.now();
      const results = (
        await Promise.all(split.map((w) => w.call<StormResult[]>('storm', args)))
      ).flat();
      const ms = performance.now() - t0;
      checkStorm(server, results);
      return { ms, refreshes: server.stats.refreshes };
    };

    // Warm-up (not recorded): connections, JIT, Redis scripts.
    await storm('warm-many', workers, true);
    await storm('warm-one', workers.slice(0, 1), false);
    const many: number[] = [];
    const one: number[] = [];
    const refreshCalls: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const result = await storm(`many-${round}`, workers, true);
      many.push(result.ms);
      refreshCalls.push(result.refreshes);
      one.push((await storm(`one-${round}`, workers.slice(0, 1), false)).ms);
    }
    const maxRefreshes = Math.max(...refreshCalls);
    return {
      id: 'refresh-storm-processes',
      title: `8. Refresh storm across ${PROCESSES} processes (${PROCESSES} × ${PER_PROCESS} concurrent requests on one expired token, Redis lock)`,
      rows: [
        compare(
          'time until every request is served',
          'ms',
          'lower',
          median(many),
          `1 process × ${PROCESSES * PER_PROCESS} requests, no lock`,
          median(one),
          undefined,
          { ours: many.length, peer: one.length },
        ),
      ],
      facts: {
        refreshCallsPerStormMin: Math.min(...refreshCalls),
        refreshCallsPerStormMax: maxRefreshes,
        refreshTargetMet: maxRefreshes === 1,
        simulatedRefreshLatencyMs: REFRESH_DELAY_MS,
        rounds,
      },
      notes: [
        'target: exactly 1 refresh call per storm across all processes (checked in every round)',
        'times are measured in the parent, from sending the storm to the last answer (IPC included on both sides)',
      ],
      quick,
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await db.close();
    await Promise.all([server.close(), redis.stop()]);
  }
}

function checkStorm(server: ResourceServer, results: StormResult[]): void {
  const failed = results.filter((r) => !('status' in r) || r.status !== 200);
  check(failed.length === 0, `${failed.length} requests failed: ${JSON.stringify(failed[0])}`);
  check(server.stats.unauthorized === 0, 'no request may carry the expired token');
  check(server.stats.badRefreshes === 0, 'no refresh may use a spent refresh token');
  check(server.stats.refreshes === 1, `a storm caused ${server.stats.refreshes} refresh calls`);
}
