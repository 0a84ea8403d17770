import { flatForm, toServerRequest } from '../../../lib/http/server-exchange.js';
import { formParameters } from '../../../lib/server/http/server-request.js';

const ORIGIN = 'https://auth.example.com';

describe('toServerRequest', () => {
  it.each([
    ['a path', '/authorize?client_id=a', 'https://auth.example.com/authorize?client_id=a'],
    [
      'a protocol-relative target',
      '//evil.example/authorize?x=1',
      'https://auth.example.com//evil.example/authorize?x=1',
    ],
    [
      'a backslash target',
      '/\\evil.example/authorize',
      'https://auth.example.com//evil.example/authorize',
    ],
    [
      'an absolute-form target',
      'http://evil.example/authorize?x=1',
      'https://auth.example.com/authorize?x=1',
    ],
    ['an asterisk', '*', 'https://auth.example.com/'],
  ])('keeps the configured origin for %s', (_case, target, url) => {
    const request = toServerRequest(
      { method: 'get', originalUrl: target, headers: { host: 'evil.example' } },
      ORIGIN,
    );
    expect(request.url).toBe(url);
    expect(request.method).toBe('GET');
  });

  it('reads the raw form when Nest kept it, and the media type without parameters', () => {
    const request = toServerRequest(
      {
        method: 'POST',
        url: '/token',
        headers: { 'content-type': 'Application/X-WWW-Form-URLEncoded; charset=UTF-8' },
        body: { grant_type: ['x'] },
        rawBody: Buffer.from('grant_type=client_credentials&a[]=1'),
      },
      ORIGIN,
    );
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(request.body).toBe('grant_type=client_credentials&a[]=1');
  });

  it('passes other bodies as parsed (the core refuses what it does not read)', () => {
    const body = { grant_type: 'client_credentials' };
    const request = toServerRequest(
      { method: 'POST', url: '/token', headers: { 'content-type': 'application/json' }, body },
      ORIGIN,
    );
    expect(request.body).toBe(body);
  });
});

describe('flatForm', () => {
  it('reads a qs-parsed body as a raw form parse would', () => {
    // qs (Express, extended: true) for: a=1&a=2&b[]=x&c[d]=e&e=f&g[0]=h
    const parsed = { a: ['1', '2'], b: ['x'], c: { d: 'e' }, e: 'f', g: ['h'] };
    expect(flatForm(parsed)).toEqual({ a: ['1', '2'], e: 'f' });
    expect(formParameters(flatForm(parsed))).toEqual(
      new Map([
        ['a', ['1', '2']],
        ['e', ['f']],
      ]),
    );
  });

  it('drops arrays holding anything but strings, and leaves non-objects alone', () => {
    expect(flatForm({ a: ['1', { b: 'c' }], d: 7 })).toEqual({});
    expect(flatForm('a=1')).toBe('a=1');
    expect(flatForm(undefined)).toBeUndefined();
  });
});
