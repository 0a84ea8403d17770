/**
 * The login loop of benchmark 3 alone, to profile: one app (ours or the
 * passport app), on Express or Fastify, OIDC or OAuth 2, against the stub
 * provider, `--logins` logins at concurrency 8 after a warm-up. Prints CPU
 * per login. Run it under `node --cpu-prof` (see bench/README.md, "Profiling"):
 *
 * ```sh
 * npx tsc -p bench/tsconfig.json
 * node --cpu-prof --cpu-prof-dir=/tmp/prof .bench-dist/bench/tools/profile-login.js \
 *   --side=ours --platform=express --mode=oauth2 --logins=3000
 * node .bench-dist/bench/tools/summarize-profile.js /tmp/prof/*.cpuprofile
 * ```
 */
import { performance } from 'node:perf_hooks';
import { runConcurrently } from '../harness.js';
import { loginOnce } from '../nest-login.bench.js';
import {
  oursAppModule,
  passportAppModule,
  startNestApp,
  type LoginMode,
  type Platform,
} from '../nest-apps.js';
import { startStubProvider } from '../stub-provider.js';
import type { OAuthCache, OAuthModuleOptions } from '../../lib/index.js';
import { nodeHttpFetch } from '../transport.js';

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const side = arg('side', 'ours');
  const platform = arg('platform', 'express') as Platform;
  const mode = arg('mode', 'oauth2') as LoginMode;
  const logins = Number(arg('logins', '2000'));
  const warmup = Number(arg('warmup', '300'));
  const concurrency = Number(arg('concurrency', '8'));
  const provider = await startStubProvider();
  // --fetch=node-http: our app with the node:http experiment as its fetch.
  const extra = arg('fetch', 'platform') === 'node-http' ? { fetch: nodeHttpFetch() } : {};
  // --context=off: no request context (no AsyncLocalStorage); --state=cache: the login state in
  // a server-side Map (as the passport app keeps it) instead of the encrypted cookie.
  const moduleExtra: Partial<OAuthModuleOptions> = {};
  if (arg('context', 'on') === 'off') moduleExtra.requestContext = { mount: false };
  if (arg('state', 'cookie') === 'cache') moduleExtra.cache = mapCache();
  const module =
    side === 'passport'
      ? passportAppModule(provider, mode)
      : oursAppModule(provider, mode, extra, moduleExtra);
  const app = await startNestApp(module, platform);
  // Slow runs (valgrind) must not meet the server closing an idle keep-alive socket as it is reused.
  app.app.getHttpServer().keepAliveTimeout = 600_000;
  try {
    await runConcurrently(warmup, concurrency, () => loginOnce(app.url));
    // --pause: wait for SIGUSR2 before and after the measured logins (bench/tools/instructions.ts
    // turns valgrind's instrumentation on and dumps the counts in between).
    const pause = process.argv.includes('--pause');
    if (pause) await signalled('READY');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await runConcurrently(logins, concurrency, () => loginOnce(app.url));
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (pause) await signalled('DONE');
    process.stdout.write(
      `${side} ${platform} ${mode}: ${logins} logins, ${((cpu.user + cpu.system) / 1000 / logins).toFixed(3)} ms CPU/login, ` +
        `${((logins / ms) * 1000).toFixed(0)} logins/s (user ${(cpu.user / 1000 / logins).toFixed(3)}, system ${(cpu.system / 1000 / logins).toFixed(3)})\n`,
    );
  } finally {
    await app.close();
    await provider.close();
  }
}

/** A server-side Map as the module's cache, with an atomic `take`. */
function mapCache(): OAuthCache {
  const map = new Map<string, unknown>();
  return {
    get: (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    delete: (key) => void map.delete(key),
    take: (key) => {
      const value = map.get(key);
      map.delete(key);
      return value;
    },
  };
}

function signalled(word: string): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGUSR2', () => resolve());
    process.stdout.write(`${word}\n`);
  });
}

main().then(
  () => setTimeout(() => process.exit(), 100).unref(),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    if (err instanceof Error && err.cause) process.stderr.write(`cause: ${String(err.cause)}\n`);
    process.exit(1);
  },
);
