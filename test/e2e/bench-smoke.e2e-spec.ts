/**
 * The benchmarks of `npm run bench` (bench/), run in quick mode so they
 * cannot rot: every one must still run against its real local peers and
 * report sane numbers. Quick mode measures nothing worth reading: targets are
 * not asserted here, except the ones that are exact (one refresh per storm,
 * the published OAuth 1 signature, one replay-cache entry per login).
 */
import { BENCHMARKS } from '../../bench/benchmarks.js';
import type { BenchResult } from '../../bench/harness.js';
import { formatResult } from '../../bench/run.js';

const results = new Map<string, BenchResult>();

async function run(id: string): Promise<BenchResult> {
  const entry = BENCHMARKS.find((b) => b.id === id);
  if (!entry) throw new Error(`no benchmark ${id}`);
  const result = await entry.run({ quick: true });
  results.set(id, result);
  return result;
}

/** Every row has finite medians, a positive peer median and a finite ratio. */
function expectSaneRows(result: BenchResult, rows: number): void {
  expect(result.quick).toBe(true);
  expect(result.rows).toHaveLength(rows);
  for (const row of result.rows) {
    expect(Number.isFinite(row.ours)).toBe(true);
    expect(Number.isFinite(row.peer)).toBe(true);
    expect(Number.isFinite(row.ratio)).toBe(true);
    expect(row.ratio).toBeCloseTo(row.ours / row.peer, 10);
    expect(row.peerName).not.toBe('');
    if (row.target !== undefined) expect(typeof row.met).toBe('boolean');
  }
}

