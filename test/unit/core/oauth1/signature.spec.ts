import { createHmac, generateKeyPairSync, verify } from 'node:crypto';
import {
  baseStringUri,
  normalizeParameters,
  sign,
  signatureBaseString,
  signingKey,
} from '../../../../lib/core/oauth1/signature.js';

// RFC 5849 §3.4.1.1, the "c2&a3=2+q" request: header parameters plus the form body.
const RFC_3411_URL = 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b';
const RFC_3411_PARAMS: Array<[string, string]> = [
  ['oauth_consumer_key', '9djdj82h48djs9d2'],
  ['oauth_token', 'kkk9d7dh3k39sjv7'],
  ['oauth_signature_method', 'HMAC-SHA1'],
  ['oauth_timestamp', '137131201'],
  ['oauth_nonce', '7d8f3e4a'],
  ['c2', ''],
  ['a3', '2 q'],
];
const RFC_3411_BASE_STRING =
  'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q' +
  '%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_' +
  'key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m' +
  'ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk' +
  '9d7dh3k39sjv7';

// The published RSA-SHA1 test case of the OAuth Core 1.0 test suite (key, request, signature).
const TEST_SUITE_RSA_KEY = `-----BEGIN PRIVATE KEY-----
MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALRiMLAh9iimur8V
A7qVvdqxevEuUkW4K+2KdMXmnQbG9Aa7k7eBjK1S+0LYmVjPKlJGNXHDGuy5Fw/d
7rjVJ0BLB+ubPK8iA/Tw3hLQgXMRRGRXXCn8ikfuQfjUS1uZSatdLB81mydBETlJ
hI6GH4twrbDJCR2Bwy/XWXgqgGRzAgMBAAECgYBYWVtleUzavkbrPjy0T5FMou8H
X9u2AC2ry8vD/l7cqedtwMPp9k7TubgNFo+NGvKsl2ynyprOZR1xjQ7WgrgVB+mm
uScOM/5HVceFuGRDhYTCObE+y1kxRloNYXnx3ei1zbeYLPCHdhxRYW7T0qcynNmw
rn05/KO2RLjgQNalsQJBANeA3Q4Nugqy4QBUCEC09SqylT2K9FrrItqL2QKc9v0Z
zO2uwllCbg0dwpVuYPYXYvikNHHg+aCWF+VXsb9rpPsCQQDWR9TT4ORdzoj+Nccn
qkMsDmzt0EfNaAOwHOmVJ2RVBspPcxt5iN4HI7HNeG6U5YsFBb+/GZbgfBT3kpNG
WPTpAkBI+gFhjfJvRw38n3g/+UeAkwMI2TJQS4n8+hid0uus3/zOjDySH3XHCUno
cn1xOJAyZODBo47E+67R4jV1/gzbAkEAklJaspRPXP877NssM5nAZMU0/O/NGCZ+
3jPgDUno6WbJn5cqm8MqWhW1xGkImgRk+fkDBquiq4gPiT898jusgQJAd5Zrr6Q8
AO/0isr/3aa6O6NLQxISLKcPDk2NOccAfS/xOtfOz4sJYM3+Bs4Io9+dZGSDCA54
Lw03eHTNQghS0A==
-----END PRIVATE KEY-----`;

