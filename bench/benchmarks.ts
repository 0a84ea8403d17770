/**
 * The list of benchmarks: the six of issue #7 in its order, then issue #14's
 * protected route, issue 16's cross-process refresh storm and issue 18's whole
 * login. `bench/run.ts` and the smoke test both take them from here.
 */
import { benchApiCall } from './api-call.bench.js';
import { benchAuthServer } from './auth-server.bench.js';
import { benchCallback } from './callback.bench.js';
import { benchMemory } from './memory.bench.js';
import { benchNestLogin } from './nest-login.bench.js';
import { benchOAuth1Sign } from './oauth1-sign.bench.js';
import { benchProtectedRoute } from './protected-route.bench.js';
import { benchRefreshStormProcesses } from './refresh-storm-processes.bench.js';
import { benchRefreshStorm } from './refresh-storm.bench.js';
import { benchWholeLogin } from './whole-login.bench.js';
import type { BenchOptions, BenchResult } from './harness.js';

/** One registered benchmark. */
export interface BenchmarkEntry {
  /** The id its result carries and `--only` selects. */
  id: string;
  /** Runs it. */
  run: (options: BenchOptions) => Promise<BenchResult>;
  /** Run in a child process with `--expose-gc` (heap measurements). */
  isolate?: boolean;
}

/** Every benchmark. */
export const BENCHMARKS: readonly BenchmarkEntry[] = [
  { id: 'api-call', run: benchApiCall },
  { id: 'callback', run: benchCallback },
  { id: 'nest-login', run: benchNestLogin },
  { id: 'oauth1-sign', run: benchOAuth1Sign },
  { id: 'refresh-storm', run: benchRefreshStorm },
  { id: 'memory', run: benchMemory, isolate: true },
  { id: 'protected-route', run: benchProtectedRoute },
  { id: 'refresh-storm-processes', run: benchRefreshStormProcesses },
  { id: 'whole-login', run: benchWholeLogin },
  { id: 'auth-server', run: benchAuthServer },
];
