import { sanitizeReturnTo } from '../../../lib/utils/return-to.util.js';

describe('sanitizeReturnTo', () => {
  it.each([
    '/',
    '/dashboard',
    '/a/b?c=d&e=f',
    '/x#frag',
    '/%2F%2Fevil.example',
    '/caf%C3%A9',
    '/é',
  ])('keeps the same-site path %j', (value) => {
    expect(sanitizeReturnTo(value)).toBe(value);
  });

  it.each([
    ['protocol-relative', '//evil.example/x'],
    ['backslash', '/\\evil.example'],
    ['backslash later', '/ok\\..\\x'],
    ['absolute', 'https://evil.example/'],
    ['scheme', 'javascript:alert(1)'],
    ['relative without slash', 'dashboard'],
    ['empty', ''],
    ['tab', '/\t/evil.example'],
    ['newline (header injection)', '/x\r\nSet-Cookie: a=b'],
    ['NUL', '/x\u0000'],
    ['too long', `/${'a'.repeat(2048)}`],
    ['not a string', ['/a'] as unknown as string],
    ['undefined', undefined as unknown as string],
  ])('refuses %s', (_label, value) => {
    expect(sanitizeReturnTo(value)).toBeUndefined();
  });
});

describe('sanitizeReturnTo: normalization and size', () => {
  it.each(['/.//evil.com', '/..//evil.com', '/a/..//evil.com', '/%2e//evil.com'])(
    'refuses %j, which resolves to a protocol-relative path',
    (value) => {
      expect(sanitizeReturnTo(value)).toBeUndefined();
    },
  );

  it('counts bytes, not characters: at most 512', () => {
    expect(sanitizeReturnTo(`/${'a'.repeat(511)}`)).toBe(`/${'a'.repeat(511)}`);
    expect(sanitizeReturnTo(`/${'a'.repeat(512)}`)).toBeUndefined();
    expect(sanitizeReturnTo(`/${'é'.repeat(300)}`)).toBeUndefined(); // 301 characters, 601 bytes
  });
});
