/**
 * OAuth2Client's refreshLock / reloadToken hook, branch by branch, with an
 * in-process lock and a stubbed token endpoint. The flow across processes
 * (real Redis, oidc-provider with reuse detection) is proven in
 * test/e2e/redis/redis-refresh-processes.e2e-spec.ts.
 */
import { MissingTokenError, TokenExpiredError } from '../../../../lib/core/errors.js';
import {
  OAuth2Client,
  type OAuth2ClientOptions,
  type RefreshLockFunction,
} from '../../../../lib/core/oauth2/oauth2-client.js';
import { refreshTokenHash } from '../../../../lib/core/oauth2/refresh-lock.js';
import type { OAuth2Token } from '../../../../lib/core/token.js';

const TOKEN_ENDPOINT = 'https://as.example/token';
const past = () => Math.floor(Date.now() / 1000) - 10;
const future = () => Math.floor(Date.now() / 1000) + 3600;

/** A token endpoint that rotates: refresh token `rN` gives `aN+1` / `rN+1`. */
function tokenEndpoint() {
  const used: string[] = [];
  const fetch = async (_url: string | URL | Request, init: RequestInit = {}) => {
    const rt = new URLSearchParams(String(init.body)).get('refresh_token')!;
    used.push(rt);
    const n = Number(rt.slice(1)) + 1;
    return new Response(
      JSON.stringify({ access_token: `a${n}`, refresh_token: `r${n}`, expires_in: 3600 }),
      { headers: { 'content-type': 'application/json' } },
    );
  };
  return { fetch, used };
}

/** A lock in this process (a promise chain), logging what happens in which order. */
function memoryLock(log: string[] = []) {
  const keys: string[] = [];
  let tail: Promise<unknown> = Promise.resolve();
  const lock: RefreshLockFunction = (key, refresh) => {
    keys.push(key);
    const run = tail.then(async () => {
      log.push('acquire');
      try {
        return await refresh();
      } finally {
        log.push('release');
      }
    });
    tail = run.catch(() => undefined);
    return run;
  };
  return { lock, keys, log };
}

function client(options: Partial<OAuth2ClientOptions>) {
  const endpoint = tokenEndpoint();
  const c = new OAuth2Client({ tokenEndpoint: TOKEN_ENDPOINT, fetch: endpoint.fetch, ...options });
  return { c, used: endpoint.used };
}

describe('OAuth2Client refreshLock: options', () => {
  it('refuses refreshLock without reloadToken at construction (fail closed)', () => {
    const { lock } = memoryLock();
    expect(() => new OAuth2Client({ refreshLock: lock })).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'ERR_OAUTH_INVALID_OPTION' }),
    );
    expect(() => new OAuth2Client({ refreshLock: lock })).toThrow(/refreshLock needs reloadToken/);
    expect(
      () => new OAuth2Client({ refreshLock: 'redis' as never, reloadToken: () => undefined }),
    ).toThrow(/refreshLock must be a function/);
    expect(() => new OAuth2Client({ reloadToken: {} as never })).toThrow(
      /reloadToken must be a function/,
    );
  });

  it('a stateless client without any reloadToken fails at the refresh, before the lock', async () => {
    const { lock, keys } = memoryLock();
    const { c, used } = client({ refreshLock: lock, stateless: true });
    const stale = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    await expect(c.ensureActiveToken(stale)).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_OAUTH_INVALID_OPTION',
    });
    await expect(c.get('https://api.example/me', { token: stale })).rejects.toThrow(TypeError);
    expect(keys).toEqual([]);
    expect(used).toEqual([]);
  });
});

