/**
 * Issue 11, the Nest layer, on Express and Fastify: a state minted with a
 * known secret cannot redirect off-site; a wrong nonce, a dropped max_age and
 * a stale auth_time fail the callback guard (against oidc-provider); the
 * browser and the logs see only registered error codes, never provider text;
 * a copied state cookie cannot replay a callback; the user's token never goes
 * to another origin.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { CookieStateStore } from '../../lib/state/cookie-state.store.js';
import type { StateCookieIO } from '../../lib/state/state-store.interface.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import { moveDateOnly } from '../fixtures/clock.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';
import {
  addCodeClient,
  LoginAppModule,
  opClientOptions,
  registerOpClient,
  SessionStore,
} from '../fixtures/nest-apps/login.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const SECRET = 'security-e2e-state-secret-0123456789abcdefXYZ';
const OP_SECRET = 'security-op-client-secret-0123456789abcdef';
/** Letters and digits only: a shape an error-code pattern would have let through. */
const ECHO_SECRET = 'EchoClientSecret4f9a1c27b3d84e6f';

/** A server that records what it receives: the attacker's, or a hostile token endpoint. */
async function recordingServer(answer: (req: IncomingMessage) => [number, unknown]) {
  const received: { path: string; authorization?: string }[] = [];
  const server = createServer((req, res) => {
    received.push({ path: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    const [status, body] = answer(req);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The state cookie of a login as a `StateCookieIO`, to read or mint one with the secret. */
function cookieIO(
  cookies: Record<string, string>,
): StateCookieIO & { set: Record<string, string> } {
  const set: Record<string, string> = {};
  return {
    set,
    getCookie: (name) => cookies[name],
    cookieNames: () => Object.keys(cookies),
    setCookie: (name, value) => void (set[name] = value),
  };
}

describe.each(PLATFORMS)('Nest-layer security on %s', (platform) => {
  let op: OidcProviderFixture;
  let started: StartedApp;
  let attacker: Awaited<ReturnType<typeof recordingServer>>;
  let echo: Awaited<ReturnType<typeof recordingServer>>;
  const sessions = new SessionStore();
  const id = (name: string) => `sec-${name}-${platform}`;
  /** The `maxage` client at the provider, with or without `require_auth_time`. */
  const registerMaxAge = (requireAuthTime: boolean) =>
    addCodeClient(op, id('maxage'), OP_SECRET, [`${started.url}/auth/callback/maxage`], {
      require_auth_time: requireAuthTime,
    });

  beforeAll(async () => {
    op = await startOidcProvider();
    attacker = await recordingServer(() => [200, { stolen: true }]);
    // A token endpoint that echoes the client secret as its error code and description.
    echo = await recordingServer(() => [
      400,
      { error: ECHO_SECRET, error_description: ECHO_SECRET },
    ]);
    started = await startApp(
      LoginAppModule.with({
        sessions,
        oauth: {
          secret: SECRET,
          clients: {
            op: opClientOptions(op, id('op'), OP_SECRET),
            maxage: opClientOptions(op, id('maxage'), OP_SECRET, {
              redirectUri: '/auth/callback/maxage',
              authorizeParams: { max_age: 600 },
            }),
            echo: {
              clientId: 'echo-client',
              clientSecret: ECHO_SECRET,
              authorizeUrl: `${echo.url}/authorize`,
              accessTokenUrl: `${echo.url}/token`,
              redirectUri: '/auth/callback/echo',
              clientKwargs: { tokenEndpointAuthMethod: 'client_secret_post' },
            },
          },
        },
      }),
      platform,
    );
    await registerOpClient(op, started.url, id('op'), OP_SECRET);
    await registerMaxAge(true);
  });

  afterAll(async () => {
    jest.useRealTimers();
    await started?.close();
    await Promise.all([op?.close(), attacker?.close(), echo?.close()]);
  });

  /** Starts a login; returns the authorization URL and the state cookie. */
  async function startLogin(browser: BrowserClient, name: string) {
    const hop = await browser.request(`${started.url}/auth/login/${name}`);
    expect(hop.status).toBe(302);
    const cookie = browser.jar.all(started.url).find((c) => c.name.startsWith(`oauth_${name}_`))!;
    return { location: new URL(hop.location!), cookie };
  }

  it('re-checks returnTo out of the state: a cookie minted with the secret cannot send the browser off-site', async () => {
    const browser = new BrowserClient();
    const { location, cookie } = await startLogin(browser, 'op');
    const state = location.searchParams.get('state')!;
    // Whoever knows the secret reads the flow and mints it again with returnTo //evil.example.
    const store = new CookieStateStore({ secrets: [SECRET], ttl: 600, cookieName: 'oauth' });
    const data = await store.consume(cookieIO({ [cookie.name]: cookie.value }), 'op', state, {
      secure: false,
    });
    const minted = cookieIO({});
    await store.save(
      minted,
      { ...data, returnTo: '//evil.example/x' },
      { path: cookie.path, secure: false },
    );
    browser.jar.setCookies(`${started.url}/auth/`, [
      `${cookie.name}=${minted.set[cookie.name]}; Path=${cookie.path}`,
    ]);

    const result = await browser.loginAtProvider(location.toString(), { requestCallback: true });
    expect(result.callback!.last.status).toBe(200);
    const body = JSON.parse(result.callback!.last.body);
    expect(body.user.sub).toBe(TEST_USER.sub);
    expect(body.returnTo).toBeNull();
  });

  it('refuses an ID token whose nonce is not the one this login sent: 401', async () => {
    const browser = new BrowserClient();
    const { location } = await startLogin(browser, 'op');
    // The provider is asked with another nonce: its ID token carries that one.
    location.searchParams.set('nonce', 'a-nonce-this-login-never-sent-0123456789abc');
    const { callback } = await browser.loginAtProvider(location.toString(), {
      requestCallback: true,
    });
    expect(callback!.last.status).toBe(401);
    expect(JSON.parse(callback!.last.body)).toEqual({
      statusCode: 401,
      error: 'invalid_token',
      message: 'The ID token from the provider is not valid',
    });
  });

  it('refuses an ID token without auth_time when this login asked for max_age: 401', async () => {
    const browser = new BrowserClient();
    const { location } = await startLogin(browser, 'maxage');
    expect(location.searchParams.get('max_age')).toBe('600');
    // Stripped on the way (the provider then has no reason to add auth_time)...
    location.searchParams.delete('max_age');
    await registerMaxAge(false);
    try {
      const { callback } = await browser.loginAtProvider(location.toString(), {
        requestCallback: true,
      });
      // ...but the callback guard remembers max_age from the state, and auth_time is required.
      expect(callback!.last.status).toBe(401);
      expect(JSON.parse(callback!.last.body).error).toBe('invalid_token');
    } finally {
      await registerMaxAge(true);
    }
  });

  it('refuses an auth_time older than the max_age this login asked for: 401 (and accepts a fresh one)', async () => {
    const browser = new BrowserClient();
    const first = await startLogin(browser, 'maxage');
    const fresh = await browser.loginAtProvider(first.location.toString(), {
      requestCallback: true,
    });
    expect(fresh.callback!.last.status).toBe(200);

    // Eleven minutes later, the provider session is still there; max_age is stripped on the
    // way, so the provider does not ask for the password again and sends the old auth_time.
    moveDateOnly(11 * 60_000);
    try {
      const { location } = await startLogin(browser, 'maxage');
      location.searchParams.delete('max_age');
      const nav = await browser.navigate(location, { stopAt: (u) => u.origin !== op.issuer });
      const callback = await browser.request(nav.stoppedAt ?? nav.last.url);
      expect(callback.status).toBe(401);
      expect(JSON.parse(callback.body).error).toBe('invalid_token');
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a replayed callback that comes with a copy of the state cookie: 400', async () => {
    const browser = new BrowserClient();
    const { location, cookie } = await startLogin(browser, 'op');
    const { callbackUrl } = await browser.loginAtProvider(location.toString());
    const first = await browser.request(callbackUrl);
    expect(first.status).toBe(200);
    // The attacker copied the cookie before the callback, and sends it with the same callback.
    const thief = new BrowserClient();
    thief.jar.setCookies(`${started.url}/auth/`, [
      `${cookie.name}=${cookie.value}; Path=${cookie.path}`,
    ]);
    const replay = await thief.request(callbackUrl);
    expect(replay.status).toBe(400);
    expect(JSON.parse(replay.body)).toEqual({
      statusCode: 400,
      error: 'mismatching_state',
      message: 'The state has already been used',
    });
  });

  it('shows the browser registered error codes only, never what the provider wrote', async () => {
    const browser = new BrowserClient();
    const { location } = await startLogin(browser, 'echo');
    const state = location.searchParams.get('state')!;
    // The token endpoint answers { error: <client secret> }.
    const hop = await browser.request(
      `${started.url}/auth/callback/echo?code=code-1&state=${state}`,
    );
    expect(hop.status).toBe(502);
    expect(JSON.parse(hop.body)).toEqual({
      statusCode: 502,
      error: 'server_error',
      message: 'The OAuth provider refused this application: server_error',
    });
    // A provider (or anyone) putting text in the callback's error parameter.
    const second = await startLogin(browser, 'echo');
    const denied = await browser.request(
      `${started.url}/auth/callback/echo?error=${ECHO_SECRET}&state=${second.location.searchParams.get('state')}`,
    );
    expect(denied.status).toBe(400);
    expect(JSON.parse(denied.body).error).toBe('server_error');
    expect(hop.body + denied.body).not.toContain(ECHO_SECRET);
    expect(started.logger.text()).not.toContain(ECHO_SECRET);
    expect(started.logger.text()).toContain('OAuth callback for "echo" failed: server_error (502)');
  });

  it("never sends the user's token to another origin: the attacker's server receives nothing", async () => {
    const browser = new BrowserClient();
    const { location } = await startLogin(browser, 'op');
    const login = await browser.loginAtProvider(location.toString(), { requestCallback: true });
    expect(login.callback!.last.status).toBe(200);
    // The provider's own API works...
    const me = await browser.request(`${started.url}/api/op/get?path=me`);
    expect(JSON.parse(me.body).status).toBe(200);
    // ...an absolute URL elsewhere (a path the user controls) is refused before anything is sent.
    for (const path of [
      `${attacker.url}/steal`,
      `${attacker.url.replace('127.0.0.1', 'localhost')}/x`,
    ]) {
      const stolen = await browser.request(
        `${started.url}/api/op/get?path=${encodeURIComponent(path)}`,
      );
      expect(stolen.status).toBe(400);
      expect(JSON.parse(stolen.body)).toEqual({
        statusCode: 400,
        error: 'invalid_request',
        message: 'The URL is not allowed for this OAuth client',
      });
    }
    expect(attacker.received).toEqual([]);
  });
});
