import {
  isOAuthAuthorization,
  parseOAuthAuthorization,
} from '../../../../lib/server/oauth1/authorization-header.js';

describe('parseOAuthAuthorization (RFC 5849 §3.5.1)', () => {
  it('reads the §3.5.1 example: realm apart, values percent-decoded', () => {
    expect(
      parseOAuthAuthorization(
        'OAuth realm="Example", oauth_consumer_key="0685bd9184jfhq22", oauth_token="ad180jjd733klru7", oauth_signature_method="HMAC-SHA1", oauth_signature="wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D", oauth_timestamp="137131200", oauth_nonce="4572616e48616d6d65724c61686176", oauth_version="1.0"',
      ),
    ).toEqual({
      realm: 'Example',
      params: [
        ['oauth_consumer_key', '0685bd9184jfhq22'],
        ['oauth_token', 'ad180jjd733klru7'],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_signature', 'wOJIO9A2W5mFwDgiDvZbTSMK/PY='],
        ['oauth_timestamp', '137131200'],
        ['oauth_nonce', '4572616e48616d6d65724c61686176'],
        ['oauth_version', '1.0'],
      ],
    });
  });

  it('takes the scheme in any case, optional whitespace, empty list elements and token values', () => {
    expect(parseOAuthAuthorization('oauth  a="1" ,b = 2,, c="%2B+"')).toEqual({
      params: [
        ['a', '1'],
        ['b', '2'],
        ['c', '++'],
      ],
    });
    expect(parseOAuthAuthorization('OAuth')).toEqual({ params: [] });
  });

  it('keeps a quoted-pair in the realm and does not percent-decode it', () => {
    expect(parseOAuthAuthorization('OAuth realm="a \\"b\\" %41"')).toEqual({
      realm: 'a "b" %41',
      params: [],
    });
  });

  it.each([
    ['another scheme', 'Bearer abc'],
    ['a scheme prefix', 'OAuthx a="1"'],
    ['no equals sign', 'OAuth a'],
    ['an unclosed quote', 'OAuth a="1'],
    ['a missing comma', 'OAuth a="1" b="2"'],
    ['a repeated realm', 'OAuth realm="a", realm="b"'],
    ['a malformed escape', 'OAuth a="%zz"'],
    ['a non-UTF-8 escape', 'OAuth a="%FF"'],
    ['a control character', 'OAuth a="1\u0000"'],
    ['a dangling backslash', 'OAuth a="1\\'],
    ['an empty name', 'OAuth ="1"'],
  ])('refuses %s', (_, header) => {
    expect(parseOAuthAuthorization(header)).toBeUndefined();
  });

  it('tells the OAuth scheme from others', () => {
    expect(isOAuthAuthorization('OAuth a="1"')).toBe(true);
    expect(isOAuthAuthorization('oauth')).toBe(true);
    expect(isOAuthAuthorization('Basic YTpi')).toBe(false);
    expect(isOAuthAuthorization('OAuthFoo')).toBe(false);
  });
});
