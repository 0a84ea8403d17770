/**
 * Issue 19: the module holds in an app with enhancers of its own — a
 * catch-all exception filter and three global interceptors — on Express and
 * Fastify: logins redirect (through the app's filter) and complete, the
 * callback handler calls the API with the token it just got, the app's own
 * guard calls an injected client before the handler, and nothing is logged as
 * an error.
 */
import { BrowserClient } from '../fixtures/browser-client.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';
import {
  opClientOptions,
  registerOpClient,
  SessionStore,
} from '../fixtures/nest-apps/login.app.js';
import { EnhancerLog, OwnEnhancersAppModule } from '../fixtures/nest-apps/own-enhancers.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const SECRET = 'own-enhancers-state-secret-0123456789abcdefXYZ';
const CLIENT_SECRET = 'own-enhancers-client-secret-0123456789abcdef';

describe.each(PLATFORMS)(
  'an app with its own catch-all filter and interceptors, on %s',
  (platform) => {
    let op: OidcProviderFixture;
    let started: StartedApp;
    const log = new EnhancerLog();
    const sessions = new SessionStore();

    beforeAll(async () => {
      op = await startOidcProvider();
      const clientId = `own-${platform}`;
      started = await startApp(
        OwnEnhancersAppModule.with(
          { secret: SECRET, clients: { op: opClientOptions(op, clientId, CLIENT_SECRET) } },
          { sessions, log },
        ),
        platform,
      );
      await registerOpClient(op, started.url, clientId, CLIENT_SECRET);
    });

    afterAll(async () => {
      await started?.close();
      await op?.close();
    });

    it('redirects the login through the app filter: 302, Location, state cookie; the handler never runs', async () => {
      const before = log.intercepted;
      const hop = await new BrowserClient().request(`${started.url}/auth/login/op`);
      expect(hop.status).toBe(302);
      expect(new URL(hop.location!).origin).toBe(op.issuer);
      expect(hop.headers.get('cache-control')).toBe('no-store');
      expect(hop.headers.getSetCookie()[0]).toMatch(
        /^oauth_op_[\w-]{22}=.+; HttpOnly; SameSite=Lax$/,
      );
      expect(hop.body).not.toContain('must never run');
      // The app's filter answered it (with the exception's status); no interceptor ran.
      expect(log.filtered.get('OAuthRedirectException')).toBeGreaterThanOrEqual(1);
      expect(log.intercepted).toBe(before);
    });

    it('completes a login; the callback handler calls the API with the token just obtained', async () => {
      const browser = new BrowserClient();
      const start = await browser.request(`${started.url}/auth/login/op`);
      const { callback } = await browser.loginAtProvider(start.location!, {
        requestCallback: true,
      });
      expect(callback!.last.status).toBe(200);
      const { data } = JSON.parse(callback!.last.body);
      expect(data.user).toMatchObject({ sub: TEST_USER.sub, email: TEST_USER.email });
      // userinfo() in the handler: no session had the token yet, the request did.
      expect(data.fromApi).toMatchObject({ sub: TEST_USER.sub, email: TEST_USER.email });

      // The app's own guard calls the injected client before the handler runs.
      const guardedBefore = log.guarded;
      const members = await browser.request(`${started.url}/members`);
      expect(members.status).toBe(200);
      expect(JSON.parse(members.body)).toEqual({
        data: { sub: TEST_USER.sub, email: TEST_USER.email },
      });
      expect(log.guarded).toBe(guardedBefore + 1);
    });

    it('answers a forged callback with 400 through the app filter, and a guest at the own guard with 401', async () => {
      const forged = await new BrowserClient().request(
        `${started.url}/auth/callback/op?code=x&state=forged`,
      );
      expect(forged.status).toBe(400);
      expect(JSON.parse(forged.body)).toEqual({
        statusCode: 400,
        path: '/auth/callback/op?code=x&state=forged',
        error: {
          statusCode: 400,
          error: 'mismatching_state',
          message: 'The state does not match a login started in this browser',
        },
      });
      // No session: the own guard's API call finds no token; the controller's OAuthExceptionFilter
      // (closer than the app's catch-all) makes it a 401.
      const guest = await new BrowserClient().request(`${started.url}/members`);
      expect(guest.status).toBe(401);
      expect(JSON.parse(guest.body)).toEqual({
        statusCode: 401,
        error: 'missing_token',
        message: 'No access token is available',
      });
    });

    it('logged nothing as an error', () => {
      expect(started.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    });
  },
);
