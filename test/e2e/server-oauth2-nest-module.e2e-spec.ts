/**
 * What the Nest layer adds around the core, on Express and Fastify: the
 * module's answers go out as the core decided in an app with a catch-all
 * filter and an envelope interceptor of its own; the token handler's extra
 * fields; Express's `qs` structures never read as parameters (with Nest's
 * parsed body, and with `rawBody`); the documents the module serves, turned
 * off or moved; a global prefix; the seed's hooks; `prompt` reaching the
 * handler; a decision of `true` for the signed-in user.
 */
import { basicAuth, authorizationUrl, obtainCode } from '../fixtures/auth-server/raw-flow.js';
import { REDIRECT_URI, USER } from '../fixtures/auth-server/clients.js';
import {
  startNestAuthServer,
  type NestAuthServerFixture,
  type StartNestAuthServerOptions,
} from '../fixtures/auth-server/nest-server.js';
import { approve } from '../fixtures/auth-server/server.js';
import { STORAGES } from '../fixtures/auth-server/storages.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { expectError, tokenRequests } from '../fixtures/auth-server/token-requests.js';
import { PLATFORMS } from '../fixtures/nest-apps/start-app.js';

const [MEMORY] = STORAGES;

describe.each(PLATFORMS)('OAuth2ServerModule on %s', (platform) => {
  /** A suite whose server is the Nest module, with these fixture options. */
  const nestSuite = (extra: Omit<StartNestAuthServerOptions, 'storage'> = {}) =>
    useAuthServerSuite(
      MEMORY,
      () => ({}),
      (options) => startNestAuthServer(platform, { ...options, ...extra }),
    );

  describe('in an app with its own catch-all filter and envelope interceptor', () => {
    const suite = nestSuite({ appEnhancers: true });
    const { token, redeem } = tokenRequests(suite);
    const as = () => suite.as as NestAuthServerFixture;
    afterEach(() => {
      suite.as.decide = approve;
    });

    it('sends the authorization redirects as the core decided; the app filter never sees them', async () => {
      const refused = await fetch(
        authorizationUrl(suite.as, 'public-client', { code_challenge: undefined }).url,
        { redirect: 'manual' },
      );
      expect(refused.status).toBe(303);
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect(new URL(refused.headers.get('location')!).searchParams.get('error')).toBe(
        'invalid_request',
      );
      const { code, verifier } = await obtainCode(suite.as, 'basic-client');
      expect((await redeem('basic', code, verifier)).status).toBe(200);
      const untrusted = await fetch(
        authorizationUrl(suite.as, 'basic-client', { redirect_uri: 'https://evil.example/cb' }).url,
        { redirect: 'manual' },
      );
      expect(untrusted.status).toBe(400);
      expect(await untrusted.json()).toEqual({
        error: 'invalid_request',
        error_description: 'the redirect_uri is not registered for the client',
      });
      expect(as().enhancers.filtered).toEqual([]);
    });

    it('sends token responses and errors as they are: no envelope, no-store, WWW-Authenticate', async () => {
      const before = as().enhancers.intercepted;
      const ok = await token(
        { grant_type: 'client_credentials', scope: 'api:read' },
        basicAuth('basic-client', suite.clients.specs.basic.secret!),
      );
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ token_type: 'Bearer', scope: 'api:read' });
      expect(ok.headers.get('cache-control')).toBe('no-store');
      const wrong = await token(
        { grant_type: 'client_credentials' },
        basicAuth('basic-client', 'wrong'),
      );
      expectError(wrong, 401, 'invalid_client', 'client authentication failed');
      expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="oauth2"');
      // The app's interceptors ran around the endpoint, and changed nothing.
      expect(as().enhancers.intercepted).toBe(before + 2);
      const metadata = (await (
        await fetch(`${suite.as.issuer}/.well-known/oauth-authorization-server`)
      ).json()) as Record<string, unknown>;
      expect(metadata.issuer).toBe(suite.as.issuer);
      expect(as().enhancers.filtered).toEqual([]);
    });

    it('adds the token handler’s extra fields, never over a standard one', async () => {
      as().tokenFields = () => ({ tenant: 'acme', access_token: 'mine', token_type: 'mac' });
      try {
        const ok = await token(
          { grant_type: 'client_credentials' },
          basicAuth('basic-client', suite.clients.specs.basic.secret!),
        );
        expect(ok.body).toMatchObject({ tenant: 'acme', token_type: 'Bearer' });
        expect(ok.body.access_token).not.toBe('mine');
      } finally {
        as().tokenFields = undefined;
      }
    });

    it('lets prompt=login and prompt=consent reach the handler', async () => {
      await obtainCode(suite.as, 'basic-client', { prompt: 'login consent' });
      expect(suite.as.authorizations.at(-1)?.prompt).toEqual(['login', 'consent']);
    });

    it('serves UserInfo on GET and POST (form body), and HEAD of the metadata', async () => {
      const { code, verifier } = await obtainCode(suite.as, 'basic-client', {
        scope: 'openid email',
      });
      const { access_token } = (await redeem('basic', code, verifier)).body as {
        access_token: string;
      };
      const get = await fetch(`${suite.as.issuer}/userinfo`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      const post = await suite.as.post('/userinfo', { access_token });
      for (const response of [get, post]) {
        expect(await response.json()).toEqual({
          sub: USER.sub,
          email: USER.claims.email,
          email_verified: true,
        });
      }
      const head = await fetch(`${suite.as.issuer}/.well-known/openid-configuration`, {
        method: 'HEAD',
      });
      expect(head.status).toBe(200);
      expect(head.headers.get('cache-control')).toBe('public, max-age=300');
    });
  });

  describe.each([
    ['Nest’s parsed body', {}],
    ['rawBody', { app: { rawBody: true } }],
  ] as const)('form bodies (%s)', (_name, extra) => {
    const suite = nestSuite(extra);
    const { token } = tokenRequests(suite);
    const auth = () => basicAuth('basic-client', suite.clients.specs.basic.secret!);

    it('never reads a bracketed name as the parameter (client_secret[], grant_type[])', async () => {
      const post = suite.clients.specs.post;
      const bracketed = await suite.as.post(
        '/token',
        `grant_type=client_credentials&client_id=${post.clientId}&client_secret[]=${encodeURIComponent(post.secret!)}`,
      );
      expect(bracketed.status).toBe(401);
      expect(await bracketed.json()).toMatchObject({ error: 'invalid_client' });
      const nested = await suite.as.post(
        '/token',
        'grant_type[]=client_credentials&scope[a]=b',
        auth(),
      );
      expect(await nested.json()).toEqual({
        error: 'invalid_request',
        error_description: 'the "grant_type" parameter is missing',
      });
      const plain = await token({ grant_type: 'client_credentials' }, auth());
      expect(plain.status).toBe(200);
    });

    it('refuses a repeated parameter', async () => {
      const repeated = await suite.as.post(
        '/token',
        'grant_type=client_credentials&scope=api:read&scope=api:write',
        auth(),
      );
      expect(await repeated.json()).toEqual({
        error: 'invalid_request',
        error_description: 'the "scope" parameter is repeated',
      });
    });
  });

  describe('the documents the module serves, turned off or moved', () => {
    const suite = nestSuite({
      module: { routes: { userinfo: false }, endpoints: { jwks: '/keys', revocation: '/revoke' } },
    });

    it('advertises what it serves, and nothing it does not', async () => {
      const metadata = (await (
        await fetch(`${suite.as.issuer}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      expect(metadata.jwks_uri).toBe(`${suite.as.issuer}/keys`);
      expect(metadata.userinfo_endpoint).toBe(`${suite.as.issuer}/userinfo`);
      expect((await fetch(`${suite.as.issuer}/keys`)).status).toBe(200);
      expect((await fetch(`${suite.as.issuer}/jwks`)).status).toBe(404);
      // routes.userinfo: false: advertised, served by the app (here: not at all).
      expect((await fetch(`${suite.as.issuer}/userinfo`)).status).toBe(404);
    });
  });

  describe('an endpoint turned off', () => {
    const suite = nestSuite({ module: { endpoints: { userinfo: false } } });

    it('is neither advertised nor served', async () => {
      const metadata = (await (
        await fetch(`${suite.as.issuer}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      expect(metadata.userinfo_endpoint).toBeUndefined();
      expect((await fetch(`${suite.as.issuer}/userinfo`)).status).toBe(404);
    });
  });

  describe('the seed’s hooks', () => {
    const seen: string[] = [];
    const suite = useAuthServerSuite(
      MEMORY,
      () => ({
        beforeRequest: ({ endpoint, request }) => {
          seen.push(`before ${endpoint}`);
          if (request.headers['x-flood'] === '1') {
            return { status: 429, headers: { 'Retry-After': '1' }, body: '' };
          }
        },
        afterRequest: (response, { endpoint }) => {
          seen.push(`after ${endpoint} ${response.status}`);
          return { ...response, headers: { ...response.headers, 'X-Served-By': 'oauth2' } };
        },
        invalidResponse: (error, _response, { endpoint }) => {
          seen.push(`invalid ${endpoint} ${error.error}`);
        },
      }),
      (options) => startNestAuthServer(platform, options),
    );

    it('runs beforeRequest, invalidResponse and afterRequest around the endpoints', async () => {
      seen.length = 0;
      const flood = await suite.as.post('/token', {}, { 'x-flood': '1' });
      expect(flood.status).toBe(429);
      expect(flood.headers.get('retry-after')).toBe('1');
      const refused = await suite.as.post('/token', { grant_type: 'password' });
      expect(refused.headers.get('x-served-by')).toBe('oauth2');
      const callback = await suite.as.authorize(authorizationUrl(suite.as, 'basic-client').url);
      expect(callback.searchParams.get('code')).toBeTruthy();
      expect(seen).toEqual([
        'before token',
        'before token',
        'invalid token invalid_client',
        'after token 401',
        'before authorization',
        'after authorization 303',
      ]);
    });
  });

  describe('a decision of true', () => {
    const suite = nestSuite({ module: { resourceOwner: () => ({ sub: USER.sub }) } });

    it('approves for the signed-in user (resourceOwner)', async () => {
      suite.as.decide = () => true;
      try {
        const { code, verifier } = await obtainCode(suite.as, 'public-client');
        const { token } = tokenRequests(suite);
        const tokens = await token({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT_URI,
          client_id: 'public-client',
        });
        expect(tokens.status).toBe(200);
        const introspected = await suite.as.post(
          '/introspect',
          { token: tokens.body.access_token as string },
          basicAuth('basic-client', suite.clients.specs.basic.secret!),
        );
        expect(await introspected.json()).toMatchObject({ active: true, sub: USER.sub });
      } finally {
        suite.as.decide = approve;
      }
    });
  });

  it('fails loudly (500, logged) when a handler allows with nobody signed in', async () => {
    const clients = await (await import('../fixtures/auth-server/clients.js')).testClients();
    const handle = await MEMORY.create(clients.seed);
    const as = await startNestAuthServer(platform, { storage: handle.storage });
    as.decide = () => true;
    try {
      const response = await fetch(authorizationUrl(as, 'public-client').url, {
        redirect: 'manual',
      });
      expect(response.status).toBe(500);
      expect(as.started.logger.text()).toContain(
        'the handler allowed, but names no user and none is signed in',
      );
    } finally {
      await as.close();
    }
  });

  it('serves the metadata at the issuer’s origin, outside a global prefix', async () => {
    const clients = await (await import('../fixtures/auth-server/clients.js')).testClients();
    const handle = await MEMORY.create(clients.seed);
    const as = await startNestAuthServer(platform, {
      storage: handle.storage,
      module: {
        endpoints: {
          authorization: '/api/authorize',
          token: '/api/token',
          revocation: '/api/revoke',
          introspection: '/api/introspect',
        },
      },
      app: { beforeListen: (app) => app.setGlobalPrefix('api') },
    });
    try {
      const metadata = (await (
        await fetch(`${as.issuer}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      expect(metadata.token_endpoint).toBe(`${as.issuer}/api/token`);
      const response = await as.post(
        '/api/token',
        { grant_type: 'client_credentials' },
        basicAuth('basic-client', clients.specs.basic.secret!),
      );
      expect(response.status).toBe(200);
    } finally {
      await as.close();
    }
  });
});
