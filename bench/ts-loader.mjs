/**
 * A Node module loader that runs the repository's TypeScript sources as they
 * are (transpiled file by file with the `typescript` package, no type check):
 * `node --import ./bench/ts-loader.mjs file.ts`. The benchmarks' child
 * processes use it when the benchmark itself runs from source (the smoke test
 * under Jest); `npm run bench` runs them from `.bench-dist/` instead.
 */
import { readFile } from 'node:fs/promises';
import { register } from 'node:module';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

if (!process.env.BENCH_TS_LOADER_HOOKS) {
  process.env.BENCH_TS_LOADER_HOOKS = '1';
  register(import.meta.url);
}

let ts;

/** `./x.js` that exists only as `./x.ts` resolves to the `.ts` file. */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    if (
      err?.code !== 'ERR_MODULE_NOT_FOUND' ||
      !specifier.endsWith('.js') ||
      !specifier.startsWith('.')
    ) {
      throw err;
    }
    return next(specifier.slice(0, -3) + '.ts', context);
  }
}

/** `.ts` files are transpiled to ES modules. */
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  ts ??= (await import('typescript')).default;
  const source = await readFile(fileURLToPath(url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      useDefineForClassFields: false,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
