/**
 * `nestjs-oauth/redis` as published: compiled by tsc, loaded through the
 * package's `exports` by an ESM import and by a CommonJS require (Node's
 * require(esm)); ioredis stays out of everything else.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  buildSubpath,
  dynamicImportsOf,
  files,
  importsOf,
  runNodeIn,
  staticImportsOf,
} from '../../fixtures/package-graph.js';

const OUT = 'test/.artifacts/redis-package';
const NAMES = [
  'OAUTH_REDIS_URL_ENV',
  'RedisConnectError',
  'RedisLockTimeoutError',
  'RedisOAuthStore',
  'RedisStoreError',
  'RedisUnavailableError',
  'redisNonceStore',
  'refreshLockKey',
  'withRedisNonces',
];

describe('nestjs-oauth/redis (built)', () => {
  beforeAll(() => {
    buildSubpath(OUT, 'lib/redis/index.ts');
  }, 120_000);

  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  // Self-reference: inside the package dir, its own name resolves through `exports`.
  const run = (args: string[]) => runNodeIn(OUT, args);

  it('declares ioredis as an optional peer dependency and exports ./redis', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.peerDependencies.ioredis).toBe('^5');
    expect(pkg.peerDependenciesMeta.ioredis).toEqual({ optional: true });
    expect(pkg.dependencies.ioredis).toBeUndefined();
    expect(pkg.exports['./redis']).toEqual({
      types: './dist/redis/index.d.ts',
      default: './dist/redis/index.js',
    });
  });

  it('loads through `exports` with import and with require(esm)', () => {
    const list = JSON.stringify(NAMES);
    const esm = run([
      '--input-type=module',
      '-e',
      `const m = await import('nestjs-oauth-under-test/redis'); console.log(JSON.stringify(Object.keys(m).sort()) === '${list}')`,
    ]);
    expect(esm).toBe('true');
    const cjs = run([
      '--no-warnings',
      '-e',
      `const m = require('nestjs-oauth-under-test/redis'); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== '__esModule' && k !== 'module.exports').sort()) === '${list}')`,
    ]);
    expect(cjs).toBe('true');
  });

  it('imports only ioredis, node: modules and itself at run time', () => {
    // The run-time module graph of dist/redis/index.js (type-only imports are gone).
    const dist = resolve(`${OUT}/dist`);
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) {
          if (!/^(ioredis|node:.*)$/.test(spec)) offenders.push(`${file}: ${spec}`);
          continue;
        }
        const target = resolve(dirname(file), spec);
        if (target.startsWith(`${dist}/`)) visit(target);
        else offenders.push(`${file}: ${spec}`);
      }
    };
    visit(join(dist, 'redis', 'index.js'));
    expect(offenders).toEqual([]);
    // From the rest of the package, only the core's refresh-token hash (one implementation).
    expect([...seen].map((f) => relative(dist, f)).sort()).toEqual([
      'core/errors.js',
      'core/oauth2/refresh-lock.js',
      'core/token.js',
      'redis/index.js',
      'redis/redis-connection.js',
      'redis/redis-errors.js',
      'redis/redis-lock.js',
      'redis/redis-nonce-store.js',
      'redis/redis-oauth-store.js',
      'redis/refresh-lock-key.js',
    ]);
  });

  it('keeps ioredis out of the rest of the package, and the errors out of ioredis', () => {
    const lib = files('lib').filter(
      (f) => f.endsWith('.ts') && !f.startsWith(join('lib', 'redis')),
    );
    const redisImports = lib.flatMap((f) =>
      importsOf(readFileSync(f, 'utf8'))
        .filter((s) => s === 'ioredis' || /\/redis\//.test(s))
        .map((s) => `${f}: ${s}`),
    );
    // The Nest layer maps the errors to 503 (that file loads no Redis client); the store
    // loader alone imports the rest, dynamically, when the app asks for Redis.
    expect(
      redisImports.filter(
        (i) =>
          !i.endsWith(': ../redis/redis-errors.js') &&
          i !== join('lib', 'store', 'redis-store.loader.ts') + ': ../redis/index.js',
      ),
    ).toEqual([]);
    const loader = readFileSync('lib/store/redis-store.loader.ts', 'utf8');
    expect([...new Set(dynamicImportsOf(loader))]).toEqual(['../redis/index.js']);
    expect(staticImportsOf(loader).filter((s) => /redis\/index/.test(s))).toEqual([]);
    expect(importsOf(readFileSync('lib/redis/redis-errors.ts', 'utf8'))).toEqual([]);
  });

  it('loads no ioredis with the main entry: its run-time graph never reaches it', () => {
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of staticImportsOf(readFileSync(file, 'utf8'))) {
        if (spec === 'ioredis') offenders.push(file);
        if (!spec.startsWith('.')) continue;
        visit(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
      }
    };
    visit(resolve('lib/index.ts'));
    expect(offenders).toEqual([]);
    expect(
      [...seen].map((f) => relative(resolve('lib'), f)).filter((f) => f.startsWith('redis')),
    ).toEqual([join('redis', 'redis-errors.ts')]);
  });
});
