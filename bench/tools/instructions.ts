/**
 * Instructions per login, counted by valgrind (callgrind, every thread) over
 * a window of logins only: start-up and warm-up run uninstrumented, then
 * instrumentation is switched on for `--logins` logins and the counts are
 * dumped. Deterministic enough to compare two builds on a machine too busy
 * for CPU times (bench/README.md, "Profiling").
 *
 * ```sh
 * node .bench-dist/bench/tools/instructions.js --dist=.bench-dist --side=ours --mode=oauth2 --logins=100
 * ```
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const dist = resolve(arg('dist', '.bench-dist'));
  const logins = Number(arg('logins', '100'));
  const out = join(tmpdir(), `callgrind-${process.pid}-${Date.now()}`);
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${out}.%p`,
      'node',
      // No concurrent compiler or GC threads: the same work, less run-to-run variance.
      ...(process.argv.includes('--threads') ? [] : ['--single-threaded']),
      join(dist, 'bench/tools/profile-login.js'),
      `--side=${arg('side', 'ours')}`,
      `--mode=${arg('mode', 'oauth2')}`,
      `--platform=${arg('platform', 'express')}`,
      `--fetch=${arg('fetch', 'platform')}`,
      `--context=${arg('context', 'on')}`,
      `--state=${arg('state', 'cookie')}`,
      `--logins=${logins}`,
      `--warmup=${arg('warmup', '60')}`,
      '--concurrency=1',
      '--pause',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const control = (...args: string[]) =>
    execFileSync('callgrind_control', [...args, String(child.pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let line = '';
  const result = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (c: Buffer) => {
      line += c.toString();
      if (line.includes('READY\n')) {
        line = line.replace('READY\n', '');
        control('-z');
        control('-i', 'on');
        process.kill(child.pid!, 'SIGUSR2');
      }
      if (line.includes('DONE\n')) {
        line = line.replace('DONE\n', '');
        control('-d');
        control('-i', 'off');
        process.kill(child.pid!, 'SIGUSR2');
      }
    });
    child.on('close', (code) => {
      if (code !== 0) fail(new Error(`exit ${code}: ${stderr.slice(-2000)}`));
      else done(line.trim());
    });
  });
  const dump = readFileSync(`${out}.${child.pid}.1`, 'utf8');
  const total = Number(/^(?:summary|totals): (\d+)/m.exec(dump)?.[1]);
  // --keep: leave the dump for callgrind_annotate.
  if (process.argv.includes('--keep')) process.stdout.write(`dump: ${out}.${child.pid}.1\n`);
  else rmSync(`${out}.${child.pid}.1`, { force: true });
  rmSync(`${out}.${child.pid}`, { force: true });
  process.stdout.write(
    `${arg('side', 'ours')} ${arg('platform', 'express')} ${arg('mode', 'oauth2')} fetch=${arg('fetch', 'platform')} context=${arg('context', 'on')} state=${arg('state', 'cookie')} (${dist}): ` +
      `${(total / logins / 1e6).toFixed(2)} M instructions/login over ${logins} logins  [${result}]\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
