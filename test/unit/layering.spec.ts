import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { files as allFiles, importsOf } from '../fixtures/package-graph.js';

/** The TypeScript files under `dir`. */
const files = (dir: string) => allFiles(dir).filter((path) => path.endsWith('.ts'));

describe('layering', () => {
  it.each(['lib/core', 'lib/server'])(
    '%s imports nothing from Nest, rxjs or an HTTP framework',
    (dir) => {
      const offenders = files(dir).flatMap((file) =>
        importsOf(readFileSync(file, 'utf8'))
          .filter((spec) => /^(@nestjs\/|rxjs|express|fastify|reflect-metadata)/.test(spec))
          .map((spec) => `${file}: ${spec}`),
      );
      expect(offenders).toEqual([]);
    },
  );

  it('only lib/typeorm imports typeorm (an optional peer dependency), and nothing imports lib/typeorm', () => {
    const offenders = files('lib')
      .filter((file) => !file.startsWith(join('lib', 'typeorm')))
      .flatMap((file) =>
        importsOf(readFileSync(file, 'utf8'))
          .filter((spec) =>
            /^(typeorm|@nestjs\/typeorm|pg|better-sqlite3)(\/|$)|\/typeorm\//.test(spec),
          )
          .map((spec) => `${file}: ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the package imports nothing at run time beyond its declared dependencies', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    const allowed = new Set([
      ...Object.keys(pkg.dependencies),
      ...Object.keys(pkg.peerDependencies),
    ]);
    const offenders = files('lib').flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => !spec.startsWith('.') && !spec.startsWith('node:'))
        .map((spec) =>
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0],
        )
        .filter((name) => !allowed.has(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(offenders).toEqual([]);
  });

  it('has no top-level await, so CommonJS apps can require(esm) the package', () => {
    const offenders = files('lib').filter((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .some(
          (line) => /^(export\s+)?(const|let|var)?[^/]*\bawait\b/.test(line) && !/^\s/.test(line),
        ),
    );
    expect(offenders).toEqual([]);
  });
});
