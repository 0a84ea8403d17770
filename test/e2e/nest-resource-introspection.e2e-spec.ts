/**
 * Issue 14 through Nest: opaque access tokens validated by RFC 7662
 * introspection at a real authorization server (oidc-provider 9), on Express
 * and Fastify, configured through `OAuthModule.forRoot({ resource })`: a
 * valid token, revoked, another resource, missing scope; the cache counted
 * at the provider; a route guarded twice introspects once; the authorization
 * server down or slow is a 502 / 504 naming nothing secret.
 */
import { jest } from '@jest/globals';
import type { OAuth2Client } from '../../lib/core/oauth2/oauth2-client.js';
import type { OAuthResourceOptions } from '../../lib/index.js';
import { startOidcProvider, type OidcProviderFixture } from '../fixtures/oidc-provider.js';
import {
  issueResourceTokens,
  JWT_API,
  OPAQUE_API,
  OTHER_OPAQUE_API,
  providerClient,
  serviceTokenFor,
} from '../fixtures/protected-api.js';
import {
  callApi,
  insufficientScope,
  invalidToken,
  serverDown,
} from '../fixtures/nest-apps/bearer-calls.js';
import { ProtectedApiAppModule } from '../fixtures/nest-apps/protected-api.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';
import { startServer, type TestServer } from '../unit/core/oidc/support.js';

const INTROSPECTION = '/token/introspection';

let op: OidcProviderFixture;
let caller: OAuth2Client;
/** Accepts connections and never answers. */
let silent: TestServer;

beforeAll(async () => {
  op = await startOidcProvider({ configure: issueResourceTokens });
  caller = providerClient(op, 'post');
  silent = await startServer({ '/introspect': () => new Promise(() => undefined) });
});
afterAll(async () => {
  await silent?.close();
  await op?.close();
});

const serviceToken = (resource = OPAQUE_API, scope = 'api:read') =>
  serviceTokenFor(caller, resource, scope);
const introspections = (since: number) =>
  op.requests.slice(since).filter((r) => r.path === INTROSPECTION);

describe.each(PLATFORMS)('@RequireOAuth with introspection at oidc-provider, on %s', (platform) => {
  const apps: StartedApp[] = [];

  /** The app, configured through OAuthModule.forRoot({ resource }). */
  async function start(introspection: OAuthResourceOptions['introspection'] = {}, extra = {}) {
    const app = await startApp(
      ProtectedApiAppModule.with({
        via: 'oauth-module',
        resource: {
          issuer: op.issuer,
          audience: OPAQUE_API,
          jwt: false,
          timeout: 5000,
          introspection: {
            clientId: op.clients.basic.clientId,
            clientSecret: op.clients.basic.clientSecret,
            ...introspection,
          },
          ...extra,
        },
      }),
      platform,
    );
    apps.push(app);
    return app;
  }

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });
  afterEach(() => {
    jest.useRealTimers();
    expect(op.serverErrors).toEqual([]);
    for (const app of apps) {
      expect(app.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
      expect(app.logger.text()).not.toContain(op.clients.basic.clientSecret!);
    }
  });

  it('valid, missing scope, another resource, revoked: exact answers', async () => {
    const app = await start({ cache: false });
    const token = await serviceToken();
    expect(await callApi(app.url, token)).toEqual({
      status: 200,
      challenge: null,
      cacheControl: null,
      // oidc-provider names no subject for a client-credentials token.
      body: {
        clientId: op.clients.post.clientId,
        scope: ['api:read'],
        source: 'introspection',
      },
    });
    expect(await callApi(app.url, token, '/orders', { method: 'POST' })).toEqual(
      insufficientScope('api:read api:write'),
    );
    expect(await callApi(app.url, await serviceToken(OTHER_OPAQUE_API))).toEqual(
      invalidToken('The access token is meant for another resource'),
    );
    await caller.revokeToken(undefined, { token, tokenTypeHint: 'access_token' });
    expect(await callApi(app.url, token)).toEqual(invalidToken('The access token is not active'));
    expect(app.logger.text()).not.toContain(token);
  });

  it('a JWT of the same provider, with JWT validation off: the provider will not introspect it, 401', async () => {
    const app = await start({ cache: false });
    expect(await callApi(app.url, await serviceToken(JWT_API))).toEqual(
      invalidToken('The access token is not active'),
    );
  });

  it('the cache: 100 requests with one token, 1 introspection call at the provider', async () => {
    const app = await start();
    const token = await serviceToken();
    const mark = op.requests.length;
    const answers = await Promise.all(Array.from({ length: 50 }, () => callApi(app.url, token)));
    for (let i = 0; i < 50; i++) answers.push(await callApi(app.url, token));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    expect(introspections(mark)).toHaveLength(1);
  });

  it('a route guarded twice (its own guard, OAuthBearerGuard, @RequireOAuth) introspects once', async () => {
    const app = await start({ cache: false });
    const token = await serviceToken();
    const mark = op.requests.length;
    expect(await callApi(app.url, token, '/composed')).toMatchObject({ status: 200 });
    expect(introspections(mark)).toHaveLength(1);
  });

  it('our credentials refused (invalid_client): 502, logged without the secret or the token', async () => {
    const app = await start({ cache: false, clientSecret: 'wrong-secret-value' });
    const token = await serviceToken();
    expect(await callApi(app.url, token)).toEqual(serverDown(502));
    const warnings = app.logger.lines
      .filter((l) => l.level === 'warn' && l.context === 'OAuthResource')
      .map((l) => l.message);
    expect(warnings).toEqual([
      `bearer token not validated (502): OAuthError (invalid_client) from ${op.issuer}${INTROSPECTION}`,
    ]);
    expect(app.logger.text()).not.toContain('wrong-secret-value');
    expect(app.logger.text()).not.toContain(token);
  });

  it('the issuer unreachable: 502; the introspection endpoint silent: 504', async () => {
    const down = await start({}, { issuer: 'http://127.0.0.1:1' });
    expect(await callApi(down.url, 'an-opaque-token-value')).toEqual(serverDown(502));
    const slow = await start(
      { introspectionEndpoint: `${silent.url}/introspect` },
      { timeout: 300 },
    );
    expect(await callApi(slow.url, await serviceToken())).toEqual(serverDown(504));
  });
});
