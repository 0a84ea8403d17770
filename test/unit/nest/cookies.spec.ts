import {
  flowCookiePath,
  listCookieNames,
  readCookie,
  serializeCookie,
} from '../../../lib/state/cookies.js';

describe('readCookie / listCookieNames', () => {
  it('reads the first cookie of that name from a raw header, with or without quotes', () => {
    const header = 'a=1; oauth_x=abc.def; b="quoted"; oauth_x=second';
    expect(readCookie(header, 'oauth_x')).toBe('abc.def');
    expect(readCookie(header, 'b')).toBe('quoted');
    expect(readCookie(header, 'missing')).toBeUndefined();
    expect(readCookie(['a=1', 'c=3'], 'c')).toBe('3');
    expect(listCookieNames(header)).toEqual(['a', 'oauth_x', 'b']);
  });

  it.each([undefined, null, 42, {}, ';;;', '=novalue', 'x'.repeat(70_000)])(
    'survives %p',
    (header) => {
      expect(readCookie(header, 'a')).toBeUndefined();
      expect(Array.isArray(listCookieNames(header))).toBe(true);
    },
  );
});

describe('serializeCookie', () => {
  it('writes HttpOnly, SameSite=Lax, Path, Max-Age and Secure when asked', () => {
    expect(serializeCookie('oauth_x', 'v.1', { path: '/auth', maxAge: 660, secure: true })).toBe(
      'oauth_x=v.1; Path=/auth; Max-Age=660; HttpOnly; Secure; SameSite=Lax',
    );
    expect(serializeCookie('oauth_x', '', { path: '/', maxAge: 0, secure: false })).toBe(
      'oauth_x=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
  });

  it.each([
    ['a name with a space', 'a b', 'v', '/'],
    ['a value with a semicolon', 'a', 'v;x=1', '/'],
    ['a value with CRLF', 'a', 'v\r\nSet-Cookie: x', '/'],
    ['a path with a semicolon', 'a', 'v', '/a;Domain=evil'],
    ['a relative path', 'a', 'v', 'a'],
  ])('refuses %s', (_label, name, value, path) => {
    expect(() => serializeCookie(name, value, { path, maxAge: 1, secure: false })).toThrow(
      expect.objectContaining({ code: 'OAUTH_INVALID_COOKIE' }),
    );
  });
});

describe('flowCookiePath', () => {
  it.each([
    ['/auth/login/github', '/auth/callback/github', '/auth'],
    ['/auth/login/github?returnTo=/x', 'https://app.example/auth/callback/github', '/auth'],
    ['/login/github', '/callback/github', '/'],
    ['/oauth/github', '/oauth/github', '/oauth'],
    ['/a/b/login', '/a/b/c/callback', '/a/b'],
    ['/auth/login', undefined, '/'],
    ['/auth/login', '/a;b/callback', '/'],
  ])('(%s, %s) -> %s', (login, redirect, expected) => {
    expect(flowCookiePath(login, redirect)).toBe(expected);
  });
});
