import { jest } from '@jest/globals';
import { CompactEncrypt } from 'jose';
import { MismatchingStateError } from '../../../lib/core/errors.js';
import { CacheStateStore } from '../../../lib/state/cache-state.store.js';
import { moveDateOnly } from '../../fixtures/clock.js';
import {
  CookieStateStore,
  MAX_COOKIE_BYTES,
  MAX_COOKIE_FLOWS,
} from '../../../lib/state/cookie-state.store.js';
import { MAX_RETURN_TO_BYTES } from '../../../lib/utils/return-to.util.js';
import { InvalidStateError } from '../../../lib/errors/invalid-state.error.js';
import { stateCookieName } from '../../../lib/state/state-cookie-name.js';
import { deriveStateKey } from '../../../lib/state/state-crypto.js';
import type { OAuthStateData, StateCookieIO } from '../../../lib/state/state-store.interface.js';

/** A browser's cookies for one site, seen through the store's IO interface. */
class Jar implements StateCookieIO {
  readonly cookies = new Map<string, string>();
  readonly set: { name: string; value: string; path: string; maxAge: number; secure: boolean }[] =
    [];

  getCookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }
  setCookie(
    name: string,
    value: string,
    options: { path: string; secure: boolean; maxAge: number },
  ): void {
    this.set.push({ name, value, ...options });
    if (options.maxAge <= 0) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

const SECRET = 'state-store-secret-0123456789abcdef0123456789';
const cookie = { path: '/auth', secure: false };
const flow = (state: string, extra: Partial<OAuthStateData> = {}): OAuthStateData => ({
  name: 'github',
  state,
  codeVerifier: `verifier-${state}`,
  nonce: `nonce-${state}`,
  redirectUri: 'https://app.example/auth/callback/github',
  returnTo: '/home',
  ...extra,
});

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidStateError);
    expect(err).toBeInstanceOf(MismatchingStateError);
    return (err as InvalidStateError).reason;
  }
  throw new Error('expected an InvalidStateError');
}

afterEach(() => jest.useRealTimers());

