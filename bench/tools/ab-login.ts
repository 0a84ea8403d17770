/**
 * A/B of the Nest login between two builds of the library, in one process,
 * interleaved (with the passport app as a third contender for scale): the
 * way each hot-spot fix in bench/README.md was measured.
 *
 * ```sh
 * # build the "before" tree once (from a stash or another commit) into .bench-old/
 * npx tsc -p bench/tsconfig.json --outDir .bench-old --tsBuildInfoFile .bench-old/.tsbuildinfo
 * # then the current tree, and compare
 * npx tsc -p bench/tsconfig.json
 * node .bench-dist/bench/tools/ab-login.js --a=.bench-old --mode=oauth2 --logins=800
 * ```
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  interleavedBlocks,
  median,
  percentile,
  runConcurrently,
  type Contender,
} from '../harness.js';
import { loginOnce } from '../nest-login.bench.js';
import * as current from '../nest-apps.js';
import { startStubProvider } from '../stub-provider.js';
import { nodeHttpFetch } from '../transport.js';

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const mode = arg('mode', 'oauth2') as current.LoginMode;
  const platform = arg('platform', 'express') as current.Platform;
  const logins = Number(arg('logins', '800'));
  const block = Number(arg('block', '40'));
  const a = arg('a', '.bench-old');
  const before = (await import(
    pathToFileURL(resolve(a, 'bench/nest-apps.js')).href
  )) as typeof current;
  const provider = await startStubProvider();
  const apps = [
    ['A (before)', await before.startNestApp(before.oursAppModule(provider, mode), platform)],
    ['B (after)', await current.startNestApp(current.oursAppModule(provider, mode), platform)],
    ...(arg('nodehttp', 'no') === 'yes'
      ? [
          [
            'B+node:http',
            await current.startNestApp(
              current.oursAppModule(provider, mode, { fetch: nodeHttpFetch() }),
              platform,
            ),
          ] as const,
        ]
      : []),
    ...(arg('passport', 'yes') === 'yes'
      ? [
          [
            'passport',
            await current.startNestApp(current.passportAppModule(provider, mode), 'express'),
          ] as const,
        ]
      : []),
  ] as const;
  try {
    const contenders: Contender[] = apps.map(([name, app]) => ({
      name,
      run: () => loginOnce(app.url),
    }));
    for (const c of contenders) await runConcurrently(100, 8, c.run);
    const cpu = new Map<string, number[]>();
    const wall = await interleavedBlocks(contenders, logins, block, 8, cpu);
    const line = (name: string, m: Map<string, number[]>) => {
      const v = m.get(name)!;
      return `${median(v).toFixed(3)} (p25 ${percentile(v, 25).toFixed(3)}, p75 ${percentile(v, 75).toFixed(3)})`;
    };
    process.stdout.write(`${platform} ${mode}, ${logins} logins each, blocks of ${block}\n`);
    for (const [name] of apps) {
      process.stdout.write(
        `${name.padEnd(12)} CPU ms/login ${line(name, cpu)}  wall ms/login ${line(name, wall)}\n`,
      );
    }
    const ratio = median(cpu.get('B (after)')!) / median(cpu.get('A (before)')!);
    process.stdout.write(`B/A CPU: ${ratio.toFixed(3)}\n`);
  } finally {
    for (const [, app] of apps) await app.close();
    await provider.close();
  }
}

main().then(
  () => setTimeout(() => process.exit(), 100).unref(),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
