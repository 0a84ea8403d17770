/**
 * The introspection answer cache: keyed by a hash, bounded, least recently
 * used out first, never past the token's exp, negative answers briefly.
 */
import { inspect } from 'node:util';
import { IntrospectionCache } from '../../../../lib/server/resource/introspection-cache.js';

const active = (extra: Record<string, unknown> = {}) => ({
  active: true as const,
  response: { active: true, ...extra },
});

describe('IntrospectionCache', () => {
  let now = 1_000_000_000_000;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000_000_000;
  });

  it('keys are the SHA-256 of the token, base64url: the token is never kept', () => {
    const token = 'opaque-token-value-0123456789';
    const key = IntrospectionCache.key(token);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain(token);
    const cache = new IntrospectionCache({ now: clock });
    cache.set(key, active());
    expect(inspect(cache, { depth: 10 })).not.toContain(token);
    expect(IntrospectionCache.key(token)).toBe(key);
    expect(IntrospectionCache.key(`${token}x`)).not.toBe(key);
  });

  it('an active answer lives `ttl`', () => {
    const cache = new IntrospectionCache({ ttl: 1000, now: clock });
    cache.set('k', active());
    now += 999;
    expect(cache.get('k')).toEqual(active());
    now += 1;
    expect(cache.get('k')).toBeUndefined();
  });

  it('an active answer never outlives the token’s exp', () => {
    const cache = new IntrospectionCache({ ttl: 60_000, now: clock });
    const exp = now / 1000 + 10;
    cache.set('k', active({ exp }), exp);
    now += 9_999;
    expect(cache.get('k')).toBeDefined();
    now += 1;
    expect(cache.get('k')).toBeUndefined();
  });

  it('an answer for a token already expired is not stored', () => {
    const cache = new IntrospectionCache({ now: clock });
    cache.set('k', active(), now / 1000 - 1);
    expect(cache.size).toBe(0);
  });

  it('an inactive answer lives `negativeTtl` (5 s by default)', () => {
    const cache = new IntrospectionCache({ now: clock });
    cache.set('k', { active: false });
    now += 4_999;
    expect(cache.get('k')).toEqual({ active: false });
    now += 1;
    expect(cache.get('k')).toBeUndefined();
  });

  it('holds at most maxEntries; the least recently used goes first', () => {
    const cache = new IntrospectionCache({ maxEntries: 3, now: clock });
    for (const k of ['a', 'b', 'c']) cache.set(k, active());
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('d', active());
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    for (const k of ['a', 'c', 'd']) expect(cache.get(k)).toBeDefined();
  });

  it('a flood of distinct tokens stays within maxEntries', () => {
    const cache = new IntrospectionCache({ maxEntries: 100, now: clock });
    for (let i = 0; i < 10_000; i++) cache.set(IntrospectionCache.key(`t${i}`), { active: false });
    expect(cache.size).toBe(100);
  });

  it('clear() forgets everything', () => {
    const cache = new IntrospectionCache({ now: clock });
    cache.set('k', active());
    cache.clear();
    expect(cache.get('k')).toBeUndefined();
  });
});
