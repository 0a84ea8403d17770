/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self and total time
 * by function, and self time by area (our library, jose, undici, Nest,
 * Express/Fastify, the benchmark's browser and provider, Node internals,
 * GC, idle). Total time counts a function once per sample even when it
 * recurses.
 *
 * ```sh
 * node .bench-dist/bench/tools/summarize-profile.js profile.cpuprofile [--top=40] [--filter=lib/]
 * ```
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Which part of the process a source URL belongs to. */
export function areaOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return '(program: native, not JS)';
  const u = url.replace(/^file:\/\//, '');
  if (u.includes('/node_modules/')) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
    const pkg = m?.[1] ?? 'node_modules';
    if (
      pkg.startsWith('@nestjs/platform-express') ||
      pkg === 'express' ||
      pkg === 'router' ||
      pkg === 'body-parser' ||
      pkg === 'finalhandler' ||
      pkg === 'send'
    )
      return 'express';
    if (
      pkg.includes('fastify') ||
      pkg === 'find-my-way' ||
      pkg === 'light-my-request' ||
      pkg === 'avvio'
    )
      return 'fastify';
    if (pkg.startsWith('@nestjs/')) return '@nestjs';
    if (pkg === 'rxjs') return 'rxjs (Nest)';
    return pkg;
  }
  if (u.includes('/.bench-dist/lib/') || u.includes('/lib/')) return 'nestjs-oauth (lib/)';
  if (u.includes('/test/fixtures/')) return 'bench browser (test/fixtures)';
  if (u.includes('/bench/')) return 'bench (provider, harness)';
  if (u.startsWith('node:internal/deps/undici')) return 'undici (fetch)';
  if (u.startsWith('node:')) return `node internals (${u.split('/')[1] ?? u})`;
  if (u === '') return 'native/builtin';
  return 'other';
}

function main(): void {
  // Piped into `head`: stop quietly when the reader goes away.
  process.stdout.on('error', () => process.exit(0));
  const file = process.argv[2];
  if (!file)
    throw new Error('usage: summarize-profile <file.cpuprofile> [--top=N] [--filter=substr]');
  const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 40);
  const filter = process.argv.find((a) => a.startsWith('--filter='))?.slice(9);
  const vs = process.argv.find((a) => a.startsWith('--vs='))?.slice(5);
  if (vs) return compareAreas(file, vs);
  const own = process.argv.find((a) => a.startsWith('--own='))?.slice(6);
  if (own) return ownership(file, own, top);
  const tree = process.argv.find((a) => a.startsWith('--tree='))?.slice(7);
  if (tree)
    return calleeTree(
      file,
      tree,
      Number(process.argv.find((a) => a.startsWith('--depth='))?.slice(8) ?? 3),
    );
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (f: CallFrame): string =>
    `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|\.bench-dist)\//, '$1/').replace(/^file:\/\//, '')}:${f.lineNumber + 1}`;

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const area = new Map<string, number>();
  let all = 0;
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i])!;
    all += dt;
    const a = areaOf(node.callFrame.url, node.callFrame.functionName);
    area.set(a, (area.get(a) ?? 0) + dt);
    if (a !== 'idle') busy += dt;
    const k = key(node.callFrame);
    self.set(k, (self.get(k) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const kk = key(byId.get(id)!.callFrame);
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + dt);
    }
  }
  const ms = (us: number) => (us / 1000).toFixed(1).padStart(9);
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  process.stdout.write(
    `${file}\nsampled ${ms(all)} ms, busy (not idle) ${ms(busy)} ms\n\nself time by area (% of busy):\n`,
  );
  for (const [a, t] of [...area].sort((x, y) => y[1] - x[1])) {
    if (a !== 'idle') process.stdout.write(`${ms(t)} ms ${pct(t)}  ${a}\n`);
  }
  const list = (title: string, m: Map<string, number>) => {
    process.stdout.write(`\n${title}:\n`);
    const rows = [...m]
      .filter(([k]) => !filter || k.includes(filter))
      .sort((x, y) => y[1] - x[1])
      .slice(0, top);
    for (const [k, t] of rows) process.stdout.write(`${ms(t)} ms ${pct(t)}  ${k}\n`);
  };
  list('self time by function', self);
  list('total time by function (callee time included)', total);
}

/**
 * Where the time of the functions whose key contains `match` goes: their
 * callees' total time, `depth` levels down (the outermost matching frame of
 * each sample counts).
 */
