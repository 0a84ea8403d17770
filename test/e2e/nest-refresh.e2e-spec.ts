/**
 * Token refresh through an injected client: `updateToken` gets the request
 * being served, `oauth.token.updated` is published exactly once (also for
 * concurrent calls), and everything works without EventEmitterModule.
 * Real refreshes at oidc-provider (refresh tokens rotate), Express and Fastify.
 */
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  OAUTH_TOKEN_UPDATED_EVENT,
  type OAuth2Token,
  type OAuthTokenUpdatedEvent,
} from '../../lib/index.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';
import {
  LoginAppModule,
  SessionStore,
  registerOpClient,
  opClientOptions,
} from '../fixtures/nest-apps/login.app.js';
import { PLATFORMS, startApp } from '../fixtures/nest-apps/start-app.js';

const SECRET = 'refresh-e2e-secret-aab3238922bcc25a6f606eb525ffdc56';
const CLIENT_SECRET = 'refresh-client-secret-0cc175b9c0f1b6a831c399e269772661';

describe.each(PLATFORMS)('token refresh on %s', (platform) => {
  let op: OidcProviderFixture;

  beforeAll(async () => {
    op = await startOidcProvider();
  });
  afterAll(() => op?.close());

  async function startLoggedIn(events: boolean, clientId: string) {
    const sessions = new SessionStore();
    const started = await startApp(
      LoginAppModule.with({
        sessions,
        events,
        oauth: {
          secret: SECRET,
          clients: {
            op: opClientOptions(op, clientId, CLIENT_SECRET),
          },
        },
      }),
      platform,
    );
    await registerOpClient(op, started.url, clientId, CLIENT_SECRET);
    const browser = new BrowserClient();
    const nav = await browser.navigate(`${started.url}/auth/login/op`, {
      stopAt: (u) => u.origin === op.issuer,
    });
    const result = await browser.loginAtProvider(nav.stoppedAt!, { requestCallback: true });
    expect(result.callback!.last.status).toBe(200);
    const [entry] = [...sessions.tokens.values()];
    return { started, sessions, browser, entry };
  }

  const refreshGrants = () =>
    op.requests.filter((r) => r.path === '/token' && r.body?.grant_type === 'refresh_token').length;

  const expire = (token: OAuth2Token) => {
    token.expires_at = Math.floor(Date.now() / 1000) - 30;
  };

  it('refreshes an expired token once, calls updateToken with the request, publishes once', async () => {
    const { started, sessions, browser, entry } = await startLoggedIn(true, `refresh-${platform}`);
    try {
      const published: OAuthTokenUpdatedEvent[] = [];
      started.app
        .get(EventEmitter2)
        .on(OAUTH_TOKEN_UPDATED_EVENT, (e: OAuthTokenUpdatedEvent) => published.push(e));
      const old = { ...(entry.token as OAuth2Token) };
      expire(entry.token as OAuth2Token);
      const grantsBefore = refreshGrants();

      const hop = await browser.request(`${started.url}/injected/me`);
      expect(hop.status).toBe(200);
      expect(JSON.parse(hop.body)).toMatchObject({ sub: TEST_USER.sub, email: TEST_USER.email });
      expect(refreshGrants()).toBe(grantsBefore + 1);

      const handlerRequest = sessions.handlerRequests.at(-1);
      expect(sessions.fetchTokenCalls.at(-1)!.request).toBe(handlerRequest);
      expect(sessions.updateTokenCalls).toHaveLength(1);
      const update = sessions.updateTokenCalls[0];
      expect(update.name).toBe('op');
      expect(update.request).toBe(handlerRequest);
      expect(update.context).toEqual({
        refreshToken: old.refresh_token,
        accessToken: old.access_token,
      });
      expect(update.token.access_token).not.toBe(old.access_token);
      expect(update.token.refresh_token).toBeTruthy();
      expect(update.token.refresh_token).not.toBe(old.refresh_token); // rotated
      expect(update.token.expires_at).toBeGreaterThan(Date.now() / 1000);
      expect((entry.token as OAuth2Token).access_token).toBe(update.token.access_token);

      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({
        name: 'op',
        refreshToken: old.refresh_token,
        accessToken: old.access_token,
      });
      expect(published[0].token).toBe(update.token);
      expect(published[0].request).toBe(handlerRequest);

      // Three concurrent calls holding the same expired token: one refresh, one update, one event.
      expire(entry.token as OAuth2Token);
      const before = refreshGrants();
      const hops = await Promise.all(
        [1, 2, 3].map(() => browser.request(`${started.url}/api/op/get?path=me`)),
      );
      expect(hops.map((h) => JSON.parse(h.body).status)).toEqual([200, 200, 200]);
      expect(refreshGrants()).toBe(before + 1);
      expect(sessions.updateTokenCalls).toHaveLength(2);
      expect(published).toHaveLength(2);

      // A valid token is used as it is.
      await browser.request(`${started.url}/api/op/get?path=me`);
      expect(refreshGrants()).toBe(before + 1);
      expect(published).toHaveLength(2);
    } finally {
      await started.close();
    }
  });

  it('works without EventEmitterModule: refreshes and calls updateToken, publishes nothing', async () => {
    const { started, sessions, browser, entry } = await startLoggedIn(
      false,
      `no-events-${platform}`,
    );
    try {
      expect(() => started.app.get(EventEmitter2, { strict: false })).toThrow();
      expire(entry.token as OAuth2Token);
      const hop = await browser.request(`${started.url}/injected/me`);
      expect(hop.status).toBe(200);
      expect(sessions.updateTokenCalls).toHaveLength(1);
      expect(sessions.updateTokenCalls[0].request).toBe(sessions.handlerRequests.at(-1));
    } finally {
      await started.close();
    }
  });

  it('fails with MissingTokenError (named, no secret) when fetchToken finds no token', async () => {
    const { started, browser } = await startLoggedIn(true, `no-token-${platform}`);
    try {
      browser.jar.clear();
      const hop = await browser.request(`${started.url}/injected/me`);
      // The app's controller asks for OAuthExceptionFilter: the OAuthError that escaped the handler is a 401.
      expect(hop.status).toBe(401);
      expect(JSON.parse(hop.body)).toEqual({
        statusCode: 401,
        error: 'missing_token',
        message: 'No access token is available',
      });
    } finally {
      await started.close();
    }
  });
});
