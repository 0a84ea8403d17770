/**
 * docs/redis.md's example, run as written against a real redis-server (only
 * the package import is pointed at the sources).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startRedisServer, type RedisTestServer } from '../../fixtures/redis-server.js';

const DIR = 'test/.artifacts/redis-docs';

/** The TypeScript blocks of a Markdown file. */
function typescriptBlocks(path: string): string[] {
  return [...readFileSync(path, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('docs/redis.md', () => {
  let redis: RedisTestServer;

  beforeAll(async () => {
    redis = await startRedisServer();
    mkdirSync(DIR, { recursive: true });
  });

  afterAll(async () => {
    rmSync(DIR, { recursive: true, force: true });
    await redis?.stop();
  });

  it('has one TypeScript example, and it runs as the comments say', async () => {
    const blocks = typescriptBlocks('docs/redis.md');
    expect(blocks).toHaveLength(1);
    const source = blocks[0].replace(
      "from 'nestjs-oauth/redis'",
      "from '../../../lib/redis/index.js'",
    );
    expect(source).not.toBe(blocks[0]);
    const file = `${DIR}/example.ts`;
    writeFileSync(file, `${source}\nexport { once, twice, result, key };\n`);
    process.env.OAUTH_REDIS_URL = redis.url;
    try {
      const example = await import(pathToFileURL(`${process.cwd()}/${file}`).href);
      expect(example.once).toEqual({ codeVerifier: 'v' });
      expect(example.twice).toBeUndefined();
      expect(example.result).toBe('refreshed');
      expect(example.key).toMatch(/^refresh:github:[A-Za-z0-9_-]{43}$/);
    } finally {
      delete process.env.OAUTH_REDIS_URL;
    }
  });
});