describe('CookieStateStore', () => {
  const store = () => new CookieStateStore({ secrets: [SECRET], ttl: 600, cookieName: 'oauth' });

  it('round-trips a flow through an encrypted, scoped cookie and deletes it on use', async () => {
    const s = store();
    const jar = new Jar();
    await s.save(jar, flow('state-1'), cookie);
    const name = stateCookieName('oauth', 'github', 'state-1');
    expect(jar.set).toEqual([
      { name, value: expect.any(String), path: '/auth', secure: false, maxAge: 660 },
    ]);
    const value = jar.cookies.get(name)!;
    expect(value.split('.')).toHaveLength(5);
    for (const secret of ['state-1', 'verifier-state-1', 'nonce-state-1', '/home']) {
      expect(value).not.toContain(secret);
      expect(Buffer.from(value.split('.')[3], 'base64url').toString('latin1')).not.toContain(
        secret,
      );
    }
    const data = await s.consume(jar, 'github', 'state-1', { secure: false });
    expect(data).toEqual({ ...flow('state-1'), createdAt: expect.any(Number) });
    expect(jar.set.at(-1)).toEqual({ name, value: '', path: '/auth', secure: false, maxAge: 0 });
    expect(jar.cookies.has(name)).toBe(false);
  });

  it('works across instances that share the secret, and with a rotated secret list', async () => {
    const jar = new Jar();
    await store().save(jar, flow('s'), cookie);
    const rotated = new CookieStateStore({
      secrets: ['new-secret-abcdef0123456789', SECRET],
      ttl: 600,
      cookieName: 'oauth',
    });
    expect((await rotated.consume(jar, 'github', 's', cookie)).codeVerifier).toBe('verifier-s');
    const jar2 = new Jar();
    await store().save(jar2, flow('t'), cookie);
    const other = new CookieStateStore({
      secrets: ['another-secret-0123456789abcdef'],
      ttl: 600,
      cookieName: 'oauth',
    });
    expect(await reason(other.consume(jar2, 'github', 't', cookie))).toBe('unknown');
  });

  it('refuses a tampered, truncated or garbage cookie', async () => {
    const s = store();
    for (const mutate of [
      (v: string) => {
        const parts = v.split('.');
        const bytes = Buffer.from(parts[3], 'base64url');
        bytes[0] ^= 1;
        parts[3] = bytes.toString('base64url');
        return parts.join('.');
      },
      (v: string) => {
        const parts = v.split('.');
        const tag = Buffer.from(parts[4], 'base64url');
        tag[tag.length - 1] ^= 0x80;
        parts[4] = tag.toString('base64url');
        return parts.join('.');
      },
      (v: string) => v.slice(0, -10),
      () => 'garbage',
      () => 'a.b.c.d.e',
      () => '',
    ]) {
      const jar = new Jar();
      await s.save(jar, flow('s'), cookie);
      const name = stateCookieName('oauth', 'github', 's');
      jar.cookies.set(name, mutate(jar.cookies.get(name)!));
      expect(await reason(s.consume(jar, 'github', 's', cookie))).toBe('unknown');
    }
  });

  it('refuses a JWE made with a key derived otherwise, and a cookie of another flow or client', async () => {
    const s = store();
    const jar = new Jar();
    // Right key, but not a JWT of ours (no exp, no audience).
    const foreign = await new CompactEncrypt(
      new TextEncoder().encode('{"d":{"name":"github","state":"s"}}'),
    )
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(await deriveStateKey(SECRET));
    jar.cookies.set(stateCookieName('oauth', 'github', 's'), foreign);
    expect(await reason(s.consume(jar, 'github', 's', cookie))).toBe('unknown');

    // The cookie of flow A presented as flow B's.
    const jar2 = new Jar();
    await s.save(jar2, flow('A'), cookie);
    jar2.cookies.set(
      stateCookieName('oauth', 'github', 'B'),
      jar2.cookies.get(stateCookieName('oauth', 'github', 'A'))!,
    );
    expect(await reason(s.consume(jar2, 'github', 'B', cookie))).toBe('unknown');

    // A flow of client "github" presented to client "gitlab".
    const jar3 = new Jar();
    await s.save(jar3, flow('C'), cookie);
    jar3.cookies.set(
      stateCookieName('oauth', 'gitlab', 'C'),
      jar3.cookies.get(stateCookieName('oauth', 'github', 'C'))!,
    );
    expect(await reason(s.consume(jar3, 'gitlab', 'C', cookie))).toBe('unknown');
  });

  it('reports a missing cookie as unknown, and a second use as replayed (even with a copied cookie)', async () => {
    const s = store();
    expect(await reason(s.consume(new Jar(), 'github', 'nope', cookie))).toBe('unknown');
    const jar = new Jar();
    await s.save(jar, flow('s'), cookie);
    const name = stateCookieName('oauth', 'github', 's');
    const copy = jar.cookies.get(name)!;
    await s.consume(jar, 'github', 's', cookie);
    expect(await reason(s.consume(jar, 'github', 's', cookie))).toBe('replayed');
    jar.cookies.set(name, copy);
    expect(await reason(s.consume(jar, 'github', 's', cookie))).toBe('replayed');
  });

  it('reports an expired flow as expired (and deletes its cookie)', async () => {
    const s = store();
    const jar = new Jar();
    await s.save(jar, flow('s'), cookie);
    moveDateOnly(601_000);
    expect(await reason(s.consume(jar, 'github', 's', cookie))).toBe('expired');
    expect(jar.set.at(-1)).toMatchObject({ maxAge: 0, path: '/auth' });
    jest.useRealTimers();
    // Just before the end it still works.
    const jar2 = new Jar();
    await s.save(jar2, flow('t'), cookie);
    moveDateOnly(598_000);
    expect((await s.consume(jar2, 'github', 't', cookie)).state).toBe('t');
  });

  it('keeps several flows (tabs) apart', async () => {
    const s = store();
    const jar = new Jar();
    for (const state of ['a', 'b', 'c']) await s.save(jar, flow(state), cookie);
    expect(jar.cookies.size).toBe(3);
    expect((await s.consume(jar, 'github', 'b', cookie)).codeVerifier).toBe('verifier-b');
    expect((await s.consume(jar, 'github', 'c', cookie)).codeVerifier).toBe('verifier-c');
    expect((await s.consume(jar, 'github', 'a', cookie)).codeVerifier).toBe('verifier-a');
  });

  it('drops the oldest and the unreadable flow cookies beyond the limit', async () => {
    const s = store();
    const jar = new Jar();
    for (let i = 0; i < MAX_COOKIE_FLOWS; i++) {
      moveDateOnly(i * 1000);
      await s.save(jar, flow(`s${i}`), cookie);
    }
    jest.useRealTimers();
    jar.cookies.set(stateCookieName('oauth', 'github', 'junk'), 'junk');
    jar.cookies.set(stateCookieName('oauth', 'gitlab', 'other-client'), 'kept');
    moveDateOnly(20_000);
    await s.save(jar, flow('new'), cookie);
    const names = [...jar.cookies.keys()];
    expect(names.filter((n) => n.startsWith('oauth_github_'))).toHaveLength(MAX_COOKIE_FLOWS);
    expect(names).not.toContain(stateCookieName('oauth', 'github', 'junk'));
    expect(names).not.toContain(stateCookieName('oauth', 'github', 's0'));
    expect(names).toContain(stateCookieName('oauth', 'github', 's1'));
    expect(names).toContain(stateCookieName('oauth', 'github', 'new'));
    expect(names).toContain(stateCookieName('oauth', 'gitlab', 'other-client'));
  });

  it("keeps one client's flow cookies under MAX_COOKIE_BYTES, dropping the oldest", async () => {
    const s = store();
    const jar = new Jar();
    const longReturnTo = `/${'a'.repeat(MAX_RETURN_TO_BYTES - 1)}`;
    for (let i = 0; i < MAX_COOKIE_FLOWS; i++) {
      moveDateOnly(i * 1000);
      await s.save(jar, flow(`s${i}`, { returnTo: longReturnTo }), cookie);
      const total = [...jar.cookies].reduce((sum, [n, v]) => sum + n.length + v.length, 0);
      // The limit holds before each save; one new cookie may come on top.
      expect(total).toBeLessThanOrEqual(MAX_COOKIE_BYTES + 2048);
    }
    jest.useRealTimers();
    const names = [...jar.cookies.keys()];
    expect(names.length).toBeLessThan(MAX_COOKIE_FLOWS);
    expect(names).toContain(stateCookieName('oauth', 'github', `s${MAX_COOKIE_FLOWS - 1}`));
    expect(names).not.toContain(stateCookieName('oauth', 'github', 's0'));
  });
});

