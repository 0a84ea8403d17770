/**
 * The benchmark harness: result types, statistics (medians, never means),
 * timing helpers that run implementations interleaved so drift hits every
 * side alike, and a bounded-concurrency runner.
 *
 * Every benchmark is an exported `async (options: BenchOptions) => BenchResult`;
 * `bench/run.ts` prints and saves the results, and the smoke test
 * (`test/e2e/bench-smoke.e2e-spec.ts`) calls the same functions with `quick`.
 */
import { performance } from 'node:perf_hooks';

/** Options every benchmark takes. */
export interface BenchOptions {
  /** Tiny iteration counts: proves the benchmark still runs, measures nothing. */
  quick?: boolean;
}

/** Which way a metric improves. */
export type Better = 'lower' | 'higher';

/** One line of the report: our median against one peer's median. */
export interface Comparison {
  /** What is measured, e.g. `GET, sequential (median latency)`. */
  metric: string;
  /** Unit of `ours` and `peer`, e.g. `µs/req`, `logins/s`. */
  unit: string;
  /** Our median. */
  ours: number;
  /** The peer measured against (`raw fetch`, `openid-client`, ...). */
  peerName: string;
  /** The peer's median. */
  peer: number;
  /** `ours / peer`, always in this direction; see `better`. */
  ratio: number;
  /** Whether lower or higher values of `ours`/`peer` are better. */
  better: Better;
  /** The target from issue #7, in words, when this line has one. */
  target?: string;
  /** Whether the target is met (only when there is a target). */
  met?: boolean;
  /** Samples behind each median. */
  samples?: { ours: number; peer: number };
}

/** What one benchmark returns. */
export interface BenchResult {
  /** Short id: `api-call`, `callback`, `nest-login`, `oauth1-sign`, `refresh-storm`, `memory`. */
  id: string;
  /** Human title. */
  title: string;
  /** The comparisons to print. */
  rows: Comparison[];
  /** Facts that are not comparisons (refresh call counts, heap growth, ...). */
  facts?: Record<string, number | string | boolean>;
  /** Caveats worth printing under the table. */
  notes?: string[];
  /** Whether this ran in quick (smoke) mode. */
  quick: boolean;
  /** Wall time of the benchmark in ms. */
  durationMs?: number;
}

/** Median of a sample (the mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/**
 * The `p`-th percentile (0..100) with linear interpolation between ranks.
 * @param values - the sample (not modified)
 * @param p - the percentile
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/**
 * Builds a comparison line from two medians.
 * @param goal - a target as a predicate on the ratio, with its wording
 */
export function compare(
  metric: string,
  unit: string,
  better: Better,
  ours: number,
  peerName: string,
  peer: number,
  goal?: { target: string; met: (ratio: number) => boolean },
  samples?: { ours: number; peer: number },
): Comparison {
  const ratio = ours / peer;
  const row: Comparison = { metric, unit, ours, peerName, peer, ratio, better };
  if (goal) {
    row.target = goal.target;
    row.met = Number.isFinite(ratio) && goal.met(ratio);
  }
  if (samples) row.samples = samples;
  return row;
}

/** A named implementation of one operation. */
export interface Contender {
  name: string;
  /** One operation (an HTTP call, a login, ...). */
  run: () => Promise<unknown>;
}

/**
 * Runs each contender `perContender` times, sequentially, in interleaved
 * blocks of `block` operations (A-block, B-block, C-block, A-block, ...; the
 * order rotates every round), timing every operation on its own.
 *
 * @returns per-contender latencies in milliseconds
 */
export async function interleavedLatencies(
  contenders: readonly Contender[],
  perContender: number,
  block: number,
): Promise<Map<string, number[]>> {
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]));
  let round = 0;
  for (let done = 0; done < perContender; done += block, round++) {
    const n = Math.min(block, perContender - done);
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + round) % contenders.length];
      const out = samples.get(c.name)!;
      for (let k = 0; k < n; k++) {
        const t0 = performance.now();
        await c.run();
        out.push(performance.now() - t0);
      }
    }
  }
  return samples;
}

/**
 * Runs each contender in interleaved blocks of `block` operations at
 * `concurrency` in flight, timing each block as a whole.
 *
 * @param cpu - when given, also receives per contender the process CPU time
 *   (user + system, every thread) per operation of each block, in ms
 * @returns per-contender block times in milliseconds per operation
 */
export async function interleavedBlocks(
  contenders: readonly Contender[],
  perContender: number,
  block: number,
  concurrency: number,
  cpu?: Map<string, number[]>,
): Promise<Map<string, number[]>> {
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (const c of contenders) if (cpu && !cpu.has(c.name)) cpu.set(c.name, []);
  let round = 0;
  for (let done = 0; done < perContender; done += block, round++) {
    const n = Math.min(block, perContender - done);
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + round) % contenders.length];
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await runConcurrently(n, concurrency, c.run);
      samples.get(c.name)!.push((performance.now() - t0) / n);
      const used = process.cpuUsage(cpu0);
      cpu?.get(c.name)!.push((used.user + used.system) / 1000 / n);
    }
  }
  return samples;
}

/**
 * Runs `fn` `total` times with at most `concurrency` calls in flight.
 * Rejects with the first error (after the calls in flight settle).
 */
export async function runConcurrently(
  total: number,
  concurrency: number,
  fn: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < total) {
      const index = next++;
      try {
        await fn(index);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  if (failure !== undefined) throw failure;
}

/** Runs `fn` `times` times sequentially (warm-up). */
export async function repeat(times: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < times; i++) await fn();
}

/** Throws when `condition` is false: a benchmark that measures a broken run must not report numbers. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`benchmark sanity check failed: ${message}`);
}

/** Formats a number for the table: integers whole, others with 3 significant digits (thousands kept whole). */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** Times an async function once, in milliseconds. */
export async function timeOnce<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}
