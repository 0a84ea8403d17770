/**
 * Issue 14: `@RequireOAuth()` in an app with enhancers of its own — a global
 * catch-all exception filter (`@Catch()`, Nest's documented
 * `AllExceptionsFilter`, which answers every exception with a body of its
 * own and the exception's status) and three global interceptors — on
 * Express and Fastify. The status, `WWW-Authenticate` and `Cache-Control` of
 * every RFC 6750 refusal survive the app's filter (the body is the app's
 * wrapping of ours), hostile input still gets a 4xx, the interceptors never
 * run for a refused request, and a valid token reaches the handler through them.
 */
import { JWT_API, serviceTokenFor, useResourceProvider } from '../fixtures/protected-api.js';
import {
  authorizationHeaders,
  fuzzAuthorization,
  issueFuzzTokens,
} from '../fixtures/bearer-fuzz.js';
import {
  callApi,
  insufficientScope,
  invalidRequest,
  invalidToken,
  noToken,
  serverDown,
  type BearerAnswer,
} from '../fixtures/nest-apps/bearer-calls.js';
import { EnhancerLog } from '../fixtures/nest-apps/own-enhancers.app.js';
import { ProtectedApiAppModule } from '../fixtures/nest-apps/protected-api.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const provider = useResourceProvider();

/** Our answer as the app's catch-all filter renders it: same status and headers, its own envelope. */
const throughFilter = (answer: BearerAnswer, path = '/orders'): BearerAnswer => ({
  ...answer,
  body: { statusCode: answer.status, path, error: answer.body },
});

describe.each(PLATFORMS)(
  '@RequireOAuth beside a catch-all filter and interceptors, on %s',
  (platform) => {
    let app: StartedApp;
    let down: StartedApp;
    const log = new EnhancerLog();

    beforeAll(async () => {
      const resource = { issuer: provider.op.issuer, audience: JWT_API, timeout: 5000 };
      app = await startApp(ProtectedApiAppModule.with({ resource, enhancers: log }), platform);
      down = await startApp(
        ProtectedApiAppModule.with({
          resource: { issuer: 'http://127.0.0.1:1', audience: JWT_API, timeout: 5000 },
          enhancers: new EnhancerLog(),
        }),
        platform,
      );
    });
    afterAll(async () => {
      await Promise.all([app?.close(), down?.close()]);
    });

    it('a valid token: the handler runs through the interceptors (envelope), 200', async () => {
      const before = log.intercepted;
      const token = await serviceTokenFor(provider.client, JWT_API, 'api:read');
      expect(await callApi(app.url, token)).toEqual({
        status: 200,
        challenge: null,
        cacheControl: null,
        body: {
          data: {
            sub: provider.op.clients.basic.clientId,
            clientId: provider.op.clients.basic.clientId,
            scope: ['api:read'],
            source: 'jwt',
          },
        },
      });
      expect(log.intercepted).toBe(before + 1);
    });

    it('every refusal keeps its status and headers through the app’s filter; no interceptor runs', async () => {
      const before = log.intercepted;
      const readOnly = await serviceTokenFor(provider.client, JWT_API, 'api:read');
      expect(await callApi(app.url, undefined)).toEqual(throughFilter(noToken()));
      expect(await callApi(app.url, 'not-a-token-of-anyone')).toEqual(
        throughFilter(invalidToken('The access token is not valid')),
      );
      expect(await callApi(app.url, readOnly, '/orders', { method: 'POST' })).toEqual(
        throughFilter(insufficientScope('api:read api:write')),
      );
      expect(
        await callApi(app.url, undefined, '/orders', { headers: { authorization: 'Bearer ${x}' } }),
      ).toEqual(throughFilter(invalidRequest('Malformed bearer token')));
      expect(await callApi(down.url, readOnly)).toEqual(throughFilter(serverDown(502)));
      expect(log.intercepted).toBe(before);
      expect(log.filtered.get('OAuthBearerException')).toBeGreaterThanOrEqual(4);
    });

    it('200 random Authorization headers: 4xx only through the app’s filter', async () => {
      const next = authorizationHeaders(16, await issueFuzzTokens(provider.op));
      const statuses = await fuzzAuthorization(`${app.url}/orders`, 200, next);
      expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
      // The app's filter logs every 5xx at error level: none.
      expect(app.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    }, 60_000);
  },
);
