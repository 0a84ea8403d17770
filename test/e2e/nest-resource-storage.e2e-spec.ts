/**
 * Issue 14: tokens of this app's own authorization server, validated through
 * its storage. Our `AuthorizationServer` (lib/server/oauth2, in-memory
 * storage, tokens hashed at rest) issues them on node:http; the Nest app
 * registers an `OAUTH_ACCESS_TOKEN_LOOKUP` provider made with
 * `authorizationServerTokenLookup(server)` (what `OAuth2ServerModule` will
 * provide) and configures nothing else: the storage validator turns on by
 * itself. Express and Fastify.
 */
import { jest } from '@jest/globals';
import { authorizationServerTokenLookup } from '../../lib/index.js';
import { USER } from '../fixtures/auth-server/clients.js';
import { STORAGES } from '../fixtures/auth-server/storages.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { moveDateOnly } from '../fixtures/clock.js';
import {
  callApi,
  insufficientScope,
  invalidRequest,
  invalidToken,
  noToken,
} from '../fixtures/nest-apps/bearer-calls.js';
import { ProtectedApiAppModule } from '../fixtures/nest-apps/protected-api.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const suite = useAuthServerSuite(STORAGES[0]);

/** A token from our server's token endpoint, for the client_secret_post client. */
async function tokenFor(form: Record<string, string>): Promise<string> {
  const { clientId, secret } = suite.clients.specs.post;
  const res = await suite.as.post('/token', {
    ...form,
    client_id: clientId,
    client_secret: secret!,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const serviceToken = (scope = 'api:read') => tokenFor({ grant_type: 'client_credentials', scope });
const userToken = () =>
  tokenFor({
    grant_type: 'password',
    username: USER.username,
    password: USER.password,
    scope: 'api:read api:write',
  });

describe.each(PLATFORMS)('@RequireOAuth with our own server’s storage, on %s', (platform) => {
  let app: StartedApp;

  beforeAll(async () => {
    app = await startApp(
      ProtectedApiAppModule.with({ lookup: authorizationServerTokenLookup(suite.as.server) }),
      platform,
    );
  });
  afterAll(async () => {
    await app?.close();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('a user’s token (password grant): 200, the user as the principal, read and write', async () => {
    const token = await userToken();
    const expected = {
      sub: USER.sub,
      clientId: suite.clients.specs.post.clientId,
      scope: ['api:read', 'api:write'],
      source: 'storage',
    };
    expect(await callApi(app.url, token)).toEqual({
      status: 200,
      challenge: null,
      cacheControl: null,
      body: expected,
    });
    expect(await callApi(app.url, token, '/orders', { method: 'POST' })).toMatchObject({
      status: 201,
      body: expected,
    });
  });

  it('a client-credentials token without api:write: GET 200, POST 403', async () => {
    const token = await serviceToken();
    expect(await callApi(app.url, token)).toMatchObject({
      status: 200,
      body: { clientId: suite.clients.specs.post.clientId, scope: ['api:read'] },
    });
    expect(await callApi(app.url, token, '/orders', { method: 'POST' })).toEqual(
      insufficientScope('api:read api:write'),
    );
  });

  it('no token, an unknown token, a revoked token, an expired token: refused', async () => {
    expect(await callApi(app.url, undefined)).toEqual(noToken());
    expect(await callApi(app.url, 'never-issued-by-this-server')).toEqual(
      invalidToken('The access token is not valid'),
    );
    const revoked = await serviceToken();
    expect((await callApi(app.url, revoked)).status).toBe(200);
    const { clientId, secret } = suite.clients.specs.post;
    const res = await suite.as.post('/revoke', {
      token: revoked,
      client_id: clientId,
      client_secret: secret!,
    });
    expect(res.status).toBe(200);
    expect(await callApi(app.url, revoked)).toEqual(invalidToken('The access token is not valid'));
    const expiring = await serviceToken();
    // The server's lookup keeps its own clock; the storage validator checks expiresAt again.
    moveDateOnly(2 * 3600_000);
    expect(await callApi(app.url, expiring)).toEqual(invalidToken('The access token expired'));
  });

  it('a JWT-looking token goes to the storage too (no JWT validator is configured)', async () => {
    const jwtShaped = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
    expect(await callApi(app.url, jwtShaped)).toEqual(
      invalidToken('The access token is not valid'),
    );
  });

  describe('allowFormBody: the access_token form field of RFC 6750 §2.2, as an opt-in', () => {
    let form: StartedApp;
    beforeAll(async () => {
      form = await startApp(
        ProtectedApiAppModule.with({
          resource: { allowFormBody: true },
          lookup: authorizationServerTokenLookup(suite.as.server),
        }),
        platform,
      );
    });
    afterAll(async () => {
      await form?.close();
    });

    const post = (body: string, headers: Record<string, string> = {}) =>
      callApi(form.url, undefined, '/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });

    it('a token in the form body is read; in the header too: invalid_request; in the query: never', async () => {
      const token = await userToken();
      expect(await post(`access_token=${token}`)).toMatchObject({ status: 201 });
      expect(await post(`access_token=${token}`, { authorization: `Bearer ${token}` })).toEqual(
        invalidRequest('The access token was sent by more than one method'),
      );
      expect(await post(`access_token=${token}&access_token=${token}`)).toEqual(
        invalidRequest('The access_token parameter was sent more than once'),
      );
      expect(await callApi(form.url, undefined, `/orders?access_token=${token}`)).toEqual(
        noToken(),
      );
      // Without the opt-in, the body is not read.
      expect(
        await callApi(app.url, undefined, '/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `access_token=${token}`,
        }),
      ).toEqual(noToken());
    });
  });
});