describe('OAuth2Client refreshLock: inside the lock', () => {
  it('locks the base64url SHA-256 of the refresh token, never the token', async () => {
    const refreshToken = 'rt-8f1c0a9e-secret-refresh-token';
    const { lock, keys } = memoryLock();
    const stale = { access_token: 'a', refresh_token: refreshToken, expires_at: past() };
    const { c } = client({ refreshLock: lock, reloadToken: () => stale });
    await c.ensureActiveToken(stale);
    // The same vector as refreshLockKey's test in test/e2e/redis/redis-store.e2e-spec.ts.
    expect(keys).toEqual(['ThoGCHQeucXwAlrhTmLX_5LHaPiDrzXw4ltF1WpFHHA']);
    expect(refreshTokenHash(refreshToken)).toBe(keys[0]);
  });

  it('refreshes when the saved token is still the stale one; updateToken has saved it before the lock is released', async () => {
    const { lock, log } = memoryLock();
    let saved: OAuth2Token = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    const { c, used } = client({
      token: saved,
      refreshLock: lock,
      reloadToken: () => saved,
      updateToken: async (token) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        saved = token;
        log.push('saved');
      },
    });
    const active = await c.ensureActiveToken();
    expect(used).toEqual(['r0']);
    expect(log).toEqual(['acquire', 'saved', 'release']);
    expect(active).toMatchObject({ access_token: 'a1', refresh_token: 'r1' });
    expect(c.token).toBe(active);
  });

  it('takes a token another process refreshed: no refresh, no updateToken, the client keeps it', async () => {
    const { lock } = memoryLock();
    const stale = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    const fresh = { access_token: 'a1', refresh_token: 'r1', expires_at: future() };
    const updates: OAuth2Token[] = [];
    const { c, used } = client({
      token: stale,
      refreshLock: lock,
      reloadToken: async () => fresh,
      updateToken: (token) => void updates.push(token),
    });
    await expect(c.ensureActiveToken()).resolves.toBe(fresh);
    expect(used).toEqual([]);
    expect(updates).toEqual([]);
    expect(c.token).toBe(fresh);
  });

  it('also takes a fresh token with the same refresh token (a provider that does not rotate)', async () => {
    const { lock } = memoryLock();
    const stale = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    const fresh = { access_token: 'a0b', refresh_token: 'r0', expires_at: future() };
    const { c, used } = client({ stateless: true, refreshLock: lock });
    await expect(c.ensureActiveToken(stale, { reloadToken: () => fresh })).resolves.toBe(fresh);
    expect(used).toEqual([]);
  });

  it('a saved token rotated by another process and expired again is refreshed with its own refresh token, under its own lock', async () => {
    const { lock, keys } = memoryLock();
    const stale = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    let saved: OAuth2Token = { access_token: 'a5', refresh_token: 'r5', expires_at: past() };
    const { c, used } = client({
      token: stale,
      refreshLock: lock,
      reloadToken: () => saved,
      updateToken: (token) => void (saved = token),
    });
    const active = await c.ensureActiveToken();
    // Never the spent r0: the provider would see a reused refresh token.
    expect(used).toEqual(['r5']);
    expect(keys).toEqual([refreshTokenHash('r0'), refreshTokenHash('r5')]);
    expect(active).toMatchObject({ access_token: 'a6', refresh_token: 'r6' });
    expect(saved).toBe(active);
    expect(c.token).toBe(active);
  });

  it('gives up when the saved token keeps changing (no chase, no loop)', async () => {
    const { lock, keys } = memoryLock();
    let n = 0;
    const { c, used } = client({
      stateless: true,
      refreshLock: lock,
      reloadToken: () => ({ access_token: `x${n}`, refresh_token: `s${++n}`, expires_at: past() }),
    });
    const stale = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    await expect(c.ensureActiveToken(stale)).rejects.toThrow(
      new TokenExpiredError({
        message: 'the saved token expired and was replaced while refreshing it; try again',
      }),
    );
    expect(keys).toEqual([refreshTokenHash('r0'), refreshTokenHash('s1')]);
    expect(used).toEqual([]);
  });

  it('a saved token without a refresh token that has expired: TokenExpiredError, no refresh', async () => {
    const { lock } = memoryLock();
    const { c, used } = client({ stateless: true, refreshLock: lock });
    const stale = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    await expect(
      c.ensureActiveToken(stale, {
        reloadToken: () => ({ access_token: 'z', expires_at: past() }),
      }),
    ).rejects.toBeInstanceOf(TokenExpiredError);
    expect(used).toEqual([]);
  });

  it('a saved token that is gone fails with MissingTokenError (no refresh brings it back)', async () => {
    const { lock } = memoryLock();
    const { c, used } = client({ stateless: true, refreshLock: lock });
    const stale = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    await expect(c.ensureActiveToken(stale, { reloadToken: () => undefined })).rejects.toThrow(
      MissingTokenError,
    );
    expect(used).toEqual([]);
  });

  it('a lock that cannot be taken fails the request: no refresh without it', async () => {
    const unavailable = Object.assign(new Error('Redis is unavailable'), { code: 'x' });
    const { c, used } = client({
      stateless: true,
      refreshLock: () => Promise.reject(unavailable),
    });
    const stale = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    await expect(
      c.get('https://api.example/me', { token: stale, reloadToken: () => stale }),
    ).rejects.toBe(unavailable);
    expect(used).toEqual([]);
  });
});

