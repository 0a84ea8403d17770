/**
 * Hostile clients against our authorization server (node:http, every
 * storage): each attack is refused with the RFC's status and error code and a
 * fixed description, never a 500, never an echo of what was sent.
 */
import { exportJWK } from 'jose';
import { createCodeChallenge, createCodeVerifier } from '../../lib/core/oauth2/pkce.js';
import { REDIRECT_URI, type TestClients } from '../fixtures/auth-server/clients.js';
import {
  assertionClaims,
  authorizationUrl,
  basicAuth,
  clientAuthFields,
  obtainCode,
  signAssertion,
  unsecuredJwt,
} from '../fixtures/auth-server/raw-flow.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { STORAGE_ROWS } from '../fixtures/auth-server/storages.js';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe.each(STORAGE_ROWS)('hostile clients, %s storage', (_name, factory) => {
  let clockOffset = 0;
  const suite = useAuthServerSuite(factory, () => ({
    now: () => Date.now() + clockOffset,
  }));
  afterEach(() => {
    clockOffset = 0;
  });

  async function token(
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const response = await suite.as.post('/token', form, headers);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : {},
    };
  }

  /** A token request for a client, authenticated the way it registered. */
  async function tokenAs(
    name: keyof TestClients['specs'],
    form: Record<string, string>,
  ): Promise<Answer> {
    const auth = await clientAuthFields(suite.as, suite.clients.specs[name]);
    return token({ ...auth.form, ...form }, auth.headers);
  }

  async function redeem(name: keyof TestClients['specs'], code: string, verifier?: string) {
    return tokenAs(name, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      ...(verifier ? { code_verifier: verifier } : {}),
    });
  }

  async function introspect(tokenValue: string) {
    const auth = basicAuth('basic-client', suite.clients.specs.basic.secret!);
    const response = await suite.as.post('/introspect', { token: tokenValue }, auth);
    return (await response.json()) as Record<string, unknown>;
  }

  function expectError(answer: Answer, status: number, error: string, description?: string) {
    expect(answer.status).toBe(status);
    expect(answer.body.error).toBe(error);
    if (description) expect(answer.body.error_description).toBe(description);
    expect(answer.headers.get('cache-control')).toBe('no-store');
  }

  describe('authorization endpoint', () => {
    async function front(
      overrides: Record<string, string | undefined>,
      clientId = 'public-client',
    ) {
      const { url } = authorizationUrl(suite.as, clientId, overrides);
      const response = await fetch(url, { redirect: 'manual' });
      const location = response.headers.get('location');
      return {
        status: response.status,
        location: location ? new URL(location) : undefined,
        body: location ? undefined : ((await response.json()) as Record<string, unknown>),
      };
    }

    it.each([
      ['an unregistered redirect URI', 'https://attacker.example/cb'],
      ['an extra path on the registered one', `${REDIRECT_URI}/extra`],
      ['an extra query on the registered one', `${REDIRECT_URI}?next=evil`],
      ['a different port', REDIRECT_URI.replace(':9/', ':10/')],
      ['a trailing slash', `${REDIRECT_URI}/`],
    ])('never redirects to %s: 400 page, no Location', async (_case, redirectUri) => {
      const answer = await front({ redirect_uri: redirectUri });
      expect(answer.status).toBe(400);
      expect(answer.location).toBeUndefined();
      expect(answer.body).toEqual({
        error: 'invalid_request',
        error_description: 'the redirect_uri is not registered for the client',
      });
    });

    it('refuses an unknown client without redirecting', async () => {
      const answer = await front({}, 'no-such-client');
      expect(answer).toMatchObject({ status: 400, location: undefined });
      expect(answer.body).toEqual({
        error: 'invalid_client',
        error_description: 'the client is unknown',
      });
    });

    it('requires PKCE from a public client (redirected error, with state and iss)', async () => {
      const answer = await front({ code_challenge: undefined, code_challenge_method: undefined });
      expect(answer.status).toBe(303);
      expect(answer.location?.origin + answer.location!.pathname).toBe(REDIRECT_URI);
      expect(Object.fromEntries(answer.location!.searchParams)).toEqual({
        error: 'invalid_request',
        error_description: 'PKCE is required: code_challenge is missing',
        state: 'state-123',
        iss: suite.as.issuer,
      });
    });

    it('refuses the plain PKCE method unless allowed (and a challenge without method, which means plain)', async () => {
      const verifier = createCodeVerifier();
      for (const method of ['plain', undefined]) {
        const answer = await front({ code_challenge: verifier, code_challenge_method: method });
        expect(answer.location?.searchParams.get('error')).toBe('invalid_request');
        expect(answer.location?.searchParams.get('error_description')).toBe(
          'the plain code_challenge_method is not allowed: use S256',
        );
      }
    });

    it('refuses an implicit response type to a client that did not register it', async () => {
      const answer = await front({ response_type: 'token' }, 'basic-client');
      const fragment = new URLSearchParams(answer.location!.hash.slice(1));
      expect(fragment.get('error')).toBe('unauthorized_client');
      expect(answer.location!.search).toBe('');
    });

    it('refuses scopes the client may not ask for', async () => {
      const answer = await front({ scope: 'openid admin' });
      expect(answer.location?.searchParams.get('error')).toBe('invalid_scope');
    });

    it('refuses a repeated parameter', async () => {
      const { url } = authorizationUrl(suite.as, 'public-client');
      url.searchParams.append('scope', 'api:write');
      const response = await fetch(url, { redirect: 'manual' });
      expect(new URL(response.headers.get('location')!).searchParams.get('error_description')).toBe(
        'the "scope" parameter is repeated',
      );
    });

    it('sends access_denied when the user says no', async () => {
      suite.as.decide = () => false;
      try {
        const answer = await front({});
        expect(answer.location?.searchParams.get('error')).toBe('access_denied');
        expect(answer.location?.searchParams.get('iss')).toBe(suite.as.issuer);
      } finally {
        suite.as.decide = (await import('../fixtures/auth-server/server.js')).approve;
      }
    });
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

  describe('client authentication', () => {
    const cc = { grant_type: 'client_credentials' };
    const failed = { error: 'invalid_client', error_description: 'client authentication failed' };

    it('answers an unknown client and a wrong secret alike: 401, Basic challenge', async () => {
      const unknown = await token(cc, basicAuth('no-such-client', 'x'));
      const wrong = await token(cc, basicAuth('basic-client', 'wrong-secret'));
      for (const answer of [unknown, wrong]) {
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual(failed);
        expect(answer.headers.get('www-authenticate')).toBe('Basic realm="oauth2"');
      }
    });

    it('refuses the secret of one client for another, and a method the client did not register', async () => {
      expect(
        (await token(cc, basicAuth('post-client', suite.clients.specs.basic.secret!))).body,
      ).toEqual(failed);
      const post = await token({
        ...cc,
        client_id: 'basic-client',
        client_secret: suite.clients.specs.basic.secret!,
      });
      expect(post.body).toEqual(failed);
      expect((await token({ ...cc, client_id: 'basic-client' })).body).toEqual(failed);
    });

    it('decodes Basic credentials as RFC 6749 §2.3.1 says (the secret holds ":+ %")', async () => {
      const raw = `basic-client:${suite.clients.specs.basic.secret}`;
      const unencoded = { authorization: `Basic ${Buffer.from(raw).toString('base64')}` };
      expect((await token(cc, unencoded)).status).toBe(401);
      expect(
        (await token(cc, basicAuth('basic-client', suite.clients.specs.basic.secret!))).status,
      ).toBe(200);
    });

    it('refuses two authentication methods in one request', async () => {
      const answer = await token(
        { ...cc, client_id: 'basic-client', client_secret: suite.clients.specs.basic.secret! },
        basicAuth('basic-client', suite.clients.specs.basic.secret!),
      );
      expectError(
        answer,
        400,
        'invalid_request',
        'more than one client authentication method was used',
      );
    });

    describe('client assertions', () => {
      const type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
      const withAssertion = (assertion: string) =>
        token({ ...cc, client_assertion_type: type, client_assertion: assertion });
      const rs = () => suite.clients.specs.rs256.key!;
      const claims = (extra: Record<string, unknown> = {}) => ({
        ...assertionClaims('rs256-client', suite.as.server.endpoints.token),
        ...extra,
      });
      const sign = (c: Record<string, unknown>) =>
        signAssertion(rs().privateKey, { alg: 'RS256', kid: rs().kid }, c);

      it('accepts a well-formed one once, then refuses its replay', async () => {
        const assertion = await sign(claims());
        expect((await withAssertion(assertion)).status).toBe(200);
        const replay = await withAssertion(assertion);
        expect(replay.status).toBe(401);
        expect(replay.body).toEqual({
          error: 'invalid_client',
          error_description: 'the assertion was already used',
        });
      });

      it('refuses "alg": "none"', async () => {
        const answer = await withAssertion(unsecuredJwt(claims()));
        expect(answer.body).toEqual({
          error: 'invalid_client',
          error_description: 'the assertion signature does not verify',
        });
      });

      it('refuses HS256 signed with the client public key (algorithm confusion)', async () => {
        const publicJwk = JSON.stringify(rs().publicJwk);
        const forged = await signAssertion(
          new TextEncoder().encode(publicJwk),
          { alg: 'HS256' },
          claims(),
        );
        expect((await withAssertion(forged)).status).toBe(401);
        const nBytes = Buffer.from(rs().publicJwk.n!, 'base64url');
        expect(
          (await withAssertion(await signAssertion(nBytes, { alg: 'HS256' }, claims()))).status,
        ).toBe(401);
      });

      it('refuses an assertion signed by another key', async () => {
        const other = suite.clients.specs.es256.key!;
        const forged = await signAssertion(
          other.privateKey,
          { alg: 'ES256', kid: rs().kid },
          claims(),
        );
        expect((await withAssertion(forged)).body.error_description).toBe(
          'the assertion signature does not verify',
        );
      });

      it.each([
        [
          'another audience',
          { aud: 'https://other.example/token' },
          'the assertion is not meant for this server',
        ],
        [
          'an expired one',
          { exp: Math.floor(Date.now() / 1000) - 120 },
          'the assertion has expired',
        ],
        ['no expiry', { exp: undefined }, 'the assertion has no expiry'],
        [
          'a lifetime over the limit',
          { exp: Math.floor(Date.now() / 1000) + 7200 },
          'the assertion lives too long',
        ],
        ['no jti', { jti: undefined }, 'the assertion has no valid "jti"'],
        ['another issuer', { iss: 'es256-client' }, 'the assertion was not issued by the client'],
        [
          'a subject that is not the client',
          { sub: 'es256-client' },
          'client authentication failed',
        ],
        [
          'an issue time in the future',
          { iat: Math.floor(Date.now() / 1000) + 600 },
          'the assertion is issued in the future',
        ],
      ])('refuses %s', async (_case, extra, description) => {
        const answer = await withAssertion(await sign(claims(extra)));
        expect(answer.status).toBe(401);
        expect(answer.body.error).toBe('invalid_client');
        if (_case !== 'a subject that is not the client')
          expect(answer.body.error_description).toBe(description);
      });

      it('refuses client_secret_jwt signed with a wrong secret, and HS256 for a private_key_jwt client', async () => {
        const wrong = await signAssertion(
          new TextEncoder().encode('not-the-secret-not-the-secret-xx'),
          { alg: 'HS256' },
          {
            ...assertionClaims('secret-jwt-client', suite.as.server.endpoints.token),
          },
        );
        expect((await withAssertion(wrong)).status).toBe(401);
        const jwk = await exportJWK(rs().privateKey);
        const hs = await signAssertion(
          new TextEncoder().encode(jwk.d!),
          { alg: 'HS256' },
          claims(),
        );
        expect((await withAssertion(hs)).status).toBe(401);
      });
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
