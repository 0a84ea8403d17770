/**
 * Issue 14 through Nest: JWT access tokens (RFC 9068) issued by a real
 * authorization server (oidc-provider 9 with resource indicators), presented
 * to routes protected by `@RequireOAuth()` on Express and Fastify. A valid
 * user token and a client-credentials token, then every way a token must be
 * refused, each with its exact status, `WWW-Authenticate` and body.
 */
import { jest } from '@jest/globals';
import type { OAuth2Client } from '../../lib/core/oauth2/oauth2-client.js';
import { moveDateOnly } from '../fixtures/clock.js';
import { startOidcProvider, type OidcProviderFixture } from '../fixtures/oidc-provider.js';
import {
  issueResourceTokens,
  JWT_API,
  OTHER_JWT_API,
  providerClient,
  serviceTokenFor,
  userTokenFor,
} from '../fixtures/protected-api.js';
import {
  callApi,
  insufficientScope,
  invalidRequest,
  invalidToken,
  noToken,
  rawRequest,
} from '../fixtures/nest-apps/bearer-calls.js';
import { CallLog, ProtectedApiAppModule } from '../fixtures/nest-apps/protected-api.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';
import { algNone, forgeSignature, hmacWithPublicKey } from '../fixtures/jwt-attacks.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';
const REALM = 'orders';

let op: OidcProviderFixture;
let otherOp: OidcProviderFixture;
let client: OAuth2Client;
/** A user's token for JWT_API (`api:read`), with its ID token. */
let user: { accessToken: string; idToken: string };

const clientOf = (provider: OidcProviderFixture) => providerClient(provider, 'basic', REDIRECT_URI);

beforeAll(async () => {
  [op, otherOp] = await Promise.all([
    startOidcProvider({ redirectUris: [REDIRECT_URI], configure: issueResourceTokens }),
    startOidcProvider({ configure: issueResourceTokens }),
  ]);
  client = clientOf(op);
  const token = await userTokenFor(client, JWT_API);
  user = { accessToken: token.access_token, idToken: token.id_token! };
});
afterAll(async () => {
  await Promise.all([op?.close(), otherOp?.close()]);
});

/** A client-credentials access token for `resource`. */
const serviceToken = (resource = JWT_API, scope = 'api:read', from: OAuth2Client = client) =>
  serviceTokenFor(from, resource, scope);

