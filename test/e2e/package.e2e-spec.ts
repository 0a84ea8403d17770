/**
 * The published shape of the package: `tsc -p tsconfig.build.json` output
 * (ESM + .d.ts), loaded through its package.json `exports` by an ESM import
 * and by a CommonJS `require` (Node's require(esm)), with a framework-free
 * `core` that loads no Nest package.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { files } from '../fixtures/package-graph.js';

const OUT = '.package-test';

describe('the built package', () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT);
    execFileSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', `${OUT}/dist`],
      { stdio: 'pipe' },
    );
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    writeFileSync(
      `${OUT}/package.json`,
      JSON.stringify({ ...pkg, name: 'nestjs-oauth-under-test' }),
    );
    cpSync('README.md', `${OUT}/README.md`);
  }, 120_000);

  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  const run = (args: string[]) =>
    execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('emits JavaScript and type declarations for every module', () => {
    const out = files(`${OUT}/dist`);
    expect(out).toContain(join(OUT, 'dist/index.js'));
    expect(out).toContain(join(OUT, 'dist/index.d.ts'));
    const js = out.filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(40);
    for (const file of js) expect(out).toContain(file.replace(/\.js$/, '.d.ts'));
  });

  it('loads through `exports` with import and with require(esm), with the public names', () => {
    const names = ['OAuthModule', 'OAuth2Client', 'OAuth1Client', 'AssertionClient', 'presets'];
    const esm = run([
      '--input-type=module',
      '-e',
      `const m = await import('./${OUT}/dist/index.js'); console.log(${JSON.stringify(names)}.map((n) => typeof m[n]).join(','))`,
    ]);
    expect(esm.trim()).toBe('function,function,function,function,object');
    const cjs = run([
      '--no-warnings',
      '-e',
      `const m = require('./${OUT}'); console.log(${JSON.stringify(names)}.map((n) => typeof m[n]).join(','))`,
    ]);
    expect(cjs.trim()).toBe('function,function,function,function,object');
  });

  it('loads the root entry, core and server with no database library installed', () => {
    // A resolve hook that answers "not installed" for typeorm, @nestjs/typeorm and the drivers.
    const hooks = `${OUT}/no-typeorm-hooks.mjs`;
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {
  if (/^(typeorm|@nestjs\\/typeorm|pg|better-sqlite3)(\\/|$)/.test(specifier)) {
    throw Object.assign(new Error('Cannot find package ' + specifier), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}\n`,
    );
    writeFileSync(
      `${OUT}/no-typeorm.mjs`,
      "import { register } from 'node:module'; register('./no-typeorm-hooks.mjs', import.meta.url);\n",
    );
    const load = (entry: string) =>
      run([
        '--import',
        `./${OUT}/no-typeorm.mjs`,
        '--input-type=module',
        '-e',
        `import('./${OUT}/dist/${entry}').then((m) => console.log(Object.keys(m).length > 0), (e) => console.log(e.code))`,
      ]).trim();
    expect(load('index.js')).toBe('true');
    expect(load('core/index.js')).toBe('true');
    expect(load('server/index.js')).toBe('true');
    // The hook does hide typeorm: the subpath that needs it does not load.
    expect(load('typeorm/index.js')).toBe('ERR_MODULE_NOT_FOUND');
  });

  it('keeps dist/core free of Nest, rxjs and reflect-metadata', () => {
    const offenders = files(`${OUT}/dist/core`)
      .filter((f) => f.endsWith('.js'))
      .filter((f) => /from ['"](@nestjs\/|rxjs|reflect-metadata)/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
