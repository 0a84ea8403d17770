/**
 * `npm run bench [-- --quick] [-- --only=api-call,oauth1-sign]`
 *
 * Runs every benchmark of issue #7 against local servers on 127.0.0.1, prints
 * for each our median, the peer's median and the ratio, and writes
 * `bench/results/results-<timestamp>.json`. Benchmarks marked `isolate`
 * (heap measurements) run in a child process started with `--expose-gc`.
 *
 * Options:
 * - `--quick`: tiny iteration counts (a smoke run; numbers mean nothing)
 * - `--only=<id,id>`: run only these benchmarks
 * - `--no-save`: print only, write no JSON file
 * - `--child=<id>`: internal; run one benchmark and print its result as JSON
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARKS, type BenchmarkEntry } from './benchmarks.js';
import { fmt, type BenchResult } from './harness.js';

const CHILD_MARKER = '@@bench-result@@';

interface Args {
  quick: boolean;
  only?: Set<string>;
  save: boolean;
  child?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, save: true };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg === '--no-save') args.save = false;
    else if (arg.startsWith('--only='))
      args.only = new Set(arg.slice(7).split(',').filter(Boolean));
    else if (arg.startsWith('--child=')) args.child = arg.slice(8);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: npm run bench [-- --quick] [-- --only=id,id] [-- --no-save]\n');
      process.stdout.write(`benchmarks: ${BENCHMARKS.map((b) => b.id).join(', ')}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument: ${arg}`);
  }
  return args;
}

/** Runs one benchmark in a child process with `--expose-gc` and reads its result. */
async function runIsolated(entry: BenchmarkEntry, quick: boolean): Promise<BenchResult> {
  const script = fileURLToPath(import.meta.url);
  const argv = ['--expose-gc', script, `--child=${entry.id}`, ...(quick ? ['--quick'] : [])];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = out.split('\n').find((l) => l.startsWith(CHILD_MARKER));
  if (code !== 0 || !line)
    throw new Error(`benchmark ${entry.id} failed in its child process (exit ${code})`);
  return JSON.parse(line.slice(CHILD_MARKER.length)) as BenchResult;
}

/**
 * Renders one result as a text table (ours, peer, ratio, target) followed by its facts and notes.
 * @param result - a benchmark's result
 * @returns the lines to print
 */
export function formatResult(result: BenchResult): string {
  const lines = [`\n${result.title}${result.quick ? '  [quick]' : ''}`];
  const head = [
    'metric',
    'unit',
    'ours',
    'peer',
    'peer median',
    'ratio',
    'better',
    'target',
    'met',
  ];
  const body = result.rows.map((r) => [
    r.metric,
    r.unit,
    fmt(r.ours),
    r.peerName,
    fmt(r.peer),
    `${r.ratio.toFixed(3)}×`,
    r.better,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const render = (row: string[]): string =>
    row
      .map((cell, i) =>
        i >= 2 && i !== 3 && i <= 5 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]),
      )
      .join('  ');
  lines.push(render(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(render));
  for (const [key, value] of Object.entries(result.facts ?? {})) {
    lines.push(`  ${key}: ${typeof value === 'number' ? fmt(value) : String(value)}`);
  }
  for (const note of result.notes ?? []) lines.push(`  note: ${note}`);
  if (result.durationMs !== undefined) lines.push(`  (${(result.durationMs / 1000).toFixed(1)} s)`);
  return lines.join('\n');
}

/** The repository root: the nearest folder above this file with a package.json (source or compiled). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

async function runOne(entry: BenchmarkEntry, quick: boolean): Promise<BenchResult> {
  const t0 = Date.now();
  const result = entry.isolate ? await runIsolated(entry, quick) : await entry.run({ quick });
  result.durationMs = Date.now() - t0;
  return result;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    const entry = BENCHMARKS.find((b) => b.id === args.child);
    if (!entry) throw new Error(`unknown benchmark: ${args.child}`);
    const result = await entry.run({ quick: args.quick });
    process.stdout.write(`${CHILD_MARKER}${JSON.stringify(result)}\n`);
    return;
  }
  const selected = BENCHMARKS.filter((b) => !args.only || args.only.has(b.id));
  if (args.only) {
    const unknown = [...args.only].filter((id) => !BENCHMARKS.some((b) => b.id === id));
    if (unknown.length) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}`);
  }
  const machine = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
  process.stdout.write(
    `nestjs-oauth benchmarks${args.quick ? ' (quick smoke run: numbers are meaningless)' : ''}\n` +
      `${machine.node} on ${machine.platform}, ${machine.cpu} × ${machine.cores}, ${machine.memoryGiB} GiB\n`,
  );
  const started = Date.now();
  const results: BenchResult[] = [];
  const failures: { id: string; error: string }[] = [];
  for (const entry of selected) {
    try {
      const result = await runOne(entry, args.quick);
      results.push(result);
      process.stdout.write(`${formatResult(result)}\n`);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ id: entry.id, error });
      process.stderr.write(`\nbenchmark ${entry.id} FAILED: ${error}\n`);
    }
  }
  const totalMs = Date.now() - started;
  const targets = results.flatMap((r) => r.rows.filter((row) => row.met !== undefined));
  process.stdout.write(
    `\n${results.length}/${selected.length} benchmarks ran in ${(totalMs / 1000).toFixed(1)} s; ` +
      `targets met: ${targets.filter((t) => t.met).length}/${targets.length}\n`,
  );
  if (args.save) {
    const dir = join(repoRoot(), 'bench', 'results');
    await mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = join(dir, `results-${stamp}.json`);
    const report = {
      date: new Date().toISOString(),
      quick: args.quick,
      machine,
      totalMs,
      results,
      failures,
    };
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`results: ${relative(process.cwd(), file)}\n`);
  }
  if (failures.length) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => {
      // Servers are closed; anything still holding the loop (keep-alive sockets) must not delay exit.
      setTimeout(() => process.exit(), 100).unref();
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
