/**
 * docs/redis.md's examples, run as written (only the package imports are
 * pointed at the sources) against a real redis-server; the refresh-lock
 * example in two separate processes at once against oidc-provider (rotating
 * refresh tokens, reuse detection), which must see exactly one refresh.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { OAuth2Client } from '../../../lib/core/oauth2/oauth2-client.js';
import type { OAuth2Token } from '../../../lib/core/token.js';
import { RedisOAuthStore } from '../../../lib/redis/index.js';
import { BrowserClient } from '../../fixtures/browser-client.js';
import { startOidcProvider, type OidcProviderFixture } from '../../fixtures/oidc-provider.js';
import { startRedisServer, type RedisTestServer } from '../../fixtures/redis-server.js';

const DIR = 'test/.artifacts/redis-docs';
const REGISTER = fileURLToPath(new URL('../../fixtures/ts-loader/register.mjs', import.meta.url));

/** The TypeScript blocks of a Markdown file. */
function typescriptBlocks(path: string): string[] {
  return [...readFileSync(path, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** A block with the package imports pointed at the sources (each must have been there). */
function fromSources(block: string): string {
  let source = block;
  for (const [from, to] of [
    ["from 'nestjs-oauth/redis'", "from '../../../lib/redis/index.js'"],
    ["from 'nestjs-oauth/core'", "from '../../../lib/core/index.js'"],
  ]) {
    if (block.includes(from)) source = source.replace(from, to);
  }
  expect(source).not.toMatch(/from 'nestjs-oauth/);
  return source;
}

describe('docs/redis.md', () => {
  let redis: RedisTestServer;
  let blocks: string[];

  beforeAll(async () => {
    redis = await startRedisServer();
    mkdirSync(DIR, { recursive: true });
    blocks = typescriptBlocks('docs/redis.md');
  });

  afterAll(async () => {
    rmSync(DIR, { recursive: true, force: true });
    await redis?.stop();
  });

  it('has two TypeScript examples', () => {
    expect(blocks).toHaveLength(2);
  });

  it('the store example runs as the comments say', async () => {
    const file = `${DIR}/example.ts`;
    writeFileSync(file, `${fromSources(blocks[0])}\nexport { once, twice, result, key };\n`);
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

  describe('the refresh-lock example', () => {
    let op: OidcProviderFixture;

    beforeAll(async () => {
      op = await startOidcProvider();
    });
    afterAll(() => op?.close());

    it('run by two processes at once on an expired token: one refresh, both get 200', async () => {
      // alice logs in; her token is saved expired where the example reads it.
      const settings = {
        clientId: op.clients.basic.clientId,
        clientSecret: op.clients.basic.clientSecret,
        serverMetadataUrl: op.discoveryUrl,
      };
      const login = new OAuth2Client({
        ...settings,
        scope: 'openid offline_access',
        redirectUri: op.clients.basic.redirectUri,
      });
      await login.loadServerMetadata();
      const flow = login.createAuthorizationUrl();
      const { callbackUrl } = await new BrowserClient().loginAtProvider(flow.url);
      const token = await login.fetchToken(undefined, { authorizationResponse: callbackUrl });
      const store = await RedisOAuthStore.connect({ url: redis.url });
      try {
        await store.set('token:alice', { ...token, expires_at: Math.floor(Date.now() / 1000) - 5 });

        const file = `${DIR}/refresh-lock.ts`;
        writeFileSync(file, fromSources(blocks[1]));
        const env = {
          ...process.env,
          NODE_OPTIONS: '',
          OAUTH_REDIS_URL: redis.url,
          CLIENT_ID: settings.clientId,
          CLIENT_SECRET: settings.clientSecret,
          SERVER_METADATA_URL: settings.serverMetadataUrl,
          API_URL: `${op.issuer}/me`,
        };
        const mark = op.requests.length;
        const run = () =>
          promisify(execFile)(process.execPath, ['--import', REGISTER, '--no-warnings', file], {
            env,
            timeout: 30_000,
          });
        const outputs = await Promise.all([run(), run()]);

        expect(outputs.map((o) => o.stdout)).toEqual(['200\n', '200\n']);
        const refreshes = op.requests
          .slice(mark)
          .filter((r) => r.path === '/token' && r.body?.grant_type === 'refresh_token');
        expect(refreshes.map((r) => r.status)).toEqual([200]);
        const saved = (await store.get('token:alice')) as OAuth2Token;
        expect(saved.refresh_token).not.toBe(token.refresh_token);
        expect(saved.expires_at).toBeGreaterThan(Date.now() / 1000);
      } finally {
        await store.close();
      }
    }, 60_000);
  });
});
