/**
 * RFC 6750 §2 token extraction: the Authorization header by default, the
 * form body only when opted in, never the query; malformed or repeated
 * credentials are a 400, no credentials a 401 without an error code.
 */
import { BearerTokenError } from '../../../../lib/server/resource/bearer-error.js';
import {
  checkBearerTokenSyntax,
  extractBearerToken,
} from '../../../../lib/server/resource/bearer-token.js';
import type { ServerRequest } from '../../../../lib/server/http/server-request.js';

const get = (headers: ServerRequest['headers']): ServerRequest => ({
  method: 'GET',
  url: 'https://api.example.com/r',
  headers,
});
const post = (body: unknown, headers: ServerRequest['headers'] = {}): ServerRequest => ({
  method: 'POST',
  url: 'https://api.example.com/r',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body,
});

function refusal(fn: () => unknown): BearerTokenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BearerTokenError);
    return err as BearerTokenError;
  }
  throw new Error('expected a refusal');
}

describe('extractBearerToken: the Authorization header', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc', 'abc'],
    ['Bearer a-b.c_d~e+f/g==', 'a-b.c_d~e+f/g=='],
    ['  Bearer abc  ', 'abc'],
  ])('%j → %j', (header, token) => {
    expect(extractBearerToken(get({ authorization: header }))).toBe(token);
  });

  it('a single-element array is one header', () => {
    expect(extractBearerToken(get({ authorization: ['Bearer abc'] }))).toBe('abc');
  });

  it.each([undefined, 'Basic dXNlcjpwYXNz', 'DPoP abc', 'Bearerabc', 'Token abc', ''])(
    'no bearer credentials (%j): missing_token, 401 without an error code',
    (header) => {
      const err = refusal(() => extractBearerToken(get({ authorization: header })));
      expect(err).toMatchObject({ error: 'missing_token', status: 401, reason: 'missing' });
    },
  );

  it.each([
    'Bearer',
    'Bearer ',
    'Bearer a b',
    'Bearer abc=def',
    'Bearer a,b',
    'Bearer "abc"',
    'Bearer ab\tc',
    'Bearer é',
  ])('malformed Bearer credentials (%j): invalid_request, 400', (header) => {
    const err = refusal(() => extractBearerToken(get({ authorization: header })));
    expect(err).toMatchObject({ error: 'invalid_request', status: 400, reason: 'malformed' });
  });

  it('two Authorization headers: invalid_request, 400', () => {
    const err = refusal(() =>
      extractBearerToken(get({ authorization: ['Bearer abc', 'Bearer def'] })),
    );
    expect(err).toMatchObject({ error: 'invalid_request', status: 400, reason: 'repeated' });
  });

  it('an oversized token: invalid_request, 400 (default 16 KiB, configurable)', () => {
    const long = `Bearer ${'a'.repeat(16_385)}`;
    expect(refusal(() => extractBearerToken(get({ authorization: long })))).toMatchObject({
      error: 'invalid_request',
      reason: 'too_long',
    });
    expect(
      refusal(() =>
        extractBearerToken(get({ authorization: 'Bearer abcdef' }), { maxTokenLength: 5 }),
      ),
    ).toMatchObject({ reason: 'too_long' });
  });

  it('never reads the query string (RFC 6750 §2.3)', () => {
    const request = { ...get({}), url: 'https://api.example.com/r?access_token=abc' };
    expect(refusal(() => extractBearerToken(request))).toMatchObject({ error: 'missing_token' });
  });

  it('a non-string header value (a hostile adapter) is malformed, not a crash', () => {
    const err = refusal(() => extractBearerToken(get({ authorization: 42 as never })));
    expect(err).toMatchObject({ error: 'invalid_request' });
  });
});

describe('extractBearerToken: the form body (RFC 6750 §2.2)', () => {
  it('is ignored unless opted in', () => {
    expect(refusal(() => extractBearerToken(post({ access_token: 'abc' })))).toMatchObject({
      error: 'missing_token',
    });
  });

  it('opted in: a parsed form or a raw form string', () => {
    const options = { allowFormBody: true };
    expect(extractBearerToken(post({ access_token: 'abc', x: '1' }), options)).toBe('abc');
    expect(extractBearerToken(post('x=1&access_token=abc'), options)).toBe('abc');
    expect(
      extractBearerToken(
        {
          ...post('access_token=abc'),
          headers: {},
          contentType: 'application/x-www-form-urlencoded',
        },
        options,
      ),
    ).toBe('abc');
    expect(
      extractBearerToken(
        post('access_token=abc', {
          'content-type': 'Application/X-WWW-Form-Urlencoded; charset=utf-8',
        }),
        options,
      ),
    ).toBe('abc');
  });

  it('opted in: not on GET, not in JSON or multipart bodies', () => {
    const options = { allowFormBody: true };
    expect(
      refusal(() =>
        extractBearerToken({ ...post({ access_token: 'abc' }), method: 'GET' }, options),
      ),
    ).toMatchObject({ error: 'missing_token' });
    expect(
      refusal(() =>
        extractBearerToken(
          post({ access_token: 'abc' }, { 'content-type': 'application/json' }),
          options,
        ),
      ),
    ).toMatchObject({ error: 'missing_token' });
  });

  it('opted in: header and body together, or the parameter twice, are invalid_request', () => {
    const options = { allowFormBody: true };
    const both = post({ access_token: 'abc' }, { authorization: 'Bearer abc' });
    expect(refusal(() => extractBearerToken(both, options))).toMatchObject({
      error: 'invalid_request',
      reason: 'repeated',
    });
    expect(
      refusal(() => extractBearerToken(post('access_token=a&access_token=b'), options)),
    ).toMatchObject({ error: 'invalid_request', reason: 'repeated' });
    expect(
      refusal(() => extractBearerToken(post({ access_token: ['a', 'b'] }), options)),
    ).toMatchObject({ error: 'invalid_request', reason: 'repeated' });
  });

  it('opted in: a nested (non-flat) form or a malformed value is invalid_request', () => {
    const options = { allowFormBody: true };
    expect(
      refusal(() => extractBearerToken(post({ access_token: { a: 'b' } }), options)),
    ).toMatchObject({ error: 'invalid_request', reason: 'malformed' });
    expect(refusal(() => extractBearerToken(post({ access_token: 'a b' }), options))).toMatchObject(
      { error: 'invalid_request', reason: 'malformed' },
    );
  });
});

describe('checkBearerTokenSyntax', () => {
  it('accepts a b64token, refuses anything else', () => {
    expect(checkBearerTokenSyntax('abc.def')).toBe('abc.def');
    for (const bad of ['', 'a b', 'Bearer abc', 'a\nb', 7 as never]) {
      expect(refusal(() => checkBearerTokenSyntax(bad))).toMatchObject({
        error: 'invalid_request',
      });
    }
    expect(refusal(() => checkBearerTokenSyntax('a'.repeat(20), 10))).toMatchObject({
      reason: 'too_long',
    });
  });
});
