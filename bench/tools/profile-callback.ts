/**
 * Benchmark 2's exchange loop alone, to profile: codes are collected first
 * (not profiled), then `--logins` code exchanges + ID-token checks of one
 * side (`ours`; `peer`, openid-client with its signature check; `floor`, the
 * same token request by hand with `fetch`, nothing checked) run
 * sequentially under the inspector's CPU profiler. Writes `--out` (a
 * `.cpuprofile` for summarize-profile.js) and prints wall and CPU time per
 * exchange.
 *
 * ```sh
 * npx tsc -p bench/tsconfig.json
 * node .bench-dist/bench/tools/profile-callback.js --side=ours --logins=400 --out=/tmp/cb-ours.cpuprofile
 * node .bench-dist/bench/tools/summarize-profile.js /tmp/cb-ours.cpuprofile
 * ```
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { startOidcProvider } from '../../test/fixtures/oidc-provider.js';
import { callbackSides } from '../callback.bench.js';

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const side = arg('side', 'ours');
  const logins = Number(arg('logins', '400'));
  const out = arg('out', `/tmp/callback-${side}.cpuprofile`);
  const op = await startOidcProvider({ ttl: { AuthorizationCode: 600 } });
  // Benchmark 2's own sides: ours first, then openid-client with its signature check.
  const [ours, peer] = await callbackSides(op);
  let exchange: () => Promise<() => Promise<unknown>>;
  if (side === 'floor') {
    // The provider's and the transport's share: the token request by hand with fetch, its
    // JSON read, nothing checked (the code comes from our side's authorization request).
    const fixture = op.clients.basic;
    const meta = (await (await fetch(op.discoveryUrl)).json()) as { token_endpoint: string };
    const basic = `Basic ${Buffer.from(`${fixture.clientId}:${fixture.clientSecret}`).toString('base64')}`;
    exchange = async () => {
      const pending = await ours.code();
      const code = new URL(pending.callbackUrl).searchParams.get('code')!;
      return async () => {
        const res = await fetch(meta.token_endpoint, {
          method: 'POST',
          headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: fixture.redirectUri,
            code_verifier: pending.codeVerifier,
          }),
        });
        const body = (await res.json()) as { id_token?: string };
        if (!res.ok || !body.id_token) throw new Error(`token request: ${res.status}`);
      };
    };
  } else {
    const chosen = side === 'peer' ? peer : ours;
    exchange = async () => {
      const pending = await chosen.code();
      return () => chosen.exchange(pending);
    };
  }
  // Warm-up, unprofiled.
  for (let i = 0; i < 50; i++) await (await exchange())();
  const pending: (() => Promise<unknown>)[] = [];
  for (let i = 0; i < logins; i++) pending.push(await exchange());
  // --no-profile: the same loop without the profiler (its overhead is not the same on both sides).
  const profiling = !process.argv.includes('--no-profile');
  const session = new Session();
  if (profiling) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const run of pending) await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (profiling) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(out, JSON.stringify(profile));
    session.disconnect();
  }
  process.stdout.write(
    `${side}: ${logins} exchanges, ${(ms / logins).toFixed(3)} ms/exchange wall, ` +
      `${((cpu.user + cpu.system) / 1000 / logins).toFixed(3)} ms CPU/exchange${profiling ? `; profile: ${out}` : ''}\n`,
  );
  await op.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