describe('CacheStateStore', () => {
  function mapCache(serialize = false) {
    const map = new Map<string, unknown>();
    const ttls: (number | undefined)[] = [];
    return {
      map,
      ttls,
      get: (key: string) => map.get(key),
      set: (key: string, value: unknown, ttl?: number) => {
        ttls.push(ttl);
        map.set(key, serialize ? JSON.stringify(value) : value);
      },
      delete: async (key: string) => void map.delete(key),
    };
  }

  it('keeps the data in the cache (TTL in seconds) and only a random binding in the cookie', async () => {
    const cache = mapCache();
    const s = new CacheStateStore({ cache, ttl: 600, cookieName: 'oauth' });
    const jar = new Jar();
    await s.save(jar, flow('state-1'), cookie);
    expect(cache.ttls).toEqual([660]);
    const [key] = cache.map.keys();
    // State and browser binding both name the key: another browser cannot reach the entry.
    expect(key).toMatch(/^oauth:state:github:[A-Za-z0-9_-]{43}:[A-Za-z0-9_-]{22}$/);
    expect(key).not.toContain('state-1');
    const value = jar.cookies.get(stateCookieName('oauth', 'github', 'state-1'))!;
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(cache.map.get(key))).not.toContain(value);
    const data = await s.consume(jar, 'github', 'state-1', { secure: false });
    expect(data.codeVerifier).toBe('verifier-state-1');
    expect(cache.map.size).toBe(0);
    expect(jar.set.at(-1)).toMatchObject({ value: '', maxAge: 0, path: '/auth' });
    expect(await reason(s.consume(jar, 'github', 'state-1', cookie))).toBe('replayed');
  });

  it('works with caches that serialize to strings', async () => {
    const cache = mapCache(true);
    const s = new CacheStateStore({ cache, ttl: 600, cookieName: 'oauth' });
    const jar = new Jar();
    await s.save(jar, flow('x'), cookie);
    expect(typeof cache.map.values().next().value).toBe('string');
    expect((await s.consume(jar, 'github', 'x', cookie)).nonce).toBe('nonce-x');
  });

  it("refuses another browser's binding without cancelling the real user's flow", async () => {
    const cache = mapCache();
    const s = new CacheStateStore({ cache, ttl: 600, cookieName: 'oauth' });
    const victim = new Jar();
    await s.save(victim, flow('v'), cookie);
    const attacker = new Jar();
    attacker.cookies.set(stateCookieName('oauth', 'github', 'v'), 'A'.repeat(43));
    expect(await reason(s.consume(attacker, 'github', 'v', cookie))).toBe('unknown');
    expect(await reason(s.consume(new Jar(), 'github', 'v', cookie))).toBe('unknown');
    expect((await s.consume(victim, 'github', 'v', cookie)).state).toBe('v');
  });

  it('reports an expired entry as expired, and garbage in the cache as unknown', async () => {
    const cache = mapCache();
    const s = new CacheStateStore({ cache, ttl: 600, cookieName: 'oauth' });
    const jar = new Jar();
    await s.save(jar, flow('e'), cookie);
    moveDateOnly(601_000);
    expect(await reason(s.consume(jar, 'github', 'e', cookie))).toBe('expired');
    jest.useRealTimers();
    const jar2 = new Jar();
    await s.save(jar2, flow('g'), cookie);
    const [key] = cache.map.keys();
    cache.map.set(key, '{not json');
    expect(await reason(s.consume(jar2, 'github', 'g', cookie))).toBe('unknown');
  });
});
