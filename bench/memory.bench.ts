/**
 * Benchmark 6: memory. Heap growth (after full garbage collections) of a Nest
 * app on Express after 10,000 started but unfinished logins, and after
 * 10,000 completed ones.
 *
 * - Unfinished: only the login route is called (302 + state cookie), the
 *   cookie is thrown away. Our state lives in the encrypted cookie, so the
 *   server should keep about nothing; the peer is the passport-oauth2 app,
 *   whose state waits server-side for a callback that never comes.
 * - Completed: full logins. The server keeps one entry per used state until
 *   that state would have expired (replay detection, `UsedStates`, capped at
 *   100,000). That bounded cache is measured on its own with the same number
 *   of entries and shown as the reference. Then the app's replay cache is
 *   emptied (through the registry's state store; a diagnostic reach into
 *   private fields, skipped if their shape changes) and the heap measured
 *   again.
 * - Leak check (full runs): heap snapshots before the unfinished and after the
 *   completed logins (replay cache emptied); the objects reachable afterwards
 *   that did not exist before are what the app kept. `heapUsed` alone moves by
 *   a few hundred KiB between readings; the snapshots do not.
 *
 * `bench/run.ts` runs this in a child process started with `--expose-gc`;
 * without that flag (the smoke test) `gc` is enabled at run time.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { OAuthRegistry } from '../lib/oauth.registry.js';
import { UsedStates, hashState } from '../lib/state/state-crypto.js';
import { randomToken } from '../lib/core/util/random.js';
import {
  check,
  runConcurrently,
  type BenchOptions,
  type BenchResult,
  type Comparison,
} from './harness.js';
import { oursAppModule, passportAppModule, startNestApp, type RunningApp } from './nest-apps.js';
import { loginOnce } from './nest-login.bench.js';
import { startStubProvider } from './stub-provider.js';

/** Most heap growth per unfinished login for "about zero on the server". */
const UNFINISHED_BYTES_PER_LOGIN_MAX = 100;
/** Slack per completed login over the replay cache before it counts as a leak. */
const COMPLETED_SLACK_BYTES_PER_LOGIN = 100;

/** The `gc` function: `--expose-gc`'s, or one enabled at run time. */
function getGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap in use after full collections (the lowest of a few readings). */
async function settledHeap(gc: () => void, rounds = 4): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    lowest = Math.min(lowest, process.memoryUsage().heapUsed);
  }
  return lowest;
}

/** Calls the login route only, checks the 302 and the state cookie, and forgets them. */
async function startLogin(appUrl: string): Promise<void> {
  const res = await fetch(`${appUrl}/auth/login`, { redirect: 'manual' });
  await res.arrayBuffer();
  check(res.status === 302, `the login route answered HTTP ${res.status}`);
  check(res.headers.getSetCookie().length > 0, 'the login route set no cookie');
}

/** Heap growth in bytes while `fn` runs `count` times at concurrency 16. */
async function growth(
  settle: () => Promise<number>,
  count: number,
  fn: () => Promise<void>,
): Promise<number> {
  const before = await settle();
  await runConcurrently(count, 16, fn);
  return (await settle()) - before;
}

/** Writes a heap snapshot (after a full GC) to the temp folder and returns its path. */
function snapshot(tag: string): string {
  return writeHeapSnapshot(join(tmpdir(), `nestjs-oauth-bench-${process.pid}-${tag}.heapsnapshot`));
}

/**
 * Objects reachable from the GC roots in the `after` snapshot (strong edges
 * only) that did not exist in the `before` one (V8 node ids grow
 * monotonically). Deletes both files.
 */
