import { calculateJwkThumbprint } from 'jose';
import { createHash } from 'node:crypto';
import { isCodeVerifier } from '../../../../lib/core/oauth2/pkce.js';
import { publicJwkOf } from '../../../../lib/core/util/signing-key.js';
import {
  generateClientSecret,
  hashClientSecret,
  hashToken,
  verifyClientSecret,
} from '../../../../lib/server/oauth2/index.js';
import { OAuthParams } from '../../../../lib/server/oauth2/request-params.js';
import { grantableScope, parseScope } from '../../../../lib/server/oauth2/scope.js';
import { ServerKeySet } from '../../../../lib/server/oauth2/server-keys.js';
import { RSA_KEY } from './support.js';

describe('hashToken', () => {
  it('is the base64url SHA-256 (FIPS 180-2 "abc" vector)', () => {
    expect(Buffer.from(hashToken('abc'), 'base64url').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('client secrets', () => {
  const now = 1_700_000_000;
  it('verifies against the hash or the clear secret, and never an expired one', () => {
    const secret = generateClientSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hashed = { clientId: 'a', redirectUris: [], clientSecretHash: hashClientSecret(secret) };
    expect(verifyClientSecret(hashed, secret, now)).toBe(true);
    expect(verifyClientSecret(hashed, `${secret}x`, now)).toBe(false);
    expect(verifyClientSecret(hashed, '', now)).toBe(false);
    const clear = { clientId: 'a', redirectUris: [], clientSecret: secret };
    expect(verifyClientSecret(clear, secret, now)).toBe(true);
    expect(verifyClientSecret(clear, secret.slice(0, -1), now)).toBe(false);
    expect(verifyClientSecret({ ...clear, clientSecretExpiresAt: now }, secret, now)).toBe(false);
    expect(verifyClientSecret({ clientId: 'a', redirectUris: [] }, '', now)).toBe(false);
    expect(verifyClientSecret({ clientId: 'a', redirectUris: [], clientSecret: '' }, '', now)).toBe(
      false,
    );
  });
});

describe('scope', () => {
  it('parses RFC 6749 §3.3 scope tokens and refuses other characters', () => {
    expect(parseScope('openid  profile openid')).toEqual(['openid', 'profile']);
    expect(parseScope(undefined)).toBeUndefined();
    expect(parseScope('   ')).toBeUndefined();
    expect(() => parseScope('a"b')).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
    expect(() => parseScope('a\\b')).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
    expect(() => parseScope('é')).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
  });

  it('grants default scopes, and only allowed and supported ones', () => {
    const client = { defaultScopes: ['read'], allowedScopes: ['read', 'write'] };
    expect(grantableScope(client, undefined, undefined)).toEqual(['read']);
    expect(grantableScope(client, ['write'], undefined)).toEqual(['write']);
    expect(() => grantableScope(client, ['admin'], undefined)).toThrow(/client may not request/);
    expect(() => grantableScope(client, ['write'], ['read'])).toThrow(/not supported/);
    // The seed's rule: without allowedScopes, the default scopes are the allowed ones.
    expect(() => grantableScope({ defaultScopes: ['read'] }, ['write'], undefined)).toThrow();
    expect(() => grantableScope({}, ['read'], undefined)).toThrow();
  });
});

describe('OAuthParams', () => {
  const params = new OAuthParams(
    new Map([
      ['a', ['1']],
      ['b', ['1', '2']],
      ['c', ['']],
      ['d', ['x'.repeat(20_000)]],
    ]),
  );
  it('reads single values, treats empty as absent, refuses repeats and oversized values', () => {
    expect(params.get('a')).toBe('1');
    expect(params.get('c')).toBeUndefined();
    expect(params.has('c')).toBe(false);
    expect(() => params.get('b')).toThrow('the "b" parameter is repeated');
    expect(() => params.require('c')).toThrow('the "c" parameter is missing');
    expect(() => params.get('d')).toThrow('the "d" parameter is too long');
    expect(params.toRecord()).toEqual({ a: '1', d: 'x'.repeat(20_000) });
  });
});

describe('PKCE on the server side', () => {
  it('accepts verifiers of RFC 7636 §4.1 syntax only', () => {
    expect(isCodeVerifier('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(true);
    expect(isCodeVerifier('a'.repeat(42))).toBe(false);
    expect(isCodeVerifier('a'.repeat(129))).toBe(false);
    expect(isCodeVerifier(`${'a'.repeat(42)}+`)).toBe(false);
  });
});

describe('server keys', () => {
  it('publish public parts with an RFC 7638 thumbprint kid', async () => {
    const set = new ServerKeySet([RSA_KEY, { key: RSA_KEY, kid: 'named', alg: 'PS256' }]);
    const [first, second] = set.jwks().keys;
    expect(first.kid).toBe(await calculateJwkThumbprint(publicJwkOf(RSA_KEY)));
    expect(first).not.toHaveProperty('d');
    expect(second).toMatchObject({ kid: 'named', alg: 'PS256', use: 'sig' });
    expect(set.algorithms).toEqual(['RS256', 'PS256']);
    expect(set.defaultAlgorithm).toBe('RS256');
    expect(set.signer('ES256')).toBeUndefined();
    expect((await set.signer('RS256'))?.kid).toBe(first.kid);
  });

  it('derives the same public key from PEM, JWK and KeyObject inputs', () => {
    const pem = RSA_KEY.export({ type: 'pkcs8', format: 'pem' }) as string;
    const jwk = RSA_KEY.export({ format: 'jwk' });
    const n = (k: { n?: string }) => createHash('sha256').update(k.n!).digest('hex');
    expect(n(publicJwkOf(pem))).toBe(n(publicJwkOf(RSA_KEY)));
    expect(n(publicJwkOf(jwk as never))).toBe(n(publicJwkOf(RSA_KEY)));
  });
});
