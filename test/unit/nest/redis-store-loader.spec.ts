/**
 * An app that asks for Redis (OAUTH_REDIS_URL, an ioredis client as cache)
 * where ioredis is not installed: start-up stops with the fix, not a bare
 * "cannot find module". ioredis is made unloadable for this file only.
 */
import { jest } from '@jest/globals';

jest.unstable_mockModule('ioredis', () => {
  throw Object.assign(new Error("Cannot find package 'ioredis' imported from /app/dist/redis"), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
});

const { loadRedisStore } = await import('../../../lib/store/redis-store.loader.js');
const { OAuthConfigError } = await import('../../../lib/errors/oauth-config.error.js');

describe('loadRedisStore without ioredis', () => {
  it('OAUTH_REDIS_URL: an OAuthConfigError that says to install ioredis', async () => {
    const err = await loadRedisStore({ url: 'redis://127.0.0.1:1' }).catch((e) => e);
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect(err).toMatchObject({
      key: 'OAUTH_REDIS_URL',
      message:
        'OAuth module: OAUTH_REDIS_URL asks for Redis, which needs the ioredis package: npm install ioredis',
    });
  });
});