describe('benchmarks, quick smoke run', () => {
  it('lists the six benchmarks of issue #7 in order, then the protected route, the cross-process storm, the whole login and the authorization server', () => {
    expect(BENCHMARKS.map((b) => b.id)).toEqual([
      'api-call',
      'callback',
      'nest-login',
      'oauth1-sign',
      'refresh-storm',
      'memory',
      'protected-route',
      'refresh-storm-processes',
      'whole-login',
      'auth-server',
    ]);
    expect(BENCHMARKS.filter((b) => b.isolate).map((b) => b.id)).toEqual(['memory']);
  });

  it('1. api-call: six clients, sequential and concurrent, every GET authorized', async () => {
    const result = await run('api-call');
    expectSaneRows(result, 10);
    for (const row of result.rows) {
      expect(row.ours).toBeGreaterThan(0);
      expect(row.peer).toBeGreaterThan(0);
      expect(row.unit).toBe('µs/req');
    }
    const peers = [
      'raw fetch',
      'raw fetch + timeout signal',
      'raw fetch',
      'openid-client',
      'oauth4webapi',
    ];
    expect(result.rows.map((r) => r.peerName)).toEqual([...peers, ...peers]);
    const targets = ['raw fetch + timeout signal', 'raw fetch'];
    expect(result.rows.filter((r) => r.target).map((r) => r.peerName)).toEqual([
      ...targets,
      ...targets,
    ]);
    // 6 clients x 2 modes x 40 requests, all with the valid token.
    expect(result.facts?.authorizedGets).toBe(480);
  }, 60_000);

  it('2. callback: ours and openid-client exchange codes from oidc-provider', async () => {
    const result = await run('callback');
    expectSaneRows(result, 4);
    expect(result.rows[0].peerName).toBe('openid-client (signature checked)');
    expect(result.rows[0].target).toBe('≤ 0.90× openid-client');
    expect(result.rows[1].peerName).toBe('openid-client (default)');
    // The opt-in transport: ours on it, then both sides on it.
    expect(result.rows[2].metric).toContain('nodeHttpFetch()');
    expect(result.rows[2].peerName).toBe('openid-client (signature checked)');
    expect(result.rows[3].peerName).toContain('customFetch: nodeHttpFetch()');
    for (const row of result.rows) expect(row.samples).toEqual({ ours: 6, peer: 6 });
  }, 60_000);

  it('3. nest-login: full logins through both Nest apps; Fastify against Express; passport on Fastify is reported', async () => {
    const result = await run('nest-login');
    expectSaneRows(result, 11);
    expect(result.rows.map((r) => [r.unit, r.peerName, r.target ?? ''])).toEqual([
      ['ms/login', 'passport-oauth2', '≤ 1.0× passport'],
      ['logins/s', 'passport-oauth2', '≥ 1.0× passport'],
      ['ms/login', 'passport-oauth2 (OAuth 2 + userinfo)', '≤ 1.2× passport OAuth 2'],
      ['logins/s', 'passport-oauth2', ''],
      // The same targets with ours on nodeHttpFetch().
      ['ms/login', 'passport-oauth2', '≤ 1.0× passport'],
      ['logins/s', 'passport-oauth2', '≥ 1.0× passport'],
      ['ms/login', 'passport-oauth2 (OAuth 2 + userinfo)', '≤ 1.2× passport OAuth 2'],
      ['logins/s', 'nestjs-oauth on Express', '≥ 1.0× Express'],
      ['ms/login', 'nestjs-oauth on Express', ''],
      ['logins/s', 'nestjs-oauth on Express', '≥ 1.0× Express'],
      ['ms/login', 'nestjs-oauth on Express', ''],
    ]);
    for (const row of result.rows) {
      expect(row.ours).toBeGreaterThan(0);
      expect(row.peer).toBeGreaterThan(0);
    }
    expect(result.facts?.['ours fastify oidc (logins/s)']).toBeGreaterThan(0);
    expect(result.facts?.['ours fastify oauth2 (logins/s)']).toBeGreaterThan(0);
    expect(result.facts?.['ours express oauth2 node-http (logins/s)']).toBeGreaterThan(0);
    expect(String(result.facts?.passportOnFastify)).toMatch(/^(works|not supported: )/);
  }, 60_000);

  it('4. oauth1-sign: both reproduce the published signature, then sign', async () => {
    const result = await run('oauth1-sign');
    expectSaneRows(result, 2);
    expect(result.facts?.publishedExampleReproduced).toBe(true);
    for (const row of result.rows) {
      expect(row.better).toBe('higher');
      expect(row.ours).toBeGreaterThan(0);
      expect(row.peer).toBeGreaterThan(0);
    }
  }, 60_000);

  it('5. refresh-storm: exactly one refresh call and one updateToken per storm', async () => {
    const result = await run('refresh-storm');
    expectSaneRows(result, 1);
    expect(result.facts).toMatchObject({
      refreshCallsPerStormMin: 1,
      refreshCallsPerStormMax: 1,
      updateTokenCallsPerStormMax: 1,
      refreshTargetMet: true,
    });
  }, 60_000);

  it('6. memory: heap growth measured; one replay-cache entry per completed login', async () => {
    const result = await run('memory');
    expectSaneRows(result, 2);
    for (const row of result.rows) expect(row.unit).toBe('KiB');
    expect(result.facts?.replayCacheEntriesInApp).toBe(100);
    expect(result.facts?.replayCacheBytesPerEntry).toEqual(expect.any(Number));
  }, 90_000);

  it('7. protected-route: ours, passport-jwt + jwks-rsa and the open route all answer 200, on node:http and in Nest', async () => {
    const result = await run('protected-route');
    expectSaneRows(result, 7);
    const nestPassport = "@nestjs/passport AuthGuard('jwt') + jwks-rsa (Nest)";
    expect(result.rows.map((r) => r.peerName)).toEqual([
      'passport-jwt + jwks-rsa',
      'unprotected route',
      'passport-jwt + jwks-rsa',
      nestPassport,
      'unprotected Nest route',
      nestPassport,
      'passport-jwt + jwks-rsa',
    ]);
    expect(result.rows.map((r) => r.unit)).toEqual([
      'req/s',
      'req/s',
      'µs/req',
      'req/s',
      'req/s',
      'µs/req',
      'µs/token',
    ]);
    expect(result.rows[0].target).toBe('> 1× passport-jwt');
    expect(result.rows[3].target).toBe('> 1× passport-jwt');
    for (const row of result.rows) {
      expect(row.ours).toBeGreaterThan(0);
      expect(row.peer).toBeGreaterThan(0);
    }
  }, 150_000);

  it('8. refresh-storm-processes: 4 worker processes, one Redis lock, exactly one refresh call per storm', async () => {
    const result = await run('refresh-storm-processes');
    expectSaneRows(result, 1);
    expect(result.rows[0].peerName).toBe('1 process × 100 requests, no lock');
    expect(result.facts).toMatchObject({
      refreshCallsPerStormMin: 1,
      refreshCallsPerStormMax: 1,
      refreshTargetMet: true,
    });
  }, 60_000);

  it('9. whole-login: logins through the guards against openid-client on oidc-provider', async () => {
    const result = await run('whole-login');
    expectSaneRows(result, 2);
    expect(result.rows[0].target).toBe('≤ 1.8× openid-client');
    expect(result.rows[0].peerName).toMatch(/^openid-client/);
    for (const row of result.rows) {
      expect(row.unit).toBe('ms/login');
      expect(row.ours).toBeGreaterThan(0);
    }
    expect(result.facts?.loginsPerSide).toBe(8);
  }, 90_000);

  it('10. auth-server: ours (memory, SQLite) and oidc-provider serve client credentials and whole logins', async () => {
    const result = await run('auth-server');
    expectSaneRows(result, 4);
    expect(result.rows.map((r) => r.unit)).toEqual(['req/s', 'logins/s', 'req/s', 'logins/s']);
    for (const row of result.rows) {
      expect(row.peerName).toBe('oidc-provider');
      expect(row.better).toBe('higher');
      expect(row.ours).toBeGreaterThan(0);
      expect(row.peer).toBeGreaterThan(0);
    }
    expect(result.rows.filter((r) => r.target).map((r) => r.metric)).toEqual([
      'token endpoint, client_credentials',
      'code-flow logins',
    ]);
  }, 90_000);

  it('prints every result as a table with ours, the peer and the ratio', () => {
    expect([...results.keys()]).toHaveLength(10);
    for (const result of results.values()) {
      const text = formatResult(result);
      expect(text).toContain(result.title);
      expect(text).toContain('[quick]');
      for (const row of result.rows) {
        expect(text).toContain(row.peerName);
        expect(text).toContain(`${row.ratio.toFixed(3)}×`);
      }
    }
  });
});
