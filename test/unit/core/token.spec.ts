import { isTokenExpired, normalizeToken } from '../../../lib/core/token.js';
import { parseBody } from '../../../lib/core/http/fetcher.js';

describe('normalizeToken', () => {
  it('derives expires_at from expires_in, also when the provider sent strings', () => {
    const token = normalizeToken({ access_token: 'a', expires_in: '3600' }, 1_000_000_000_000);
    expect(token).toEqual({ access_token: 'a', expires_in: 3600, expires_at: 1_000_003_600 });
  });

  it('keeps a provider-sent expires_at and drops unparseable values', () => {
    expect(normalizeToken({ access_token: 'a', expires_in: 10, expires_at: 5 }).expires_at).toBe(5);
    expect(normalizeToken({ access_token: 'a', expires_in: 'soon' })).toEqual({
      access_token: 'a',
    });
  });

  it('turns a scope sent as a list (Twitch) into RFC 6749 form and drops any other non-string scope', () => {
    expect(normalizeToken({ access_token: 'a', scope: ['openid', 'user:read:email'] }).scope).toBe(
      'openid user:read:email',
    );
    expect(normalizeToken({ access_token: 'a', scope: 'read write' }).scope).toBe('read write');
    for (const scope of [{ a: 1 }, 42, [1, 2], null, true]) {
      expect(normalizeToken({ access_token: 'a', scope })).not.toHaveProperty('scope');
    }
  });

  it('treats a token within leeway as expired, and one without expiry as valid', () => {
    const now = 1_000_000_000_000;
    expect(isTokenExpired({ access_token: 'a', expires_at: 1_000_000_030 }, 60, now)).toBe(true);
    expect(isTokenExpired({ access_token: 'a', expires_at: 1_000_000_030 }, 0, now)).toBe(false);
    expect(isTokenExpired({ access_token: 'a' }, 60, now)).toBe(false);
  });
});

describe('parseBody', () => {
  it('reads JSON objects whatever the content type, and forms', () => {
    expect(parseBody('{"a":1}', 'text/html')).toEqual({ a: 1 });
    expect(parseBody('access_token=x&scope=a+b', 'text/plain')).toEqual({
      access_token: 'x',
      scope: 'a b',
    });
  });

  it('refuses HTML, arrays, malformed JSON and empty bodies', () => {
    expect(parseBody('<html><body>Bad gateway</body></html>', 'text/html')).toBeUndefined();
    expect(parseBody('[1,2]', 'application/json')).toBeUndefined();
    expect(parseBody('{"access_token":', 'application/json')).toBeUndefined();
    expect(parseBody('', 'application/json')).toBeUndefined();
  });
});
