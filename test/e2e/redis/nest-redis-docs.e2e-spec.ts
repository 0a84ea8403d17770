/**
 * docs/several-instances.md cannot drift from what is tested: its TypeScript
 * blocks are the fixtures the several-instances tests run (line for line,
 * but for the package imports), its settings block is what those instances
 * are given (nest-redis-processes.e2e-spec.ts), its 503 body what they
 * answer (nest-redis-faults.e2e-spec.ts); and the page is linked.
 */
import { readFileSync } from 'node:fs';
import {
  fixtureBlock,
  pageBlockLanguages,
  pageBlocks,
} from '../../fixtures/several-instances/docs-page.js';

describe('docs/several-instances.md', () => {
  it('has no code block that no test runs', () => {
    expect(pageBlockLanguages()).toEqual(['ts', 'sh', 'ts', 'ts', 'json']);
  });

  it('shows the apps the tests run, line for line', () => {
    const [app, store, cacheManager] = pageBlocks('ts');
    expect(app).toBe(fixtureBlock('app.module.ts'));
    expect(store).toBe(fixtureBlock('store.module.ts'));
    expect(cacheManager).toBe(fixtureBlock('cache-manager.module.ts'));
    // Each block imports the package by its published names only.
    for (const block of pageBlocks('ts')) {
      expect(block).not.toMatch(/from '\.\.\/\.\.\//);
    }
  });

  it('is linked from the README’s feature list and from docs/redis.md', () => {
    expect(readFileSync('README.md', 'utf8')).toContain('(docs/several-instances.md)');
    const redis = readFileSync('docs/redis.md', 'utf8');
    expect(redis).toContain('(several-instances.md)');
    expect(redis).not.toMatch(/\bTo do\b/);
  });
});
