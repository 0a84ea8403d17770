/**
 * `response_mode=form_post` (Apple, Microsoft, ...): the provider answers the
 * authorization request with a page that POSTs the response to the callback.
 * The callback guard reads the form body; over HTTPS the state cookie is
 * SameSite=None so that the cross-site POST carries it.
 */
import { deriveStateKey, openState } from '../../lib/state/state-envelope.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';
import {
  addCodeClient,
  LoginAppModule,
  registerOpClient,
  SessionStore,
} from '../fixtures/nest-apps/login.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const SECRET = 'form-post-state-secret-0123456789abcdef0123';
const CLIENT_SECRET = 'form-post-client-secret-9f8e7d6c5b4a39281706f5e4';

describe.each(PLATFORMS)('form_post callbacks on %s', (platform) => {
  let op: OidcProviderFixture;
  let started: StartedApp;
  const clientId = `form-post-${platform}`;
  const oauth = (issuerUrl: string) => ({
    secret: SECRET,
    clients: {
      op: {
        clientId,
        clientSecret: CLIENT_SECRET,
        serverMetadataUrl: issuerUrl,
        redirectUri: '/auth/callback/op',
        authorizeParams: { response_mode: 'form_post' },
        clientKwargs: { scope: 'openid email profile' },
      },
    },
  });

  beforeAll(async () => {
    op = await startOidcProvider();
    started = await startApp(
      LoginAppModule.with({ sessions: new SessionStore(), oauth: oauth(op.discoveryUrl) }),
      platform,
    );
    await registerOpClient(op, started.url, clientId, CLIENT_SECRET);
  });

  afterAll(async () => {
    await started?.close();
    await op?.close();
  });

  it('logs in with the response posted as a form, and refuses a replay of that post', async () => {
    const browser = new BrowserClient();
    const start = await browser.request(`${started.url}/auth/login/op`);
    expect(new URL(start.location!).searchParams.get('response_mode')).toBe('form_post');
    const result = await browser.loginAtProvider(start.location!, { requestCallback: true });
    expect(result.formPost).toEqual(
      expect.objectContaining({ code: expect.any(String), state: expect.any(String) }),
    );
    const last = result.callback!.last;
    expect(last.status).toBe(200);
    expect(JSON.parse(last.body).user).toEqual(
      expect.objectContaining({ sub: TEST_USER.sub, email: TEST_USER.email }),
    );

    const replay = await browser.request(`${started.url}/auth/callback/op`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(result.formPost).toString(),
    });
    expect(replay.status).toBe(400);
    expect(JSON.parse(replay.body)).toMatchObject({
      statusCode: 400,
      error: 'mismatching_state',
      message: expect.stringContaining('already been used'),
    });
  });

  it('keeps a requested max_age in the state, so the callback checks auth_time against it', async () => {
    const app = await startApp(
      LoginAppModule.with({
        oauth: {
          ...oauth(op.discoveryUrl),
          clients: {
            op: {
              ...oauth(op.discoveryUrl).clients.op,
              authorizeParams: { response_mode: 'form_post', max_age: 3600 },
            },
          },
        },
      }),
      platform,
    );
    try {
      const start = await new BrowserClient().request(`${app.url}/auth/login/op`);
      expect(new URL(start.location!).searchParams.get('max_age')).toBe('3600');
      const sealed = start.headers.getSetCookie()[0].split(';')[0].split('=')[1];
      const payload = openState(sealed, 'nestjs-oauth:state:op', [deriveStateKey(SECRET)]);
      expect((payload?.d as { maxAge?: number }).maxAge).toBe(3600);
    } finally {
      await app.close();
    }
  });

  it('marks the state cookie SameSite=None; Secure behind HTTPS, and Lax over plain http', async () => {
    const proxied = await startApp(
      LoginAppModule.with({ oauth: oauth(op.discoveryUrl) }),
      platform,
      undefined,
      { trustProxy: true },
    );
    try {
      const browser = new BrowserClient();
      const https = await browser.request(`${proxied.url}/auth/login/op`, {
        headers: { 'x-forwarded-proto': 'https' },
      });
      const cookie = https.headers.getSetCookie()[0];
      expect(cookie).toContain('SameSite=None');
      expect(cookie).toContain('Secure');
      const plain = await browser.request(`${proxied.url}/auth/login/op`);
      expect(plain.headers.getSetCookie()[0]).toContain('SameSite=Lax');
    } finally {
      await proxied.close();
    }
  });
});

describe.each(PLATFORMS)(
  'form_post from another site, on %s (the browser keeps SameSite)',
  (platform) => {
    let op: OidcProviderFixture;
    let started: StartedApp;
    const clientId = `form-post-cross-${platform}`;

    beforeAll(async () => {
      op = await startOidcProvider();
      started = await startApp(
        LoginAppModule.with({
          oauth: {
            secret: SECRET,
            clients: {
              op: {
                clientId,
                clientSecret: CLIENT_SECRET,
                serverMetadataUrl: op.discoveryUrl,
                redirectUri: '/auth/callback/op',
                authorizeParams: { response_mode: 'form_post' },
                clientKwargs: { scope: 'openid email profile' },
              },
            },
          },
        }),
        platform,
        undefined,
        { trustProxy: true },
      );
      // The browser reaches the app as localhost: another site than the provider's 127.0.0.1.
      const app = `localhost:${started.port}`;
      await addCodeClient(op, clientId, CLIENT_SECRET, [
        `http://${app}/auth/callback/op`,
        `https://${app}/auth/callback/op`,
      ]);
    });

    afterAll(async () => {
      await started?.close();
      await op?.close();
    });

    it('over plain http the cross-site POST does not carry the SameSite=Lax state cookie: 400', async () => {
      const browser = new BrowserClient();
      const start = await browser.request(`http://localhost:${started.port}/auth/login/op`);
      expect(start.headers.getSetCookie()[0]).toContain('SameSite=Lax');
      const result = await browser.loginAtProvider(start.location!, { requestCallback: true });
      expect(result.callback!.last.status).toBe(400);
      expect(JSON.parse(result.callback!.last.body).message).toBe(
        'The state does not match a login started in this browser',
      );
    });

    it('behind TLS the state cookie is SameSite=None; Secure, and the cross-site POST carries it', async () => {
      // A TLS-terminating proxy in front of the app: https for the browser, http plus
      // X-Forwarded-Proto for the app (which trusts its proxy).
      const origin = `https://localhost:${started.port}`;
      const proxyFetch = ((input: string | URL | Request, init?: RequestInit) => {
        const url = String(input instanceof Request ? input.url : input);
        if (!url.startsWith(origin)) return fetch(input, init);
        const headers = new Headers(init?.headers);
        headers.set('x-forwarded-proto', 'https');
        return fetch(`http://localhost:${started.port}${url.slice(origin.length)}`, {
          ...init,
          headers,
        });
      }) as typeof fetch;
      const browser = new BrowserClient({ fetch: proxyFetch });
      const start = await browser.request(`${origin}/auth/login/op`);
      expect(start.headers.getSetCookie()[0]).toMatch(/; Secure; SameSite=None$/);
      const result = await browser.loginAtProvider(start.location!, { requestCallback: true });
      expect(result.callback!.last.status).toBe(200);
      expect(JSON.parse(result.callback!.last.body).user.sub).toBe(TEST_USER.sub);
    });
  },
);
