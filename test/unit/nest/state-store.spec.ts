import { jest } from '@jest/globals';
import { createCipheriv, randomBytes } from 'node:crypto';
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
import {
  deriveStateKey,
  openState,
  sealState,
  STATE_ENVELOPE_VERSION,
} from '../../../lib/state/state-envelope.js';
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
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(value, 'base64url');
    expect(bytes[0]).toBe(STATE_ENVELOPE_VERSION);
    for (const secret of ['state-1', 'verifier-state-1', 'nonce-state-1', '/home', 'github']) {
      expect(value).not.toContain(secret);
      expect(bytes.toString('latin1')).not.toContain(secret);
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

  /** Flips one bit of the envelope's byte at `index` (negative: from the end). */
  const flip =
    (index: number, bit = 1) =>
    (v: string): string => {
      const bytes = Buffer.from(v, 'base64url');
      bytes[index < 0 ? bytes.length + index : index] ^= bit;
      return bytes.toString('base64url');
    };

  it('refuses a cookie with a flipped bit in its IV, ciphertext or tag, or truncated, or garbage', async () => {
    const s = store();
    for (const [what, mutate] of [
      ['version byte', flip(0)],
      ['first IV byte', flip(1)],
      ['last IV byte', flip(12, 0x80)],
      ['first ciphertext byte', flip(13)],
      ['last ciphertext byte', flip(-17, 0x40)],
      ['first tag byte', flip(-16)],
      ['last tag byte', flip(-1, 0x80)],
      ['truncated tag', (v: string) => v.slice(0, -4)],
      ['appended bytes', (v: string) => `${v}AAAA`],
      ['not base64url', (v: string) => `${v.slice(0, 20)}.${v.slice(21)}`],
      ['garbage', () => 'garbage'],
      ['a JWE', () => 'a.b.c.d.e'],
      ['empty', () => ''],
    ] as const) {
      const jar = new Jar();
      await s.save(jar, flow('s'), cookie);
      const name = stateCookieName('oauth', 'github', 's');
      jar.cookies.set(name, mutate(jar.cookies.get(name)!));
      expect([what, await reason(s.consume(jar, 'github', 's', cookie))]).toEqual([
        what,
        'unknown',
      ]);
    }
  });

  it('refuses an envelope of another version, even one sealed with the right key', async () => {
    const key = deriveStateKey(SECRET);
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      d: { ...flow('s'), createdAt: now },
      p: '/auth',
      iat: now,
      exp: now + 600,
    };
    // The same layout and key, version byte 2 (authenticated as the library would for version 1).
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`\u0001nestjs-oauth:state:github`));
    const body = Buffer.concat([cipher.update(JSON.stringify(payload)), cipher.final()]);
    const forged = Buffer.concat([Buffer.of(2), iv, body, cipher.getAuthTag()]).toString(
      'base64url',
    );
    const jar = new Jar();
    jar.cookies.set(stateCookieName('oauth', 'github', 's'), forged);
    expect(await reason(store().consume(jar, 'github', 's', cookie))).toBe('unknown');
    // With the version byte the library writes, the same bytes open: only the version refused it.
    const genuine = Buffer.from(forged, 'base64url');
    genuine[0] = STATE_ENVELOPE_VERSION;
    jar.cookies.set(stateCookieName('oauth', 'github', 's'), genuine.toString('base64url'));
    expect((await store().consume(jar, 'github', 's', cookie)).state).toBe('s');
  });

  it('refuses an envelope sealed for another client, with another key, or without an expiry', async () => {
    const s = store();
    const key = deriveStateKey(SECRET);
    const now = Math.floor(Date.now() / 1000);
    const payload = { d: { ...flow('s'), createdAt: now }, p: '/auth', iat: now, exp: now + 600 };
    const name = stateCookieName('oauth', 'github', 's');
    for (const [what, value] of [
      ['another client', sealState(payload, 'nestjs-oauth:state:gitlab', key)],
      [
        'another key',
        sealState(payload, 'nestjs-oauth:state:github', deriveStateKey('x'.repeat(40))),
      ],
      [
        'no exp',
        sealState({ ...payload, exp: undefined } as never, 'nestjs-oauth:state:github', key),
      ],
    ] as const) {
      const jar = new Jar();
      jar.cookies.set(name, value);
      expect([what, await reason(s.consume(jar, 'github', 's', cookie))]).toEqual([
        what,
        'unknown',
      ]);
    }
    // The control: the same payload sealed as the store does opens.
    const jar = new Jar();
    jar.cookies.set(name, sealState(payload, 'nestjs-oauth:state:github', key));
    expect((await s.consume(jar, 'github', 's', cookie)).state).toBe('s');
    expect(
      openState(sealState(payload, 'a', key), 'a', [deriveStateKey('y'.repeat(40)), key]),
    ).toEqual(payload);
  });

  it('draws a fresh IV for every cookie', async () => {
    const key = deriveStateKey(SECRET);
    const payload = { d: {}, p: '/', iat: 1, exp: 2 };
    const ivs = new Set(
      Array.from({ length: 50 }, () =>
        Buffer.from(sealState(payload, 'a', key), 'base64url')
          .subarray(1, 13)
          .toString('hex'),
      ),
    );
    expect(ivs.size).toBe(50);
  });

  it('refuses a cookie of another flow or client', async () => {
    const s = store();
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
    // At exactly its `exp` a flow has expired (as a JWT's `exp`).
    const edge = new Jar();
    moveDateOnly(0);
    await s.save(edge, flow('e'), cookie);
    moveDateOnly(600_000);
    expect(await reason(s.consume(edge, 'github', 'e', cookie))).toBe('expired');
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

  it('refuses an entry whose data names another state or client (a shared cache written by something else)', async () => {
    const cache = mapCache();
    const s = new CacheStateStore({ cache, ttl: 600, cookieName: 'oauth' });
    for (const tamper of [
      (d: OAuthStateData) => (d.state = 'another-state'),
      (d: OAuthStateData) => (d.name = 'google'),
    ]) {
      const jar = new Jar();
      await s.save(jar, flow('t'), cookie);
      const [key] = cache.map.keys();
      tamper((cache.map.get(key) as { d: OAuthStateData }).d);
      expect(await reason(s.consume(jar, 'github', 't', cookie))).toBe('unknown');
    }
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
