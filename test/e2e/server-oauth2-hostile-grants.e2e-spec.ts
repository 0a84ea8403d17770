/**
 * Hostile token requests against our authorization server (node:http and
 * the Nest module on Express and Fastify, every storage): replayed, raced, expired, foreign and downgraded codes, wrong
 * PKCE verifiers, reused, raced, foreign and widened refresh tokens, grants a
 * client may not use, malformed requests. Each is refused with the RFC
 * status and error code and a fixed description; never a 500 or an echo.
 */
import { createCodeChallenge, createCodeVerifier } from '../../lib/core/oauth2/pkce.js';
import { REDIRECT_URI } from '../fixtures/auth-server/clients.js';
import { basicAuth, obtainCode } from '../fixtures/auth-server/raw-flow.js';
import { SUITE_ROWS } from '../fixtures/auth-server/servers.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { expectError, tokenRequests } from '../fixtures/auth-server/token-requests.js';

describe.each(SUITE_ROWS)('hostile token requests, %s', (_name, factory, start) => {
  let clockOffset = 0;
  const suite = useAuthServerSuite(factory, () => ({ now: () => Date.now() + clockOffset }), start);
  const { token, tokenAs, redeem, introspect } = tokenRequests(suite);
  afterEach(() => {
    clockOffset = 0;
  });

  describe('authorization code', () => {
    it('is single use: a replay is refused and revokes the tokens of the first redemption', async () => {
      const { code, verifier } = await obtainCode(suite.as, 'basic-client');
      const first = await redeem('basic', code, verifier);
      expect(first.status).toBe(200);
      expect(await introspect(first.body.access_token as string)).toMatchObject({ active: true });
      expectError(
        await redeem('basic', code, verifier),
        400,
        'invalid_grant',
        'the code is invalid, expired or already used',
      );
      expect(await introspect(first.body.access_token as string)).toEqual({ active: false });
      const refresh = await tokenAs('basic', {
        grant_type: 'refresh_token',
        refresh_token: first.body.refresh_token as string,
      });
      expectError(refresh, 400, 'invalid_grant');
    });

    it('is redeemed once under concurrent redemptions', async () => {
      const { code, verifier } = await obtainCode(suite.as, 'basic-client');
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => redeem('basic', code, verifier)),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.body.error === 'invalid_grant')).toHaveLength(4);
    });

    it('refuses a wrong code_verifier', async () => {
      const { code } = await obtainCode(suite.as, 'public-client');
      expectError(
        await redeem('none', code, createCodeVerifier()),
        400,
        'invalid_grant',
        'the code_verifier does not match the code_challenge',
      );
    });

    it('refuses a missing code_verifier when a challenge was sent', async () => {
      const { code } = await obtainCode(suite.as, 'public-client');
      expectError(await redeem('none', code), 400, 'invalid_grant', 'the code_verifier is missing');
    });

    it('refuses a verifier for a code issued without a challenge (PKCE downgrade)', async () => {
      const { code } = await obtainCode(suite.as, 'basic-client', {
        code_challenge: undefined,
        code_challenge_method: undefined,
      });
      expectError(
        await redeem('basic', code, createCodeVerifier()),
        400,
        'invalid_grant',
        'the code was issued without a code_challenge',
      );
    });

    it('refuses an expired code', async () => {
      const { code, verifier } = await obtainCode(suite.as, 'basic-client');
      clockOffset = 61_000;
      expectError(await redeem('basic', code, verifier), 400, 'invalid_grant');
    });

    it('refuses a code issued to another client', async () => {
      const { code, verifier } = await obtainCode(suite.as, 'basic-client');
      expectError(
        await redeem('post', code, verifier),
        400,
        'invalid_grant',
        'the code was issued to another client',
      );
    });

    it('refuses a redirect_uri other than the one of the authorization request', async () => {
      const { code, verifier } = await obtainCode(suite.as, 'basic-client');
      const answer = await tokenAs('basic', {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: `${REDIRECT_URI}/x`,
      });
      expectError(
        answer,
        400,
        'invalid_grant',
        'the redirect_uri does not match the authorization request',
      );
    });
  });

  describe('refresh token', () => {
    async function refreshable() {
      const { code, verifier } = await obtainCode(suite.as, 'basic-client', {
        scope: 'openid api:read',
      });
      return (await redeem('basic', code, verifier)).body;
    }

    it('refuses a scope wider than granted', async () => {
      const tokens = await refreshable();
      const answer = await tokenAs('basic', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
        scope: 'openid api:read api:write',
      });
      expectError(answer, 400, 'invalid_scope', 'the scope exceeds what was granted');
    });

    it('revokes the family when a rotated refresh token is reused', async () => {
      const tokens = await refreshable();
      const rotated = await tokenAs('basic', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
      });
      expect(rotated.status).toBe(200);
      const reuse = await tokenAs('basic', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
      });
      expectError(reuse, 400, 'invalid_grant', 'the refresh token is invalid');
      expect(await introspect(rotated.body.access_token as string)).toEqual({ active: false });
    });

    it('rotates once under concurrent refreshes, and treats the race as reuse', async () => {
      const tokens = await refreshable();
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          tokenAs('basic', {
            grant_type: 'refresh_token',
            refresh_token: tokens.refresh_token as string,
          }),
        ),
      );
      const winners = answers.filter((a) => a.status === 200);
      expect(winners.length).toBeLessThanOrEqual(1);
      for (const winner of winners) {
        expect(await introspect(winner.body.access_token as string)).toEqual({ active: false });
      }
    });

    it('refuses a refresh token presented by another client, and revokes its family', async () => {
      const tokens = await refreshable();
      const answer = await tokenAs('post', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
      });
      expectError(answer, 400, 'invalid_grant');
      expect(await introspect(tokens.access_token as string)).toEqual({ active: false });
    });

    it('refuses an expired refresh token', async () => {
      const tokens = await refreshable();
      clockOffset = 15 * 86400_000;
      const answer = await tokenAs('basic', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
      });
      expectError(answer, 400, 'invalid_grant', 'the refresh token has expired');
    });

    it('issues no refresh token to a client without the refresh_token grant', async () => {
      const { code, verifier } = await obtainCode(suite.as, 'no-refresh-client');
      const answer = await redeem('noRefresh', code, verifier);
      expect(answer.status).toBe(200);
      expect(answer.body.refresh_token).toBeUndefined();
    });
  });

  describe('token endpoint requests', () => {
    it('refuses client_credentials to a public client', async () => {
      expectError(
        await tokenAs('none', { grant_type: 'client_credentials' }),
        400,
        'unauthorized_client',
      );
    });

    it('refuses a grant type the client did not register', async () => {
      expectError(
        await tokenAs('noRefresh', { grant_type: 'client_credentials' }),
        400,
        'unauthorized_client',
      );
    });

    it('refuses an unknown grant type', async () => {
      expectError(
        await tokenAs('basic', { grant_type: 'urn:example:magic' }),
        400,
        'unsupported_grant_type',
      );
    });

    it('refuses a JSON body, a repeated parameter and a GET', async () => {
      const json = await fetch(new URL('/token', suite.as.issuer), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...basicAuth('basic-client', suite.clients.specs.basic.secret!),
        },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      expect(json.status).toBe(400);
      const repeated = await suite.as.post(
        '/token',
        'grant_type=client_credentials&grant_type=password',
        basicAuth('basic-client', suite.clients.specs.basic.secret!),
      );
      expect(await repeated.json()).toEqual({
        error: 'invalid_request',
        error_description: 'the "grant_type" parameter is repeated',
      });
      const get = await fetch(new URL('/token', suite.as.issuer));
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
    });

    it('answers an oversized body with 413', async () => {
      const response = await suite.as.post(
        '/token',
        `grant_type=client_credentials&pad=${'x'.repeat(2 * 1024 * 1024)}`,
      );
      expect(response.status).toBe(413);
    });

    it('never echoes a secret, code or token in an error', async () => {
      const { code } = await obtainCode(suite.as, 'public-client');
      const answers = [
        await tokenAs('none', {
          grant_type: 'authorization_code',
          code,
          code_verifier: 'x'.repeat(43),
        }),
        await token(
          { grant_type: 'client_credentials' },
          basicAuth('basic-client', 'secret-value-123'),
        ),
        await tokenAs('basic', { grant_type: 'refresh_token', refresh_token: 'refresh-value-123' }),
      ];
      for (const answer of answers) {
        const text = JSON.stringify(answer.body);
        for (const value of [code, 'secret-value-123', 'refresh-value-123', 'x'.repeat(43)]) {
          expect(text).not.toContain(value);
        }
      }
    });
  });

  it('verifies PKCE with the RFC 7636 Appendix B values on the server side', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    expect(createCodeChallenge(verifier, 'S256')).toBe(challenge);
    const { code } = await obtainCode(suite.as, 'public-client', { code_challenge: challenge });
    expect((await redeem('none', code, verifier)).status).toBe(200);
  });
});