describe('signatureBaseString (RFC 5849 §3.4.1)', () => {
  it('reproduces the §3.4.1.1 example base string byte for byte', () => {
    expect(signatureBaseString('POST', RFC_3411_URL, RFC_3411_PARAMS)).toBe(RFC_3411_BASE_STRING);
  });

  it('uppercases the method and leaves oauth_signature out', () => {
    const withSignature: Array<[string, string]> = [
      ...RFC_3411_PARAMS,
      ['oauth_signature', 'djosJKDKJSD8743243/jdk33klY='],
    ];
    expect(signatureBaseString('post', RFC_3411_URL, withSignature)).toBe(RFC_3411_BASE_STRING);
  });

  it('reproduces the three HMAC-SHA1 signatures of the §1.2 worked example', () => {
    // Temporary credentials request (client credentials only, empty token secret).
    const initiate = signatureBaseString('POST', 'https://photos.example.net/initiate', [
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131200'],
      ['oauth_nonce', 'wIjqoS'],
      ['oauth_callback', 'http://printer.example.com/ready'],
    ]);
    expect(sign('HMAC-SHA1', initiate, { clientSecret: 'kd94hf93k423kf44' })).toBe(
      '74KNZJeDHnMBp0EMJ9ZHt/XKycU=',
    );
    // Token credentials request (temporary credentials + verifier).
    const token = signatureBaseString('POST', 'https://photos.example.net/token', [
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
      ['oauth_token', 'hh5s93j4hdidpola'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', 'walatlh'],
      ['oauth_verifier', 'hfdp7dh39dks9884'],
    ]);
    expect(
      sign('HMAC-SHA1', token, {
        clientSecret: 'kd94hf93k423kf44',
        tokenSecret: 'hdhd0244k9j7ao03',
      }),
    ).toBe('gKgrFCywp7rO0OXSjdot/IHF7IU=');
    // The protected resource.
    const photos = signatureBaseString(
      'GET',
      'http://photos.example.net/photos?file=vacation.jpg&size=original',
      [
        ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
        ['oauth_token', 'nnch734d00sl2jdk'],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_timestamp', '137131202'],
        ['oauth_nonce', 'chapoH'],
      ],
    );
    expect(photos).toBe(
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal',
    );
    expect(
      sign('HMAC-SHA1', photos, {
        clientSecret: 'kd94hf93k423kf44',
        tokenSecret: 'pfkkdhi9sl3r4s00',
      }),
    ).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });

  it('reproduces the published RSA-SHA1 test case (OAuth Core 1.0 test suite)', () => {
    const base = signatureBaseString(
      'GET',
      'http://photos.example.net/photos?file=vacaction.jpg&size=original',
      [
        ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
        ['oauth_signature_method', 'RSA-SHA1'],
        ['oauth_timestamp', '1196666512'],
        ['oauth_nonce', '13917289812797014437'],
        ['oauth_version', '1.0'],
      ],
    );
    expect(sign('RSA-SHA1', base, { rsaKey: TEST_SUITE_RSA_KEY })).toBe(
      'jvTp/wX1TYtByB1m+Pbyo0lnCOLIsyGCH7wke8AUs3BpnwZJtAuEJkvQL2/9n4s5wUmUl4aCI4BwpraNx4RtEXMe5qg5T1LVTGliMRpKasKsW//e+RinhejgCuzoH26dyF8iY2ZZ/5D1ilgeijhV/vBka5twt399mXwaYdCwFYE=',
    );
  });

  it('refuses a relative URL, a non-http scheme and an invalid method with coded TypeErrors that do not echo the input', () => {
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err as TypeError & { code: string };
      }
      throw new Error('no error');
    };
    const relative = attempt(() => signatureBaseString('GET', '/photos?oauth_token=sekrit-token'));
    expect(relative).toBeInstanceOf(TypeError);
    expect(relative.code).toBe('ERR_OAUTH1_INVALID_URL');
    expect(relative.message).not.toContain('sekrit');
    expect(attempt(() => signatureBaseString('GET', 'ftp://example.com/x')).code).toBe(
      'ERR_OAUTH1_INVALID_URL',
    );
    expect(attempt(() => signatureBaseString('GE T', 'http://example.com/')).code).toBe(
      'ERR_OAUTH1_INVALID_METHOD',
    );
  });
});

describe('baseStringUri (RFC 5849 §3.4.1.2)', () => {
  it('lowercases scheme and host, drops the default port, the query and the fragment', () => {
    expect(baseStringUri('http://EXAMPLE.COM:80/r%20v/X?id=123')).toBe(
      'http://example.com/r%20v/X',
    );
    expect(baseStringUri('https://www.example.net:8080/?q=1')).toBe(
      'https://www.example.net:8080/',
    );
    expect(baseStringUri('HTTPS://Example.COM:443/a#frag')).toBe('https://example.com/a');
    expect(baseStringUri('http://example.com:443/')).toBe('http://example.com:443/');
    expect(baseStringUri('https://example.com:80/')).toBe('https://example.com:80/');
    expect(baseStringUri('http://example.com')).toBe('http://example.com/');
    expect(baseStringUri('http://[::1]:8080/x')).toBe('http://[::1]:8080/x');
  });
});

