/**
 * OpenID Connect specifics of our authorization server, checked by
 * openid-client and this library's OAuth2Client: discovery documents, the
 * JWK set and key rotation, hybrid and implicit responses (c_hash, at_hash),
 * form_post, prompt=none, max_age, UserInfo errors, and the errorUri page; on
 * node:http and through the Nest module on Express and Fastify, every storage.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { InvalidTokenError } from '../../lib/core/errors.js';
import { OAuth2Client } from '../../lib/core/oauth2/oauth2-client.js';
import { JwksCache } from '../../lib/core/oidc/jwks.js';
import { validateIdToken } from '../../lib/core/oidc/id-token.js';
import { MemoryOAuth2ServerStorage } from '../../lib/server/oauth2/index.js';
import { parseForms } from '../fixtures/browser-client.js';
import { REDIRECT_URI, USER } from '../fixtures/auth-server/clients.js';
import { serverSigningKeys } from '../fixtures/auth-server/keys.js';
import { authorizationUrl, basicAuth, obtainCode } from '../fixtures/auth-server/raw-flow.js';
import { approve } from '../fixtures/auth-server/server.js';
import { SUITE_ROWS } from '../fixtures/auth-server/servers.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';

describe.each(SUITE_ROWS)('OpenID Connect provider, %s', (_name, factory, start) => {
  const suite = useAuthServerSuite(factory, () => ({}), start);
  afterEach(() => {
    suite.as.decide = approve;
  });

  /** openid-client configured from our discovery document as a public client. */
  const discover = (clientId: string, ...execute: ((config: oidc.Configuration) => void)[]) =>
    oidc.discovery(new URL(suite.as.issuer), clientId, {}, oidc.None(), {
      execute: [oidc.allowInsecureRequests, ...execute],
    });

  const implicitClient = () =>
    new OAuth2Client({
      clientId: 'implicit-client',
      tokenEndpointAuthMethod: 'none',
      redirectUri: REDIRECT_URI,
      scope: 'openid profile email',
      serverMetadataUrl: `${suite.as.issuer}/.well-known/openid-configuration`,
    });

  describe('discovery and keys', () => {
    it('serves the same metadata at the OpenID and RFC 8414 paths', async () => {
      const openid = await (
        await fetch(`${suite.as.issuer}/.well-known/openid-configuration`)
      ).json();
      const rfc8414 = await (
        await fetch(`${suite.as.issuer}/.well-known/oauth-authorization-server`)
      ).json();
      expect(openid).toEqual(rfc8414);
      expect(openid).toMatchObject({
        issuer: suite.as.issuer,
        authorization_endpoint: `${suite.as.issuer}/authorize`,
        token_endpoint: `${suite.as.issuer}/token`,
        jwks_uri: `${suite.as.issuer}/jwks`,
        userinfo_endpoint: `${suite.as.issuer}/userinfo`,
        revocation_endpoint: `${suite.as.issuer}/revoke`,
        introspection_endpoint: `${suite.as.issuer}/introspect`,
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
        id_token_signing_alg_values_supported: ['RS256', 'ES256', 'EdDSA'],
        subject_types_supported: ['public'],
      });
      expect(openid.grant_types_supported).toEqual(
        expect.arrayContaining([
          'authorization_code',
          'refresh_token',
          'client_credentials',
          'password',
        ]),
      );
    });

    it('publishes every key, old ones included, public parts only', async () => {
      const response = await fetch(`${suite.as.issuer}/jwks`);
      expect(response.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      expect(response.headers.get('pragma')).toBeNull();
      const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
      expect(keys.map((k) => [k.kty, k.alg, k.use])).toEqual([
        ['RSA', 'RS256', 'sig'],
        ['EC', 'ES256', 'sig'],
        ['OKP', 'EdDSA', 'sig'],
        ['RSA', 'RS256', 'sig'],
      ]);
      expect(new Set(keys.map((k) => k.kid)).size).toBe(4);
      for (const key of keys)
        for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(part);
    });

    it('keeps ID tokens of a rotated-out key verifiable while that key stays published', async () => {
      const keys = serverSigningKeys();
      const storage = new MemoryOAuth2ServerStorage(suite.clients.seed);
      const before = await start({ storage, options: { keys: [keys.oldRS256] } });
      try {
        const c = new OAuth2Client({
          clientId: 'public-client',
          tokenEndpointAuthMethod: 'none',
          redirectUri: REDIRECT_URI,
          scope: 'openid',
          serverMetadataUrl: `${before.issuer}/.well-known/openid-configuration`,
        });
        await c.loadServerMetadata();
        const flow = c.createAuthorizationUrl();
        const token = await c.fetchToken(undefined, {
          authorizationResponse: (await before.authorize(flow.url)).href,
          state: flow.state,
          nonce: flow.nonce,
          codeVerifier: flow.codeVerifier,
        });
        const oldKid = decodeProtectedHeader(token.id_token!).kid;
        // `as` signs with a new key first and still publishes the old one.
        const published = (await (await fetch(`${suite.as.issuer}/jwks`)).json()) as {
          keys: { kid: string }[];
        };
        expect(published.keys[0].kid).not.toBe(oldKid);
        expect(published.keys.map((k) => k.kid)).toContain(oldKid);
        const claims = await validateIdToken(token.id_token!, {
          issuer: before.issuer,
          clientId: 'public-client',
          keys: new JwksCache(`${suite.as.issuer}/jwks`),
          clockTolerance: 5,
        });
        expect(claims.sub).toBe(USER.sub);
      } finally {
        await before.close();
      }
    });
  });

  describe('response types', () => {
    it('hybrid code id_token: the front-channel ID token has c_hash, validated by OAuth2Client', async () => {
      const c = implicitClient();
      await c.loadServerMetadata();
      const flow = c.createAuthorizationUrl(undefined, { responseType: 'code id_token' });
      const callback = await suite.as.authorize(flow.url);
      const fragment = new URLSearchParams(callback.hash.slice(1));
      expect([...fragment.keys()].sort()).toEqual(['code', 'id_token', 'iss', 'state']);
      expect(decodeJwt(fragment.get('id_token')!)).toMatchObject({ c_hash: expect.any(String) });
      expect(decodeJwt(fragment.get('id_token')!)).not.toHaveProperty('at_hash');
      const token = await c.fetchToken(undefined, {
        authorizationResponse: callback.href,
        state: flow.state,
        nonce: flow.nonce,
        codeVerifier: flow.codeVerifier,
      });
      expect(token.userinfo).toMatchObject({ sub: USER.sub, at_hash: expect.any(String) });
    });

    it('hybrid code id_token with form_post, validated by openid-client', async () => {
      const config = await discover('implicit-client', oidc.useCodeIdTokenResponseType);
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: 'openid email',
        response_mode: 'form_post',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
        state: 's1',
      });
      const page = await fetch(url, { redirect: 'manual' });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(
        /form-action http:\/\/127\.0\.0\.1:9/,
      );
      const [form] = parseForms(await page.text(), url.href);
      expect(form.action).toBe(REDIRECT_URI);
      const post = new Request(form.action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form.fields),
      });
      const tokens = await oidc.authorizationCodeGrant(config, post, {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
        expectedState: 's1',
      });
      expect(tokens.claims()).toMatchObject({ sub: USER.sub, nonce });
    });

    it('implicit id_token: the user claims are in the ID token (no access token), validated by openid-client', async () => {
      const config = await discover('implicit-client', oidc.useIdTokenResponseType);
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: 'openid profile email',
        nonce,
        state: 's2',
      });
      const callback = await suite.as.authorize(url);
      const claims = await oidc.implicitAuthentication(config, callback, nonce, {
        expectedState: 's2',
      });
      expect(claims).toMatchObject({
        sub: USER.sub,
        name: USER.claims.name,
        email: USER.claims.email,
        nonce,
      });
      expect(claims).not.toHaveProperty('phone_number');
    });

    it('implicit id_token token: at_hash, validated by OAuth2Client; no refresh token, token in the fragment only', async () => {
      const c = implicitClient();
      await c.loadServerMetadata();
      const flow = c.createAuthorizationUrl(undefined, { responseType: 'id_token token' });
      const callback = await suite.as.authorize(flow.url);
      expect(callback.search).toBe('');
      const fragment = new URLSearchParams(callback.hash.slice(1));
      expect(fragment.get('token_type')).toBe('Bearer');
      expect(fragment.has('refresh_token')).toBe(false);
      const token = await c.fetchToken(undefined, {
        authorizationResponse: callback.href,
        state: flow.state,
        nonce: flow.nonce,
      });
      expect(token.userinfo).toMatchObject({ sub: USER.sub, at_hash: expect.any(String) });
    });

    it('refuses an id_token response without a nonce, and tokens in the query', async () => {
      const noNonce = await suite.as.authorize(
        authorizationUrl(suite.as, 'implicit-client', {
          response_type: 'id_token',
          nonce: undefined,
        }).url,
      );
      expect(new URLSearchParams(noNonce.hash.slice(1)).get('error_description')).toBe(
        'the nonce parameter is required with an id_token response',
      );
      const query = await suite.as.authorize(
        authorizationUrl(suite.as, 'implicit-client', {
          response_type: 'id_token',
          response_mode: 'query',
        }).url,
      );
      expect(query.searchParams.get('error_description')).toBe(
        'tokens must not be returned in the query',
      );
    });
  });

  describe('prompt and max_age', () => {
    it('passes prompt to the app, which answers login_required for prompt=none', async () => {
      suite.as.decide = (authorization) =>
        authorization.prompt.includes('none')
          ? { allow: false, error: 'login_required' }
          : approve(authorization);
      const callback = await suite.as.authorize(
        authorizationUrl(suite.as, 'public-client', { prompt: 'none' }).url,
      );
      expect(Object.fromEntries(callback.searchParams)).toEqual({
        error: 'login_required',
        error_description: 'the user must log in',
        state: 'state-123',
        iss: suite.as.issuer,
      });
      expect(suite.as.authorizations.at(-1)?.prompt).toEqual(['none']);
    });

    it('refuses prompt=none combined with another value', async () => {
      const callback = await suite.as.authorize(
        authorizationUrl(suite.as, 'public-client', { prompt: 'none login' }).url,
      );
      expect(callback.searchParams.get('error')).toBe('invalid_request');
    });

    it('answers login_required when the authentication is older than max_age', async () => {
      suite.as.decide = () => ({
        allow: true,
        user: { sub: USER.sub },
        authTime: Math.floor(Date.now() / 1000) - 600,
      });
      const callback = await suite.as.authorize(
        authorizationUrl(suite.as, 'public-client', { max_age: '60' }).url,
      );
      expect(callback.searchParams.get('error')).toBe('login_required');
    });

    it('puts auth_time in the ID token for max_age, checked by openid-client', async () => {
      const config = await discover('public-client');
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: 'openid',
        max_age: '300',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
      });
      const tokens = await oidc.authorizationCodeGrant(config, await suite.as.authorize(url), {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
        maxAge: 300,
      });
      expect(tokens.claims()?.auth_time).toEqual(expect.any(Number));
    });
  });

  describe('UserInfo errors (RFC 6750)', () => {
    const userinfo = (headers: Record<string, string> = {}) =>
      fetch(`${suite.as.issuer}/userinfo`, { headers });

    it('answers 401 with a bare challenge when no token is sent', async () => {
      const response = await userinfo();
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="${suite.as.issuer}"`);
    });

    it('answers invalid_token for an unknown or revoked token', async () => {
      const unknown = await userinfo({ authorization: 'Bearer not-a-token' });
      expect(unknown.status).toBe(401);
      expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
      const { code, verifier } = await obtainCode(suite.as, 'basic-client');
      const tokens = (await (
        await suite.as.post(
          '/token',
          {
            grant_type: 'authorization_code',
            code,
            code_verifier: verifier,
            redirect_uri: REDIRECT_URI,
          },
          basicAuth('basic-client', suite.clients.specs.basic.secret!),
        )
      ).json()) as { access_token: string };
      expect((await userinfo({ authorization: `Bearer ${tokens.access_token}` })).status).toBe(200);
      await suite.as.post(
        '/revoke',
        { token: tokens.access_token },
        basicAuth('basic-client', suite.clients.specs.basic.secret!),
      );
      expect((await userinfo({ authorization: `Bearer ${tokens.access_token}` })).status).toBe(401);
    });

    it('answers insufficient_scope (403) for a token without openid', async () => {
      const response = await suite.as.post(
        '/token',
        { grant_type: 'client_credentials', scope: 'api:read' },
        basicAuth('basic-client', suite.clients.specs.basic.secret!),
      );
      const { access_token } = (await response.json()) as { access_token: string };
      const answer = await userinfo({ authorization: `Bearer ${access_token}` });
      expect(answer.status).toBe(403);
      expect(answer.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    });
  });

  it('sends an untrusted authorization error to the errorUri page', async () => {
    const storage = new MemoryOAuth2ServerStorage(suite.clients.seed);
    const withPage = await start({ storage, options: { errorUri: '/oauth/errors' } });
    try {
      const callback = await withPage.authorize(
        authorizationUrl(withPage, 'public-client', { redirect_uri: 'https://evil.example/cb' })
          .url,
      );
      expect(callback.origin).toBe(withPage.issuer);
      expect(callback.pathname).toBe('/oauth/errors');
      expect(callback.searchParams.get('error')).toBe('invalid_request');
    } finally {
      await withPage.close();
    }
  });

  it('refuses a forged ID token (wrong key) in the client: our keys are what verifies', async () => {
    const { code, verifier } = await obtainCode(suite.as, 'public-client');
    const response = await suite.as.post('/token', {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      client_id: 'public-client',
    });
    const { id_token } = (await response.json()) as { id_token: string };
    const [header, payload] = id_token.split('.');
    const tampered = `${header}.${payload.slice(0, -2)}AA.${id_token.split('.')[2]}`;
    await expect(
      validateIdToken(tampered, {
        issuer: suite.as.issuer,
        clientId: 'public-client',
        keys: new JwksCache(`${suite.as.issuer}/jwks`),
      }),
    ).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