describe.each(PLATFORMS)(
  '@RequireOAuth with JWT access tokens from oidc-provider, on %s',
  (platform) => {
    let app: StartedApp;
    const log = new CallLog();

    beforeAll(async () => {
      app = await startApp(
        ProtectedApiAppModule.with({
          resource: {
            realm: REALM,
            serverMetadataUrl: op.discoveryUrl,
            audience: JWT_API,
            timeout: 5000,
          },
          log,
        }),
        platform,
      );
    });
    afterAll(async () => {
      await app?.close();
    });
    afterEach(() => {
      jest.useRealTimers();
      expect(op.serverErrors).toEqual([]);
      // Refusals are not errors: nothing at error level, and no token anywhere in the log.
      expect(app.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
      expect(app.logger.text()).not.toContain(user.accessToken);
    });

    const call = (token: string | undefined, path = '/orders', init: RequestInit = {}) =>
      callApi(app.url, token, path, init);
    const refused = (description: string) => invalidToken(description, REALM);

    it('a user’s token: 200 with alice as the principal', async () => {
      const before = log.handlers;
      expect(await call(user.accessToken)).toEqual({
        status: 200,
        challenge: null,
        cacheControl: null,
        body: {
          sub: 'alice',
          clientId: op.clients.basic.clientId,
          scope: ['api:read'],
          source: 'jwt',
        },
      });
      expect(log.handlers).toBe(before + 1);
    });

    it('a client-credentials token with both scopes: POST (controller + route scopes) answers 200', async () => {
      const res = await call(await serviceToken(JWT_API, 'api:read api:write'), '/orders', {
        method: 'POST',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        sub: op.clients.basic.clientId,
        clientId: op.clients.basic.clientId,
        scope: ['api:read', 'api:write'],
        source: 'jwt',
      });
    });

    it('no token: 401 with a challenge and no error code; the handler never runs', async () => {
      const before = log.handlers;
      expect(await call(undefined)).toEqual(noToken(REALM));
      expect(await call(undefined, '/me')).toEqual(noToken(REALM));
      expect(log.handlers).toBe(before);
    });

    it('missing scope: 403 insufficient_scope naming every scope the route needs', async () => {
      expect(await call(user.accessToken, '/orders', { method: 'POST' })).toEqual(
        insufficientScope('api:read api:write', REALM),
      );
      // The route's scope alone is not enough either: the controller's adds up.
      const writeOnly = await serviceToken(JWT_API, 'api:write');
      expect(await call(writeOnly, '/orders', { method: 'POST' })).toEqual(
        insufficientScope('api:read api:write', REALM),
      );
    });

    it('expired (10 minutes later, the provider’s client-credentials TTL, plus the skew)', async () => {
      const token = await serviceToken();
      expect((await call(token)).status).toBe(200);
      moveDateOnly(601_000 + 60_000);
      expect(await call(token)).toEqual(refused('The access token expired'));
    });

    it('not yet valid (our clock 5 minutes behind the issuer’s)', async () => {
      const token = await serviceToken();
      moveDateOnly(-5 * 60_000);
      expect(await call(token)).toEqual(refused('The access token is issued in the future'));
    });

    it('wrong audience: a token the same provider issued for another API', async () => {
      expect(await call(await serviceToken(OTHER_JWT_API))).toEqual(
        refused('The access token is meant for another resource'),
      );
    });

    it('wrong issuer: a token for this very API from another provider', async () => {
      const foreign = await serviceToken(JWT_API, 'api:read', clientOf(otherOp));
      expect(await call(foreign)).toEqual(refused('The access token is not valid'));
    });

    it('an ID token used as an access token', async () => {
      expect(await call(user.idToken)).toEqual(refused('The token is not an access token'));
    });

    it('forged signature: the claims re-signed with another key under the provider’s kid', async () => {
      const forged = await forgeSignature(await serviceToken());
      expect(await call(forged)).toEqual(refused('The access token signature is not valid'));
    });

    it('alg none', async () => {
      expect(await call(algNone(await serviceToken()))).toEqual(
        refused('The access token signature is not valid'),
      );
    });

    it('HS256 signed with the provider’s public key (as JWK JSON, PEM and modulus)', async () => {
      for (const token of await hmacWithPublicKey(op, await serviceToken())) {
        expect(await call(token)).toEqual(refused('The access token signature is not valid'));
      }
    });

    it('two Authorization headers: 400 invalid_request, read from the raw headers', async () => {
      const token = await serviceToken();
      const raw = await rawRequest(
        app.url,
        `GET /orders HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer ${token}\r\n` +
          `Authorization: Bearer ${token}\r\n`,
      );
      const expected = invalidRequest('More than one Authorization header was sent', REALM);
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(raw.toLowerCase()).toContain(`www-authenticate: ${expected.challenge!.toLowerCase()}`);
      expect(raw).toContain(JSON.stringify(expected.body));
      expect(raw).not.toContain(token);
    });

    it('a malformed Authorization header: 400 invalid_request', async () => {
      const res = await callApi(app.url, undefined, '/orders', {
        headers: { authorization: 'Bearer a b' },
      });
      expect(res).toEqual(invalidRequest('Malformed bearer token', REALM));
    });

    it('verifyRequest() in a handler: the same answers, headers through the response it is given', async () => {
      expect(await call(user.accessToken, '/report')).toMatchObject({
        status: 200,
        body: { sub: 'alice', scope: ['api:read'] },
      });
      expect(await call(undefined, '/report')).toEqual(noToken(REALM));
      expect(await call(await serviceToken(OTHER_JWT_API), '/report')).toEqual(
        refused('The access token is meant for another resource'),
      );
    });

    it('a guard of the app’s own beside OAuthBearerGuard: both run, @OAuthPrincipal(key) works', async () => {
      const before = log.ownGuard;
      expect(await call(user.accessToken, '/composed')).toMatchObject({
        status: 200,
        body: { sub: 'alice' },
      });
      expect(await call(undefined, '/composed')).toEqual(noToken(REALM));
      expect(log.ownGuard).toBe(before + 2);
    });

    it('an unprotected route stays open', async () => {
      expect((await call(undefined, '/open')).body).toEqual({ open: true });
    });
  },
);
