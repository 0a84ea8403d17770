import { createCodeChallenge, createCodeVerifier } from '../../../../lib/core/oauth2/pkce.js';

describe('PKCE', () => {
  it('matches RFC 7636 Appendix B for S256', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(createCodeChallenge(verifier, 'S256')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('returns the verifier itself for plain', () => {
    expect(createCodeChallenge('abc', 'plain')).toBe('abc');
  });

  it('refuses an unknown method with a coded TypeError', () => {
    expect(() => createCodeChallenge('abc', 'S512' as never)).toThrow(
      expect.objectContaining({ code: 'ERR_OAUTH_PKCE_METHOD' }),
    );
  });

  it('makes 43-character verifiers from the unreserved alphabet, never the same twice', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const v = createCodeVerifier();
      expect(v).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
      seen.add(v);
    }
    expect(seen.size).toBe(200);
  });
});
