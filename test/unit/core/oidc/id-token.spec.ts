import {
  CompactSign,
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type CryptoKey,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import {
  computeTokenHash,
  validateIdToken,
  type IdTokenValidationOptions,
} from '../../../../lib/core/oidc/index.js';
import { expectInvalid, sign, unsecured } from './support.js';

const ISSUER = 'https://op.example.com';
const CLIENT_ID = 's6BhdRkqt3';
const CLIENT_SECRET = 'a-client-secret-long-enough-for-hs256-0123';
const NONCE = 'n-0S6_WzA2Mj';
const NOW = 1_800_000_000; // seconds; the tests pin the clock

type Pair = { privateKey: CryptoKey; publicKey: CryptoKey };
let rsa: Pair;
let ec: Pair;
let ed: Pair;
let attacker: Pair;
let rsaPublicJwk: JWK;
let keys: JWTVerifyGetKey;

beforeAll(async () => {
  [rsa, ec, ed, attacker] = await Promise.all([
    generateKeyPair('RS256'),
    generateKeyPair('ES256'),
    generateKeyPair('EdDSA'),
    generateKeyPair('RS256'),
  ]);
  rsaPublicJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', use: 'sig' };
  keys = createLocalJWKSet({
    keys: [
      rsaPublicJwk,
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1' },
      { ...(await exportJWK(ed.publicKey)), kid: 'ed-1' },
    ],
  });
});

function claims(extra: Record<string, unknown> = {}): JWTPayload {
  return {
    iss: ISSUER,
    sub: '248289761001',
    aud: CLIENT_ID,
    iat: NOW - 10,
    exp: NOW + 600,
    nonce: NONCE,
    ...extra,
  };
}

function options(extra: Partial<IdTokenValidationOptions> = {}): IdTokenValidationOptions {
  return {
    issuer: ISSUER,
    clientId: CLIENT_ID,
    keys,
    nonce: NONCE,
    now: () => NOW * 1000,
    ...extra,
  };
}

const rs256 = (extra: Record<string, unknown> = {}, omit: string[] = []) => {
  const c = claims(extra);
  for (const k of omit) delete c[k];
  return sign(c, rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' });
};

describe('validateIdToken: multi-tenant issuer templates ({tenantid})', () => {
  const TEMPLATE = 'https://login.example.com/{tenantid}/v2.0';
  const TID = '9188040d-6c67-4c5b-b112-36a304b66dad';

  it("expects the template with the token's own tid", async () => {
    const token = await rs256({ iss: `https://login.example.com/${TID}/v2.0`, tid: TID });
    await expect(validateIdToken(token, options({ issuer: TEMPLATE }))).resolves.toMatchObject({
      tid: TID,
    });
  });

  it('refuses an iss of another tenant than tid, a missing tid, and a tid that is no id', async () => {
    const other = await rs256({
      iss: 'https://login.example.com/00000000-0000-0000-0000-000000000000/v2.0',
      tid: TID,
    });
    await expectInvalid(validateIdToken(other, options({ issuer: TEMPLATE })), 'iss');
    const missing = await rs256({ iss: `https://login.example.com/${TID}/v2.0` });
    await expectInvalid(validateIdToken(missing, options({ issuer: TEMPLATE })), 'iss');
    const path = await rs256({ iss: 'https://login.example.com/x/../y/v2.0', tid: 'x/../y' });
    await expectInvalid(validateIdToken(path, options({ issuer: TEMPLATE })), 'iss');
  });

  it('takes a literal issuer literally', async () => {
    const token = await rs256({ iss: TEMPLATE, tid: TID });
    await expectInvalid(
      validateIdToken(token, options({ issuer: `https://login.example.com/${TID}/v2.0` })),
      'iss',
    );
  });
});

describe('validateIdToken: accepted tokens', () => {
  it('RS256: returns the claims', async () => {
    const token = await rs256({ email: 'j@example.com' });
    await expect(validateIdToken(token, options())).resolves.toEqual(
      claims({ email: 'j@example.com' }),
    );
  });

  it('ES256, EdDSA and PS256 when allowed', async () => {
    const es = await sign(claims(), ec.privateKey, { alg: 'ES256', kid: 'ec-1' });
    const eddsa = await sign(claims(), ed.privateKey, { alg: 'EdDSA', kid: 'ed-1' });
    const rsaPss = await generateKeyPair('PS256');
    const ps = await sign(claims(), rsaPss.privateKey, { alg: 'PS256', kid: 'ps-1' });
    const psKeys = createLocalJWKSet({
      keys: [{ ...(await exportJWK(rsaPss.publicKey)), kid: 'ps-1' }],
    });
    await expect(validateIdToken(es, options({ algorithms: ['ES256'] }))).resolves.toMatchObject({
      sub: '248289761001',
    });
    await expect(validateIdToken(eddsa, options({ algorithms: ['EdDSA'] }))).resolves.toMatchObject(
      { sub: '248289761001' },
    );
    await expect(
      validateIdToken(ps, options({ algorithms: ['PS256'], keys: psKeys })),
    ).resolves.toMatchObject({
      sub: '248289761001',
    });
  });

  it('HS256 verified with the client secret (UTF-8 bytes) when allowed', async () => {
    const token = await sign(claims(), new TextEncoder().encode(CLIENT_SECRET), { alg: 'HS256' });
    await expect(
      validateIdToken(
        token,
        options({ algorithms: ['RS256', 'HS256'], clientSecret: CLIENT_SECRET }),
      ),
    ).resolves.toMatchObject({ iss: ISSUER });
  });

  it('several audiences with azp = client, and times within the clock tolerance', async () => {
    const token = await rs256({
      aud: [CLIENT_ID, 'api'],
      azp: CLIENT_ID,
      exp: NOW - 30,
      iat: NOW + 30,
    });
    await expect(validateIdToken(token, options())).resolves.toMatchObject({ azp: CLIENT_ID });
  });

  it('matching at_hash, c_hash, s_hash and a fresh auth_time', async () => {
    const at = 'jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y';
    const code = 'Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk';
    const token = await rs256({
      at_hash: '77QmUPtjPfzWtF2AnpK9RQ',
      c_hash: 'LDktKdoQak3Pk0cnXxCltA',
      s_hash: computeTokenHash('af0ifjsldkj', 'RS256'),
      auth_time: NOW - 100,
    });
    await expect(
      validateIdToken(token, options({ accessToken: at, code, state: 'af0ifjsldkj', maxAge: 300 })),
    ).resolves.toMatchObject({ auth_time: NOW - 100 });
    // EdDSA hashes with SHA-512
    const eddsa = await sign(claims({ at_hash: computeTokenHash(at, 'EdDSA') }), ed.privateKey, {
      alg: 'EdDSA',
      kid: 'ed-1',
    });
    expect(computeTokenHash(at, 'EdDSA')).toHaveLength(43);
    await expect(
      validateIdToken(eddsa, options({ algorithms: ['EdDSA'], accessToken: at })),
    ).resolves.toBeDefined();
  });

  it('does not require a nonce when none was sent', async () => {
    const token = await rs256({}, ['nonce']);
    await expect(validateIdToken(token, options({ nonce: undefined }))).resolves.toBeDefined();
  });
});

describe('validateIdToken: refusals', () => {
  it.each([
    ['aud', 'wrong audience', { aud: 'another-client' }],
    ['aud', 'malformed audience', { aud: 42 }],
    ['iss', 'wrong issuer', { iss: 'https://evil.example.com' }],
    ['iss', 'issuer differing by a trailing slash', { iss: `${ISSUER}/` }],
    ['exp', 'expired beyond the tolerance', { exp: NOW - 61 }],
    ['iat', 'issued in the future', { iat: NOW + 300 }],
    ['nonce', 'wrong nonce', { nonce: 'replayed-nonce' }],
    ['azp', 'several audiences without azp', { aud: [CLIENT_ID, 'api'] }],
    ['azp', 'several audiences with a wrong azp', { aud: [CLIENT_ID, 'api'], azp: 'api' }],
    ['azp', 'a single audience with a wrong azp', { azp: 'other' }],
    ['nbf', 'not valid before a future time', { nbf: NOW + 600 }],
    ['sub', 'an empty subject', { sub: '' }],
  ] as const)('%s: %s', async (claim, _name, extra) => {
    const token = await rs256(extra as Record<string, unknown>);
    await expectInvalid(validateIdToken(token, options()), claim, token);
  });

  it.each([
    ['exp', 'exp'],
    ['iat', 'iat'],
    ['nonce', 'nonce'],
    ['sub', 'sub'],
  ])('%s missing', async (claim, omitted) => {
    const token = await rs256({}, [omitted]);
    await expectInvalid(validateIdToken(token, options()), claim, token);
  });

  it('a bad signature: signed by another key with the same kid', async () => {
    const token = await sign(claims(), attacker.privateKey, { alg: 'RS256', kid: 'rsa-1' });
    const err = await expectInvalid(validateIdToken(token, options()), 'signature', token);
    expect(err.message).toBe('invalid ID token: signature: the signature does not verify');
  });

  it('a tampered payload', async () => {
    const token = await rs256();
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url')}.${s}`;
    await expectInvalid(validateIdToken(forged, options()), 'signature', forged);
  });

  it('alg none, even when the caller lists it as allowed', async () => {
    const token = unsecured(claims());
    await expectInvalid(validateIdToken(token, options()), 'alg', token);
    await expectInvalid(
      validateIdToken(token, options({ algorithms: ['none', 'RS256'] })),
      'alg',
      token,
    );
    await expectInvalid(
      validateIdToken(unsecured(claims(), { alg: 'None' }), options({ algorithms: ['None'] })),
      'alg',
    );
  });

  it('HS256 signed with the provider public key (PEM or JWK bytes) is refused, and the provider keys are never consulted', async () => {
    const pem = await exportSPKI(rsa.publicKey);
    const forgedPem = await sign(claims(), new TextEncoder().encode(pem), {
      alg: 'HS256',
      kid: 'rsa-1',
    });
    const forgedJwk = await sign(claims(), new TextEncoder().encode(JSON.stringify(rsaPublicJwk)), {
      alg: 'HS256',
      kid: 'rsa-1',
    });
    let consulted = 0;
    const spyKeys: JWTVerifyGetKey = (header, token) => {
      consulted++;
      return (keys as (...a: unknown[]) => Promise<CryptoKey>)(header, token);
    };
    for (const forged of [forgedPem, forgedJwk]) {
      // HS256 not allowed
      await expectInvalid(validateIdToken(forged, options({ keys: spyKeys })), 'alg', forged);
      // HS256 allowed but no client secret: nothing to verify with
      await expectInvalid(
        validateIdToken(forged, options({ keys: spyKeys, algorithms: ['RS256', 'HS256'] })),
        'alg',
        forged,
      );
      // HS256 allowed with a client secret: verified with the secret only, so it fails
      await expectInvalid(
        validateIdToken(
          forged,
          options({ keys: spyKeys, algorithms: ['RS256', 'HS256'], clientSecret: CLIENT_SECRET }),
        ),
        'signature',
        forged,
      );
    }
    expect(consulted).toBe(0);
  });

  it('an algorithm outside the allowed list', async () => {
    const token = await sign(claims(), ec.privateKey, { alg: 'ES256', kid: 'ec-1' });
    const err = await expectInvalid(
      validateIdToken(token, options({ algorithms: ['RS256'] })),
      'alg',
      token,
    );
    expect(err.message).toBe('invalid ID token: alg: algorithm "ES256" is not allowed');
    // and RS256 is the default
    await expectInvalid(validateIdToken(token, options()), 'alg', token);
  });

  it('at_hash, c_hash and s_hash mismatches', async () => {
    const token = await rs256({
      at_hash: '77QmUPtjPfzWtF2AnpK9RQ',
      c_hash: 'LDktKdoQak3Pk0cnXxCltA',
      s_hash: 'x',
    });
    await expectInvalid(
      validateIdToken(token, options({ accessToken: 'another-access-token' })),
      'at_hash',
      token,
    );
    await expectInvalid(validateIdToken(token, options({ code: 'another-code' })), 'c_hash', token);
    await expectInvalid(validateIdToken(token, options({ state: 'af0ifjsldkj' })), 's_hash', token);
    // a hash computed with the wrong SHA size is refused too (RS384 token, SHA-256 hash)
    const rs384 = await generateKeyPair('RS384');
    const at = 'jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y';
    const wrongSize = await sign(
      claims({ at_hash: computeTokenHash(at, 'RS256') }),
      rs384.privateKey,
      {
        alg: 'RS384',
        kid: 'k384',
      },
    );
    const keys384 = createLocalJWKSet({
      keys: [{ ...(await exportJWK(rs384.publicKey)), kid: 'k384' }],
    });
    await expectInvalid(
      validateIdToken(
        wrongSize,
        options({ algorithms: ['RS384'], keys: keys384, accessToken: at }),
      ),
      'at_hash',
    );
  });

  it('auth_time missing or too old with maxAge, missing when requested', async () => {
    const old = await rs256({ auth_time: NOW - 3600 });
    await expectInvalid(validateIdToken(old, options({ maxAge: 600 })), 'auth_time', old);
    const none = await rs256();
    await expectInvalid(validateIdToken(none, options({ maxAge: 600 })), 'auth_time', none);
    await expectInvalid(validateIdToken(none, options({ authTime: true })), 'auth_time', none);
    await expect(validateIdToken(old, options())).resolves.toBeDefined(); // no max_age asked
  });

  it('malformed tokens', async () => {
    for (const bad of ['garbage', 'a.b', '', 'a.b.c.d.e', '!!!.e30.sig']) {
      await expectInvalid(validateIdToken(bad, options()), 'format');
    }
    await expectInvalid(validateIdToken(undefined as never, options()), 'format');
    const notJson = await new CompactSign(new TextEncoder().encode('not json'))
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .sign(rsa.privateKey);
    await expectInvalid(validateIdToken(notJson, options()), 'format');
    const array = await new CompactSign(new TextEncoder().encode('[1]'))
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .sign(rsa.privateKey);
    await expectInvalid(validateIdToken(array, options()), 'format');
  });

  it('no provider keys, or no key for the kid', async () => {
    const token = await rs256();
    await expectInvalid(validateIdToken(token, options({ keys: undefined })), 'signature', token);
    const unknownKid = await sign(claims(), rsa.privateKey, { alg: 'RS256', kid: 'unknown' });
    await expectInvalid(validateIdToken(unknownKid, options()), 'signature', unknownKid);
  });

  it('uses the real clock by default', async () => {
    const now = Math.floor(Date.now() / 1000);
    const fresh = await rs256({ iat: now, exp: now + 60 });
    await expect(validateIdToken(fresh, options({ now: undefined }))).resolves.toBeDefined();
    const expired = await rs256({ iat: now - 7200, exp: now - 3600 });
    await expectInvalid(validateIdToken(expired, options({ now: undefined })), 'exp', expired);
  });
});
