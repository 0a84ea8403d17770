/**
 * Several app instances behind one address (a switching proxy): a login
 * started on one instance completes on another, with the encrypted cookie
 * (same secret) or a shared cache; several tabs at once all complete.
 */
import type { OAuthCache } from '../../lib/index.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';
import { LoginAppModule, SessionStore, registerOpClient } from '../fixtures/nest-apps/login.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';
import { startSwitchProxy, type SwitchProxy } from '../fixtures/nest-apps/switch-proxy.js';

const CLIENT_SECRET = 'multi-client-secret-92eb5ffee6ae2fec3ad71c777531578f';

/** A shared in-memory cache with the module's interface (seconds TTL). */
function sharedCache(): OAuthCache & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, structuredClone(value)),
    delete: async (key) => void map.delete(key),
  };
}

describe.each(PLATFORMS)('several instances on %s', (platform) => {
  let op: OidcProviderFixture;
  let proxy: SwitchProxy;
  const apps: StartedApp[] = [];

  beforeAll(async () => {
    op = await startOidcProvider();
    proxy = await startSwitchProxy(0);
    await registerOpClient(op, proxy.url, `multi-${platform}`, CLIENT_SECRET, 'openid email');
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await proxy?.close();
    await op?.close();
  });

  async function instance(oauth: { secret?: string; cache?: OAuthCache }) {
    const sessions = new SessionStore();
    const started = await startApp(
      LoginAppModule.with({
        sessions,
        oauth: {
          ...oauth,
          clients: {
            op: {
              clientId: `multi-${platform}`,
              clientSecret: CLIENT_SECRET,
              serverMetadataUrl: op.discoveryUrl,
              redirectUri: '/auth/callback/op',
              clientKwargs: { scope: 'openid email' },
            },
          },
        },
      }),
      platform,
    );
    apps.push(started);
    return { started, sessions };
  }

  /** Starts a login through the proxy on instance `on`; returns the callback URL. */
  async function loginUntilCallback(browser: BrowserClient, on: StartedApp): Promise<string> {
    proxy.target = on.port;
    const hop = await browser.request(`${proxy.url}/auth/login/op`);
    expect(hop.status).toBe(302);
    const { callbackUrl } = await browser.loginAtProvider(hop.location!);
    expect(callbackUrl.startsWith(`${proxy.url}/auth/callback/op?`)).toBe(true);
    return callbackUrl;
  }

  it('completes on instance B a login started on instance A (same secret, no shared storage)', async () => {
    const a = await instance({ secret: 'shared-secret-between-instances-0123456789' });
    const b = await instance({ secret: 'shared-secret-between-instances-0123456789' });
    const browser = new BrowserClient();
    const callbackUrl = await loginUntilCallback(browser, a.started);
    proxy.target = b.started.port;
    const hop = await browser.request(callbackUrl);
    expect(hop.status).toBe(200);
    expect(JSON.parse(hop.body).user.sub).toBe(TEST_USER.sub);
    expect(b.sessions.tokens.size).toBe(1);
    expect(a.sessions.tokens.size).toBe(0);
  });

  it('fails cleanly (400) when the instances do not share the secret', async () => {
    const a = await instance({ secret: 'instance-a-secret-0123456789abcdef' });
    const b = await instance({ secret: 'instance-b-secret-0123456789abcdef' });
    const browser = new BrowserClient();
    const callbackUrl = await loginUntilCallback(browser, a.started);
    proxy.target = b.started.port;
    const hop = await browser.request(callbackUrl);
    expect(hop.status).toBe(400);
    expect(JSON.parse(hop.body)).toEqual({
      statusCode: 400,
      error: 'mismatching_state',
      message: 'The state does not match a login started in this browser',
    });
  });

  it('completes across instances with a shared cache and no secret at all', async () => {
    const cache = sharedCache();
    const a = await instance({ cache });
    const b = await instance({ cache });
    const browser = new BrowserClient();
    const callbackUrl = await loginUntilCallback(browser, a.started);
    expect([...cache.map.keys()]).toEqual([
      expect.stringMatching(/^oauth:state:op:[A-Za-z0-9_-]{43}:[A-Za-z0-9_-]{22}$/),
    ]);
    // The cookie only binds the browser: a random id, not the data.
    const [cookie] = browser.jar.all(proxy.url).filter((c) => c.name.startsWith('oauth_op_'));
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    proxy.target = b.started.port;
    expect((await browser.request(callbackUrl)).status).toBe(200);
    expect(cache.map.size).toBe(0);
    expect(b.sessions.tokens.size).toBe(1);
    // Single use across instances too.
    proxy.target = a.started.port;
    expect((await browser.request(callbackUrl)).status).toBe(400);
    // No "no secret" warning with a cache.
    expect(a.started.logger.text()).not.toContain('no secret is configured');
  });

  it('completes several logins started in several tabs before any callback', async () => {
    const secret = 'tabs-secret-0123456789abcdef0123456789';
    const a = await instance({ secret });
    const b = await instance({ secret });
    const browser = new BrowserClient();
    const callbacks: string[] = [];
    for (const on of [a, b, a]) callbacks.push(await loginUntilCallback(browser, on.started));
    expect(new Set(callbacks.map((u) => new URL(u).searchParams.get('state'))).size).toBe(3);
    expect(browser.jar.all(proxy.url).filter((c) => c.name.startsWith('oauth_op_'))).toHaveLength(
      3,
    );
    // Completed in another order, on other instances.
    const order: [number, typeof a][] = [
      [2, b],
      [0, b],
      [1, a],
    ];
    for (const [index, on] of order) {
      proxy.target = on.started.port;
      const hop = await browser.request(callbacks[index]);
      expect(hop.status).toBe(200);
      expect(JSON.parse(hop.body).user.sub).toBe(TEST_USER.sub);
    }
    expect(a.sessions.tokens.size + b.sessions.tokens.size).toBe(3);
    expect(browser.jar.all(proxy.url).filter((c) => c.name.startsWith('oauth_op_'))).toEqual([]);
  });
});