function calleeTree(file: string, match: string, depth: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (f: CallFrame): string =>
    `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|\.bench-dist)\//, '$1/').replace(/^file:\/\//, '')}:${f.lineNumber + 1}`;
  const paths = new Map<string, number>();
  let root = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    const stack: string[] = [];
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      stack.push(key(byId.get(id)!.callFrame));
    }
    stack.reverse();
    const at = stack.findIndex((k) => k.includes(match));
    if (at < 0) continue;
    root += dt;
    for (let d = 1; d <= depth; d++) {
      const path = stack.slice(at + 1, at + 1 + d);
      if (path.length < d) break;
      const k = path.join(' > ');
      paths.set(k, (paths.get(k) ?? 0) + dt);
    }
  }
  process.stdout.write(`${match}: ${(root / 1000).toFixed(1)} ms in total\n`);
  const print = (prefix: string[], level: number) => {
    const rows = [...paths]
      .filter(([k]) => {
        const parts = k.split(' > ');
        return (
          parts.length === level + 1 && parts.slice(0, level).join(' > ') === prefix.join(' > ')
        );
      })
      .sort((a, b) => b[1] - a[1]);
    for (const [k, t] of rows) {
      if (t < root * 0.01) continue;
      const parts = k.split(' > ');
      process.stdout.write(
        `${'  '.repeat(level + 1)}${(t / 1000).toFixed(1).padStart(8)} ms ${((t / root) * 100).toFixed(1).padStart(5)}%  ${parts[level]}\n`,
      );
      if (level + 1 < depth) print(parts, level + 1);
    }
  };
  print([], 0);
}

/**
 * Each sample charged to the innermost frame whose key contains `match`
 * (e.g. `.bench-dist/lib/`): what our functions cost with the Node and
 * library code they call synchronously. Samples with no such frame are
 * listed by area (work after an `await` belongs there: undici, WebCrypto
 * completions, the framework, the browser and the provider).
 */
function ownership(file: string, match: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (f: CallFrame): string =>
    `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|\.bench-dist)\//, '$1/').replace(/^file:\/\//, '')}:${f.lineNumber + 1}`;
  const owned = new Map<string, number>();
  const other = new Map<string, number>();
  let busy = 0;
  let mine = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(profile.samples[i])!.callFrame;
    const a = areaOf(leaf.url, leaf.functionName);
    if (a === 'idle') continue;
    busy += dt;
    let owner: string | undefined;
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const k = key(byId.get(id)!.callFrame);
      if (k.includes(match)) {
        owner = k;
        break;
      }
    }
    if (owner) {
      mine += dt;
      owned.set(owner, (owned.get(owner) ?? 0) + dt);
    } else other.set(a, (other.get(a) ?? 0) + dt);
  }
  const line = (k: string, t: number) =>
    `${(t / 1000).toFixed(1).padStart(9)} ms ${((t / busy) * 100).toFixed(1).padStart(5)}%  ${k}\n`;
  process.stdout.write(
    `busy ${(busy / 1000).toFixed(0)} ms; charged to ${match}: ${(mine / 1000).toFixed(0)} ms (${((mine / busy) * 100).toFixed(1)}%)\n`,
  );
  for (const [k, t] of [...owned].sort((x, y) => y[1] - x[1]).slice(0, top))
    process.stdout.write(line(k, t));
  process.stdout.write('\nthe rest, by area of the leaf frame:\n');
  for (const [k, t] of [...other].sort((x, y) => y[1] - x[1]).slice(0, top))
    process.stdout.write(line(k, t));
}

/** Self time by area of one profile, in µs. */
function areas(file: string): { area: Map<string, number>; busy: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const area = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const f = byId.get(profile.samples[i])!.callFrame;
    const a = areaOf(f.url, f.functionName);
    const dt = profile.timeDeltas[i] ?? 0;
    area.set(a, (area.get(a) ?? 0) + dt);
    if (a !== 'idle') busy += dt;
  }
  return { area, busy };
}

/** Two profiles side by side: each area's share of the busy time, and the difference. */
function compareAreas(a: string, b: string): void {
  const x = areas(a);
  const y = areas(b);
  const names = new Set([...x.area.keys(), ...y.area.keys()]);
  names.delete('idle');
  const share = (m: Map<string, number>, busy: number, k: string) => ((m.get(k) ?? 0) / busy) * 100;
  process.stdout.write(
    `A: ${a}\nB: ${b}\nbusy A ${(x.busy / 1000).toFixed(0)} ms, B ${(y.busy / 1000).toFixed(0)} ms (A/B ${(x.busy / y.busy).toFixed(2)})\n`,
  );
  process.stdout.write('     A ms      B ms   A-B ms  area\n');
  const rows = [...names].map((k) => [k, x.area.get(k) ?? 0, y.area.get(k) ?? 0] as const);
  for (const [k, ta, tb] of rows.sort((p, q) => q[1] - q[2] - (p[1] - p[2]))) {
    if (Math.abs(ta - tb) < 0.002 * x.busy) continue;
    process.stdout.write(
      `${(ta / 1000).toFixed(0).padStart(9)} ${(tb / 1000).toFixed(0).padStart(9)} ${((ta - tb) / 1000).toFixed(0).padStart(8)}  ${k} (${share(x.area, x.busy, k).toFixed(1)}% / ${share(y.area, y.busy, k).toFixed(1)}%)\n`,
    );
  }
}

if (process.argv[1]?.endsWith('summarize-profile.js')) main();