function newReachableObjects(before: string, after: string): { count: number; bytes: number } {
  try {
    const a = JSON.parse(readFileSync(before, 'utf8')) as HeapSnapshot;
    const idField = a.snapshot.meta.node_fields.indexOf('id');
    const aWidth = a.snapshot.meta.node_fields.length;
    let maxId = 0;
    for (let i = idField; i < a.nodes.length; i += aWidth) maxId = Math.max(maxId, a.nodes[i]);

    const b = JSON.parse(readFileSync(after, 'utf8')) as HeapSnapshot;
    const nf = b.snapshot.meta.node_fields;
    const ef = b.snapshot.meta.edge_fields;
    const width = nf.length;
    const edgeWidth = ef.length;
    const [ID, SIZE, EDGES] = ['id', 'self_size', 'edge_count'].map((f) => nf.indexOf(f));
    const [TYPE, TO] = ['type', 'to_node'].map((f) => ef.indexOf(f));
    const weak = b.snapshot.meta.edge_types[0].indexOf('weak');
    const count = b.nodes.length / width;
    const firstEdge = new Uint32Array(count + 1);
    for (let i = 0, e = 0; i < count; i++) {
      firstEdge[i] = e;
      e += b.nodes[i * width + EDGES] * edgeWidth;
      firstEdge[i + 1] = e;
    }
    const reached = new Uint8Array(count);
    const queue = [0];
    reached[0] = 1;
    let result = { count: 0, bytes: 0 };
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (b.nodes[node * width + ID] > maxId) {
        result = { count: result.count + 1, bytes: result.bytes + b.nodes[node * width + SIZE] };
      }
      for (let e = firstEdge[node]; e < firstEdge[node + 1]; e += edgeWidth) {
        if (b.edges[e + TYPE] === weak) continue;
        const to = b.edges[e + TO] / width;
        if (!reached[to]) {
          reached[to] = 1;
          queue.push(to);
        }
      }
    }
    return result;
  } finally {
    rmSync(before, { force: true });
    rmSync(after, { force: true });
  }
}

/** The parts of V8's heap snapshot format read here. */
interface HeapSnapshot {
  snapshot: {
    meta: { node_fields: string[]; edge_fields: string[]; edge_types: [string[], ...unknown[]] };
  };
  nodes: number[];
  edges: number[];
}

/**
 * Empties the replay cache of the app's cookie state store.
 * @returns how many entries it held; `undefined` when the store's private shape is not the expected one
 */
function clearReplayCache(app: RunningApp): number | undefined {
  const store = (app.app.get(OAuthRegistry) as { stateStore?: unknown }).stateStore as
    { used?: { used?: unknown } } | undefined;
  const entries = store?.used?.used;
  if (!(entries instanceof Map)) return undefined;
  const size = entries.size;
  entries.clear();
  return size;
}

/**
 * Runs benchmark 6.
 * @param options - `quick` for a smoke run
 * @returns heap growth in KiB, ours vs passport (unfinished) and vs the replay cache alone (completed)
 */
