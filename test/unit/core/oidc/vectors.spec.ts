import { base64url, compactVerify } from 'jose';
import { computeTokenHash, verifyJws } from '../../../../lib/core/oidc/index.js';
import { expectInvalid } from './support.js';

// RFC 7515 Appendix A.1: the HS256 JWS example and its symmetric key.
const A1_JWS =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9' +
  '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const A1_KEY = base64url.decode(
  'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
);

describe('RFC 7515 Appendix A.1 (HS256)', () => {
  it('verifies the published JWS with the published key through verifyJws', async () => {
    const { header, payload } = await verifyJws(A1_JWS, { algorithms: ['HS256'], secret: A1_KEY });
    expect(header).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({
      iss: 'joe',
      exp: 1300819380,
      'http://example.com/is_root': true,
    });
    // and jose agrees
    await expect(compactVerify(A1_JWS, A1_KEY)).resolves.toBeDefined();
  });

  it('refuses the example with one signature bit changed, or with HS256 not allowed', async () => {
    const at = A1_JWS.lastIndexOf('.') + 1; // first signature character: 'd' -> 'e' changes a bit
    const flipped = `${A1_JWS.slice(0, at)}e${A1_JWS.slice(at + 1)}`;
    await expectInvalid(verifyJws(flipped, { algorithms: ['HS256'], secret: A1_KEY }), 'signature');
    await expectInvalid(verifyJws(A1_JWS, { algorithms: ['RS256'], secret: A1_KEY }), 'alg');
    await expectInvalid(verifyJws(A1_JWS, { algorithms: ['HS256'] }), 'alg');
  });
});

describe('OpenID Connect hash claims (Core §3.1.3.6, §3.3.2.11)', () => {
  it('matches the at_hash and c_hash examples of OpenID Connect Core Appendix A', () => {
    expect(computeTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')).toBe(
      '77QmUPtjPfzWtF2AnpK9RQ',
    );
    expect(
      computeTokenHash('Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk', 'RS256'),
    ).toBe('LDktKdoQak3Pk0cnXxCltA');
  });

  it('sizes the hash after the algorithm: SHA-384, SHA-512, and SHA-512 for EdDSA', () => {
    const code = 'dNZX1hEZ9wBCzNL40Upu646bdzQA';
    expect(computeTokenHash(code, 'HS384')).toBe('phZaPQJosyg-qi-OIYyQ3xJB9wsHYEEz');
    expect(computeTokenHash(code, 'HS512')).toBe('8xltSlOGYrWy8W9yNvRlEth1i_bXW-JROWPLvCv5zog');
    expect(computeTokenHash(code, 'EdDSA')).toBe(computeTokenHash(code, 'HS512'));
    expect(computeTokenHash(code, 'ES384')).toBe(computeTokenHash(code, 'PS384'));
    expect(computeTokenHash(code, 'RS256')).toHaveLength(22);
  });

  it('refuses an algorithm with no defined hash', () => {
    expect(() => computeTokenHash('x', 'ML-DSA-44')).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'ERR_OAUTH_UNSUPPORTED_ALG' }),
    );
  });
});
