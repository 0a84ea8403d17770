/**
 * `nestjs-oauth/typeorm` as published: compiled by tsc, loaded through the
 * package's `exports` by an ESM import and by a CommonJS require (Node's
 * require(esm)); typeorm and @nestjs/typeorm are optional peers, and the
 * subpath needs nothing of the Nest layer (the root entry not loading
 * without typeorm is checked in test/e2e/package.e2e-spec.ts).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubpath, files, importsOf, runNodeIn } from '../../fixtures/package-graph.js';

const OUT = 'test/.artifacts/typeorm-package';
const NAMES = [
  'OAUTH2_SERVER_ENTITIES',
  'OAUTH_TYPEORM_STORAGE_OPTIONS',
  'OAuth2CacheEntryEntity',
  'OAuth2ClientEntity',
  'OAuth2GrantEntity',
  'OAuth2TokenEntity',
  'TypeOrmOAuth2ServerCache',
  'TypeOrmOAuth2ServerStorage',
];

describe('nestjs-oauth/typeorm (built)', () => {
  beforeAll(() => {
    buildSubpath(OUT, 'lib/typeorm/index.ts');
  }, 120_000);

  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  const run = (args: string[]) => runNodeIn(OUT, args);

  it('declares typeorm and @nestjs/typeorm as optional peer dependencies and exports ./typeorm', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    for (const name of ['typeorm', '@nestjs/typeorm']) {
      expect(pkg.peerDependencies[name]).toEqual(expect.any(String));
      expect(pkg.peerDependenciesMeta[name]).toEqual({ optional: true });
      expect(pkg.dependencies[name]).toBeUndefined();
    }
    expect(pkg.exports['./typeorm']).toEqual({
      types: './dist/typeorm/index.d.ts',
      default: './dist/typeorm/index.js',
    });
  });

  it('loads through `exports` with import and with require(esm)', () => {
    const list = JSON.stringify(NAMES);
    const esm = run([
      '--input-type=module',
      '-e',
      `const m = await import('nestjs-oauth-under-test/typeorm'); console.log(JSON.stringify(Object.keys(m).sort()))`,
    ]);
    expect(esm).toBe(list);
    const cjs = run([
      '--no-warnings',
      '-e',
      `const m = require('nestjs-oauth-under-test/typeorm'); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== '__esModule' && k !== 'module.exports').sort()))`,
    ]);
    expect(cjs).toBe(list);
  });

  it('imports typeorm, @nestjs/common (for @Injectable), jose, node: modules, and only core and server of the package', () => {
    const offenders = files(`${OUT}/dist`)
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) => importsOf(readFileSync(f, 'utf8')).map((spec) => ({ f, spec })))
      .filter(({ f, spec }) => {
        if (/^(typeorm|@nestjs\/common|jose|node:.*)$/.test(spec)) return false;
        if (!spec.startsWith('.')) return true;
        // A relative import stays in typeorm/, or goes to core/ or server/, never the Nest layer.
        const target = join(f, '..', spec);
        return !/\/dist\/(typeorm|core|server)\//.test(target);
      })
      .map(({ f, spec }) => `${f}: ${spec}`);
    expect(offenders).toEqual([]);
  });
});