export async function benchMemory(options: BenchOptions = {}): Promise<BenchResult> {
  const quick = options.quick ?? false;
  const logins = quick ? 100 : 10_000;
  const warmup = quick ? 20 : 1_000;
  const gc = getGc();
  const settle = (): Promise<number> => settledHeap(gc, quick ? 1 : 4);
  const provider = await startStubProvider();
  const apps: RunningApp[] = [];
  try {
    const ours = await startNestApp(oursAppModule(provider, 'oidc'), 'express');
    apps.push(ours);
    const passport = await startNestApp(passportAppModule(provider, 'oidc'), 'express');
    apps.push(passport);

    // Warm up both (JIT, connection pools, metadata and key caches).
    await runConcurrently(warmup, 16, () => startLogin(ours.url));
    await runConcurrently(warmup, 8, () => loginOnce(ours.url));
    await runConcurrently(warmup, 16, () => startLogin(passport.url));
    await runConcurrently(warmup / 5, 8, () => loginOnce(passport.url));
    clearReplayCache(ours);

    // Ours: unfinished, then completed logins; a heap snapshot before and after (full runs).
    const snapshotBefore = quick ? undefined : snapshot('before');
    const beforeUnfinished = await settle();
    await runConcurrently(logins, 16, () => startLogin(ours.url));
    const beforeCompleted = await settle();
    const oursUnfinished = beforeCompleted - beforeUnfinished;
    await runConcurrently(logins, 16, () => loginOnce(ours.url));
    const oursCompleted = (await settle()) - beforeCompleted;
    const replayEntries = clearReplayCache(ours);
    const withoutReplayCache =
      replayEntries === undefined ? undefined : (await settle()) - beforeCompleted;
    const retained =
      snapshotBefore && replayEntries !== undefined
        ? newReachableObjects(snapshotBefore, snapshot('after'))
        : undefined;

    // The peer: its state waits server-side.
    const passportUnfinished = await growth(settle, logins, () => startLogin(passport.url));

    // The replay cache alone, filled with as many entries of the same shape.
    const cache = new UsedStates();
    const expiry = Date.now() + 3_600_000;
    const replayCache = await growth(settle, 1, async () => {
      for (let i = 0; i < logins; i++) cache.mark(`op:${hashState(randomToken())}`, expiry);
    });
    check(cache.has(`op:${hashState('never used')}`) === false, 'the replay cache answers wrongly');

    const kib = (bytes: number): number => bytes / 1024;
    const unfinishedPerLogin = oursUnfinished / logins;
    // The leak check: reachable objects left by 2 x `logins` logins (replay cache emptied) when a
    // snapshot pair was taken, else the heap growth without the replay cache.
    const leakPerLogin = retained
      ? retained.bytes / logins
      : (withoutReplayCache ?? oursCompleted - replayCache) / logins;
    const unfinishedRow: Comparison = {
      metric: `heap growth, ${logins.toLocaleString('en-US')} unfinished logins`,
      unit: 'KiB',
      ours: kib(oursUnfinished),
      peerName: 'passport-oauth2 (server-side state)',
      peer: kib(passportUnfinished),
      ratio: oursUnfinished / passportUnfinished,
      better: 'lower',
      target: `≤ ${UNFINISHED_BYTES_PER_LOGIN_MAX} B per login`,
      met: unfinishedPerLogin <= UNFINISHED_BYTES_PER_LOGIN_MAX,
    };
    const completedRow: Comparison = {
      metric: `heap growth, ${logins.toLocaleString('en-US')} completed logins`,
      unit: 'KiB',
      ours: kib(oursCompleted),
      peerName: 'replay cache alone (expected)',
      peer: kib(replayCache),
      ratio: oursCompleted / replayCache,
      better: 'lower',
      target: `≤ ${COMPLETED_SLACK_BYTES_PER_LOGIN} B per login beyond the replay cache`,
      met: leakPerLogin <= COMPLETED_SLACK_BYTES_PER_LOGIN,
    };
    return {
      id: 'memory',
      title: '6. Memory (heap growth after full GCs, Express app, OIDC login)',
      rows: [unfinishedRow, completedRow],
      facts: {
        oursBytesPerUnfinishedLogin: Math.round(unfinishedPerLogin),
        passportBytesPerUnfinishedLogin: Math.round(passportUnfinished / logins),
        oursBytesPerCompletedLogin: Math.round(oursCompleted / logins),
        replayCacheBytesPerEntry: Math.round(replayCache / logins),
        replayCacheEntriesInApp: replayEntries ?? 'not reachable',
        oursHeapGrowthPerCompletedLoginWithoutReplayCache:
          withoutReplayCache === undefined ? 'n/a' : Math.round(withoutReplayCache / logins),
        retainedReachableObjects: retained ? retained.count : 'not measured (quick mode)',
        retainedReachableBytes: retained ? retained.bytes : 'not measured (quick mode)',
        heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      },
      notes: [
        'the replay cache keeps one entry per used state until the state would have expired (stateTtl + 60 s), at most 100,000',
        'stub provider and HTTP client run in the same process; neither keeps per-login state',
        'a negative growth means the heap was smaller after than before (measurement noise of a few hundred KiB)',
        'retained*: objects reachable after the unfinished and completed logins (replay cache emptied) that did not exist before them, from two heap snapshots; this decides the leak target in full runs',
      ],
      quick,
    };
  } finally {
    for (const app of apps.reverse()) await app.close();
    await provider.close();
  }
}
