/**
 * Hostile client authentication against our authorization server
 * (node:http and the Nest module on Express and Fastify, every storage): unknown clients, wrong secrets, methods the
 * client did not register, two methods at once, and forged, replayed,
 * unsigned (`alg: none`), algorithm-confused, misaddressed, expired or
 * over-long client assertions. Each is a 401 `invalid_client` (or 400
 * `invalid_request`) with a fixed description.
 */
import { exportJWK } from 'jose';
import {
  assertionClaims,
  basicAuth,
  signAssertion,
  unsecuredJwt,
} from '../fixtures/auth-server/raw-flow.js';
import { SUITE_ROWS } from '../fixtures/auth-server/servers.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { expectError, tokenRequests } from '../fixtures/auth-server/token-requests.js';

describe.each(SUITE_ROWS)('hostile client authentication, %s', (_name, factory, start) => {
  const suite = useAuthServerSuite(factory, () => ({}), start);
  const { token } = tokenRequests(suite);

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
});
