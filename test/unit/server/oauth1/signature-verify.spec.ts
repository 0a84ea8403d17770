/**
 * The verifying side of lib/core/oauth1/signature.ts (the code the client
 * signs with): its baseStringFromParameters, signature-verify.ts's
 * verifySignature, and percent-encode.ts's percentDecode.
 */
import { generateKeyPairSync } from 'node:crypto';
import { percentDecode } from '../../../../lib/core/oauth1/percent-encode.js';
import { verifySignature } from '../../../../lib/core/oauth1/signature-verify.js';
import {
  baseStringFromParameters,
  sign,
  signatureBaseString,
} from '../../../../lib/core/oauth1/signature.js';

const INITIATE: Array<[string, string]> = [
  ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
  ['oauth_signature_method', 'HMAC-SHA1'],
  ['oauth_timestamp', '137131200'],
  ['oauth_nonce', 'wIjqoS'],
  ['oauth_callback', 'http://printer.example.com/ready'],
];

describe('baseStringFromParameters', () => {
  it('is the base string of the collected parameters, the URL query not read again', () => {
    const url = 'http://photos.example.net/photos?file=vacation.jpg&size=original';
    const protocol: Array<[string, string]> = [['oauth_nonce', 'chapoH']];
    const all: Array<[string, string]> = [
      ...protocol,
      ['file', 'vacation.jpg'],
      ['size', 'original'],
      ['oauth_signature', 'left out'],
    ];
    expect(baseStringFromParameters('get', url, all)).toBe(
      signatureBaseString('GET', url, protocol),
    );
    expect(baseStringFromParameters('GET', url, protocol)).not.toBe(
      signatureBaseString('GET', url, protocol),
    );
  });
});

describe('verifySignature', () => {
  const base = baseStringFromParameters('POST', 'https://photos.example.net/initiate', INITIATE);

  it('accepts RFC 5849 §1.2 HMAC-SHA1 signature and nothing else', () => {
    const keys = { clientSecret: 'kd94hf93k423kf44' };
    expect(verifySignature('HMAC-SHA1', base, '74KNZJeDHnMBp0EMJ9ZHt/XKycU=', keys)).toBe(true);
    for (const forged of [
      '74KNZJeDHnMBp0EMJ9ZHt/XKycV=',
      '74KNZJeDHnMBp0EMJ9ZHt/XKycU',
      '',
      'x'.repeat(5000),
    ]) {
      expect(verifySignature('HMAC-SHA1', base, forged, keys)).toBe(false);
    }
    expect(verifySignature('HMAC-SHA256', base, '74KNZJeDHnMBp0EMJ9ZHt/XKycU=', keys)).toBe(false);
  });

  it('never verifies an HMAC or PLAINTEXT signature without a client secret', () => {
    const empty = sign('HMAC-SHA1', base, { clientSecret: '' });
    expect(verifySignature('HMAC-SHA1', base, empty, {})).toBe(false);
    expect(verifySignature('HMAC-SHA1', base, empty, { clientSecret: '' })).toBe(false);
    expect(verifySignature('PLAINTEXT', base, '&', { clientSecret: '' })).toBe(false);
  });

  it('checks PLAINTEXT as the encoded key (RFC 5849 §3.4.4)', () => {
    const keys = { clientSecret: 'kd94hf93k423kf44', tokenSecret: 'hdhd0244k9j7ao03' };
    expect(verifySignature('PLAINTEXT', '', 'kd94hf93k423kf44&hdhd0244k9j7ao03', keys)).toBe(true);
    expect(verifySignature('PLAINTEXT', '', 'kd94hf93k423kf44&', keys)).toBe(false);
  });

  it('verifies RSA-SHA1 and RSA-SHA256 with a public key, a certificate-less PEM or a private KeyObject', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    for (const method of ['RSA-SHA1', 'RSA-SHA256'] as const) {
      const signature = sign(method, base, { rsaKey: privateKey });
      for (const rsaKey of [
        publicKey,
        publicKey.export({ type: 'spki', format: 'pem' }) as string,
        privateKey,
      ]) {
        expect(verifySignature(method, base, signature, { rsaKey })).toBe(true);
      }
      expect(verifySignature(method, `${base}x`, signature, { rsaKey: publicKey })).toBe(false);
      expect(verifySignature(method, base, `${signature}!`, { rsaKey: publicKey })).toBe(false);
      expect(verifySignature(method, base, signature, {})).toBe(false);
    }
    expect(
      verifySignature('RSA-SHA1', base, sign('RSA-SHA256', base, { rsaKey: privateKey }), {
        rsaKey: publicKey,
      }),
    ).toBe(false);
  });

  it('throws a coded TypeError for a stored key that is not an RSA key (a server mistake)', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => verifySignature('RSA-SHA1', base, 'AAAA', { rsaKey: publicKey })).toThrow(
      expect.objectContaining({ code: 'ERR_OAUTH1_INVALID_RSA_KEY' }),
    );
    expect(() => verifySignature('RSA-SHA1', base, 'AAAA', { rsaKey: 'not a key' })).toThrow(
      expect.objectContaining({ code: 'ERR_OAUTH1_INVALID_RSA_KEY' }),
    );
  });
});

describe('percentDecode', () => {
  it('decodes UTF-8 escapes and keeps + as a plus', () => {
    expect(percentDecode('a%2Bb+c%20%C3%A9')).toBe('a+b+c é');
    expect(percentDecode('plain')).toBe('plain');
  });

  it.each(['%', '%2', '%zz', '%FF', '%C3'])('refuses %s', (value) => {
    expect(percentDecode(value)).toBeUndefined();
  });
});
