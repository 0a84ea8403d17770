/**
 * Hostile authorization requests against our authorization server (node:http and
 * the Nest module on Express and Fastify, every storage): redirect URIs that are not exactly registered, unknown
 * clients, missing or weak PKCE, unregistered response types and scopes,
 * repeated parameters. Untrusted redirects are never followed; the rest is
 * redirected back with the RFC 6749 §4.1.2.1 error, `state` and `iss`.
 */
import { createCodeVerifier } from '../../lib/core/oauth2/pkce.js';
import { REDIRECT_URI } from '../fixtures/auth-server/clients.js';
import { authorizationUrl } from '../fixtures/auth-server/raw-flow.js';
import { approve } from '../fixtures/auth-server/server.js';
import { SUITE_ROWS } from '../fixtures/auth-server/servers.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';

describe.each(SUITE_ROWS)('hostile authorization requests, %s', (_name, factory, start) => {
  const suite = useAuthServerSuite(factory, () => ({}), start);
  afterEach(() => {
    suite.as.decide = approve;
  });

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
        suite.as.decide = approve;
      }
    });
  });
});