describe('normalizeParameters (RFC 5849 §3.4.1.3.2)', () => {
  it('reproduces the §3.4.1.3.2 concatenated string', () => {
    expect(
      normalizeParameters([
        ['b5', '=%3D'],
        ['a3', 'a'],
        ['c@', ''],
        ['a2', 'r b'],
        ...RFC_3411_PARAMS.slice(0, 5),
        ['c2', ''],
        ['a3', '2 q'],
      ]),
    ).toBe(
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7',
    );
  });

  it('sorts by encoded name in byte order (uppercase first, a name before its extensions) then by encoded value', () => {
    expect(
      normalizeParameters([
        ['a', 'z'],
        ['a-b', '1'],
        ['a', ' '],
        ['Z', '1'],
        ['a', 'B'],
        ['é', '1'],
        ['a.', '1'],
        ['a', '~'],
      ]),
    ).toBe('%C3%A9=1&Z=1&a=%20&a=B&a=z&a=~&a-b=1&a.=1');
  });

  it('keeps a query parameter named realm (only the Authorization header realm is excluded)', () => {
    expect(signatureBaseString('GET', 'http://example.com/?realm=r', [['oauth_nonce', 'n']])).toBe(
      'GET&http%3A%2F%2Fexample.com%2F&oauth_nonce%3Dn%26realm%3Dr',
    );
  });
});

describe('sign', () => {
  const base = RFC_3411_BASE_STRING;

  it('builds the HMAC key from the encoded secrets, with the "&" even when both are empty', () => {
    expect(signingKey('ja893SD9', '')).toBe('ja893SD9&');
    expect(signingKey('', '')).toBe('&');
    expect(signingKey('a b&c', 'd+e')).toBe('a%20b%26c&d%2Be');
  });

  it('PLAINTEXT is the key itself (RFC 5849 §2.1 and §2.3 examples)', () => {
    expect(sign('PLAINTEXT', base, { clientSecret: 'ja893SD9' })).toBe('ja893SD9&');
    expect(
      sign('PLAINTEXT', base, { clientSecret: 'ja893SD9', tokenSecret: 'xyz4992k83j47x0b' }),
    ).toBe('ja893SD9&xyz4992k83j47x0b');
  });

  it('HMAC-SHA256 is the base64 HMAC-SHA256 of the base string with the same key', () => {
    const expected = createHmac('sha256', 'j49sk3j29djd&dh893hdasih9')
      .update(base)
      .digest('base64');
    expect(
      sign('HMAC-SHA256', base, { clientSecret: 'j49sk3j29djd', tokenSecret: 'dh893hdasih9' }),
    ).toBe(expected);
    expect(expected).not.toBe(
      sign('HMAC-SHA1', base, { clientSecret: 'j49sk3j29djd', tokenSecret: 'dh893hdasih9' }),
    );
  });

  it('RSA-SHA256 signs with PKCS#1 v1.5 and SHA-256, verifiable with the public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signature = sign('RSA-SHA256', base, { rsaKey: privateKey });
    expect(verify('sha256', Buffer.from(base), publicKey, Buffer.from(signature, 'base64'))).toBe(
      true,
    );
    expect(verify('sha1', Buffer.from(base), publicKey, Buffer.from(signature, 'base64'))).toBe(
      false,
    );
  });

  it('refuses an RSA method without a usable private key, with a coded TypeError', () => {
    expect(() => sign('RSA-SHA1', base, {})).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'ERR_OAUTH1_INVALID_RSA_KEY' }),
    );
    expect(() => sign('RSA-SHA1', base, { rsaKey: 'not a key' })).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'ERR_OAUTH1_INVALID_RSA_KEY' }),
    );
  });
});