describe('OAuth2Client refreshLock: in front of it', () => {
  it('20 concurrent requests of one process send one caller to the lock', async () => {
    const { lock, keys } = memoryLock();
    let saved: OAuth2Token = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    const requests: string[] = [];
    const endpoint = tokenEndpoint();
    const c = new OAuth2Client({
      tokenEndpoint: TOKEN_ENDPOINT,
      stateless: true,
      refreshLock: lock,
      updateToken: (token) => void (saved = token),
      fetch: async (url, init = {}) => {
        if (String(url) === TOKEN_ENDPOINT) return endpoint.fetch(url, init);
        requests.push(new Headers(init.headers).get('authorization')!);
        expect(init).not.toHaveProperty('reloadToken');
        return new Response('ok');
      },
    });
    const stale = saved;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        c.get('https://api.example/me', { token: stale, reloadToken: () => saved }),
      ),
    );
    expect(keys).toHaveLength(1);
    expect(endpoint.used).toEqual(['r0']);
    expect(new Set(requests)).toEqual(new Set(['Bearer a1']));
  });
});

describe('OAuth2Client refreshLock: per call', () => {
  it('a per-call lock (with its reloadToken) locks that call; a call without one refreshes in-process', async () => {
    const { lock, keys, log } = memoryLock();
    let saved: OAuth2Token = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    const endpoint = tokenEndpoint();
    const seen: RequestInit[] = [];
    const c = new OAuth2Client({
      tokenEndpoint: TOKEN_ENDPOINT,
      stateless: true,
      updateToken: (token) => void (saved = token),
      fetch: async (url, init = {}) => {
        if (String(url) === TOKEN_ENDPOINT) return endpoint.fetch(url, init);
        seen.push(init);
        return new Response('ok');
      },
    });
    await c.get('https://api.example/me', {
      token: saved,
      reloadToken: () => saved,
      refreshLock: lock,
    });
    expect(keys).toEqual([refreshTokenHash('r0')]);
    expect(log).toEqual(['acquire', 'release']);
    expect(seen[0]).not.toHaveProperty('refreshLock');
    // No lock for this call (the client has none): the in-process refresh, no reloadToken needed.
    const stale = { access_token: 'x0', refresh_token: 'r5', expires_at: past() };
    await expect(c.ensureActiveToken(stale)).resolves.toMatchObject({ access_token: 'a6' });
    expect(keys).toHaveLength(1);
    expect(endpoint.used).toEqual(['r0', 'r5']);
  });

  it('the per-call lock wins over the client lock', async () => {
    const client1 = memoryLock();
    const call = memoryLock();
    const stale = { access_token: 'a0', refresh_token: 'r0', expires_at: past() };
    const { c } = client({ refreshLock: client1.lock, stateless: true });
    await c.ensureActiveToken(stale, { reloadToken: () => stale, refreshLock: call.lock });
    expect(call.keys).toHaveLength(1);
    expect(client1.keys).toEqual([]);
  });
});
