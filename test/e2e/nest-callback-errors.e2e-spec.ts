/**
 * Bad and hostile callbacks get a clear 4xx (or 502/504 when the provider
 * fails) through Nest's exception layer, never a 500, and nothing secret is
 * logged. Express and Fastify.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { BrowserClient } from '../fixtures/browser-client.js';
import { FAULT_ROUTES, startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import { startOidcProvider, type OidcProviderFixture } from '../fixtures/oidc-provider.js';
import { startForgingOp, type ForgingOp } from '../fixtures/nest-apps/forging-op.js';
import { LoginAppModule, registerOpClient } from '../fixtures/nest-apps/login.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';
import { moveDateOnly } from '../fixtures/clock.js';

const SECRET = 'callback-errors-secret-5f4dcc3b5aa765d61d8327deb882cf99';
const OP_SECRET = 'op-client-secret-7c6a180b36896a0a8c02787eeafb0e4c';
const FAKE_SECRET = 'fake-client-secret-6cb75f652a9b52798eb6cf2201057c73';

/** A seeded PRNG (mulberry32), so the fuzz cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const body = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe.each(PLATFORMS)('callback errors on %s', (platform) => {
  let op: OidcProviderFixture;
  let forging: ForgingOp;
  let faults: FaultServer;
  let started: StartedApp;
  const seenSecrets: string[] = [OP_SECRET, FAKE_SECRET, SECRET];

  beforeAll(async () => {
    [op, faults] = await Promise.all([startOidcProvider(), startFaultServer()]);
    forging = await startForgingOp('forge-client');
    const down = `http://127.0.0.1:${await closedPort()}`;
    const fake = (tokenUrl: string, extra: Record<string, unknown> = {}) => ({
      clientId: 'fake-client',
      clientSecret: FAKE_SECRET,
      authorizeUrl: `${faults.origin}/authorize`,
      accessTokenUrl: tokenUrl,
      redirectUri: '/auth/callback/x',
      ...extra,
    });
    started = await startApp(
      LoginAppModule.with({
        oauth: {
          secret: SECRET,
          clients: {
            op: {
              clientId: `errors-${platform}`,
              clientSecret: OP_SECRET,
              serverMetadataUrl: op.discoveryUrl,
              redirectUri: '/auth/callback/op',
              clientKwargs: { scope: 'openid email' },
            },
            forge: {
              clientId: 'forge-client',
              clientSecret: FAKE_SECRET,
              serverMetadataUrl: forging.discoveryUrl,
              redirectUri: '/auth/callback/forge',
              clientKwargs: { scope: 'openid' },
            },
            down: fake(`${down}/token`, { redirectUri: '/auth/callback/down' }),
            slow: fake(faults.url(FAULT_ROUTES.hang), {
              redirectUri: '/auth/callback/slow',
              timeout: 300,
            }),
            garbage: fake(faults.url(FAULT_ROUTES.html500), {
              redirectUri: '/auth/callback/garbage',
            }),
          },
        },
      }),
      platform,
    );
    await registerOpClient(op, started.url, `errors-${platform}`, OP_SECRET, 'openid email');
  });

  afterAll(async () => {
    await started?.close();
    await Promise.all([op?.close(), faults?.close(), forging?.close()]);
  });

  /** Starts a login in `browser`; returns the authorization URL and its state. */
  async function startLogin(browser: BrowserClient, name: string) {
    const hop = await browser.request(`${started.url}/auth/login/${name}`);
    expect(hop.status).toBe(302);
    const location = new URL(hop.location!);
    const state = location.searchParams.get('state')!;
    seenSecrets.push(state);
    return { location, state };
  }

  async function callback(browser: BrowserClient, name: string, query: string) {
    return browser.request(`${started.url}/auth/callback/${name}?${query}`);
  }

  it('refuses a callback without state: 400', async () => {
    const hop = await callback(new BrowserClient(), 'op', 'code=abc');
    expect(hop.status).toBe(400);
    expect(body(hop.body)).toEqual({
      statusCode: 400,
      error: 'mismatching_state',
      message: 'The authorization response has no state parameter',
    });
  });

  it('refuses a forged state, and a real state from another browser: 400', async () => {
    const victim = new BrowserClient();
    const { state } = await startLogin(victim, 'down');
    const forged = await callback(victim, 'down', `code=abc&state=${'A'.repeat(43)}`);
    const stolen = await callback(new BrowserClient(), 'down', `code=abc&state=${state}`);
    for (const hop of [forged, stolen]) {
      expect(hop.status).toBe(400);
      expect(body(hop.body)).toEqual({
        statusCode: 400,
        error: 'mismatching_state',
        message: 'The state does not match a login started in this browser',
      });
    }
  });

  it('refuses a tampered state cookie: 400', async () => {
    const browser = new BrowserClient();
    const { state } = await startLogin(browser, 'down');
    const [cookie] = browser.jar.all(started.url).filter((c) => c.name.startsWith('oauth_down_'));
    // One bit of the ciphertext flipped (the envelope: version, IV, ciphertext, tag).
    const bytes = Buffer.from(cookie.value, 'base64url');
    bytes[20] ^= 1;
    cookie.value = bytes.toString('base64url');
    const hop = await callback(browser, 'down', `code=abc&state=${state}`);
    expect(hop.status).toBe(400);
    expect(body(hop.body).message).toBe('The state does not match a login started in this browser');
  });

  it('refuses a replayed callback: 400', async () => {
    const browser = new BrowserClient();
    const { location } = await startLogin(browser, 'op');
    const { callbackUrl } = await browser.loginAtProvider(location.toString());
    seenSecrets.push(new URL(callbackUrl).searchParams.get('code')!);
    const first = await browser.request(callbackUrl);
    expect(first.status).toBe(200);
    const second = await browser.request(callbackUrl);
    expect(second.status).toBe(400);
    expect(body(second.body)).toEqual({
      statusCode: 400,
      error: 'mismatching_state',
      message: 'The state has already been used',
    });
  });

  it('refuses an expired state: 400', async () => {
    const browser = new BrowserClient();
    const { state } = await startLogin(browser, 'down');
    // Only Date moves (10 min + 5 s): the state cookie (Max-Age 11 min) is still sent.
    moveDateOnly(605_000);
    try {
      const hop = await callback(browser, 'down', `code=abc&state=${state}`);
      expect(hop.status).toBe(400);
      expect(body(hop.body)).toEqual({
        statusCode: 400,
        error: 'mismatching_state',
        message: 'The login took too long: its state has expired',
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports the provider refusing (error=access_denied): 400 with its code', async () => {
    const browser = new BrowserClient();
    const { location } = await startLogin(browser, 'op');
    const { callbackUrl } = await browser.loginAtProvider(location.toString(), { consent: false });
    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
    const hop = await browser.request(callbackUrl);
    expect(hop.status).toBe(400);
    expect(body(hop.body)).toEqual({
      statusCode: 400,
      error: 'access_denied',
      message: 'The authorization failed: access_denied',
    });
    // The state was used up by the failed attempt.
    expect((await browser.request(callbackUrl)).status).toBe(400);
  });

  it('reports a bad code (invalid_grant from the provider): 400', async () => {
    const browser = new BrowserClient();
    const { location } = await startLogin(browser, 'op');
    const { callbackUrl } = await browser.loginAtProvider(location.toString());
    const tampered = new URL(callbackUrl);
    seenSecrets.push(tampered.searchParams.get('code')!);
    tampered.searchParams.set('code', 'not-the-code-0123456789');
    const hop = await browser.request(tampered);
    expect(hop.status).toBe(400);
    expect(body(hop.body)).toEqual({
      statusCode: 400,
      error: 'invalid_grant',
      message: 'The OAuth provider refused the request: invalid_grant',
    });
  });

  it('refuses an ID token signed with another key: 401 (and accepts the genuine one)', async () => {
    forging.mode = 'forged';
    const browser = new BrowserClient();
    const forged = (await browser.navigate(`${started.url}/auth/login/forge`)).last;
    expect(forged.status).toBe(401);
    expect(body(forged.body)).toEqual({
      statusCode: 401,
      error: 'invalid_token',
      message: 'The ID token from the provider is not valid',
    });
    forging.mode = 'valid';
    const genuine = (await browser.navigate(`${started.url}/auth/login/forge`)).last;
    expect(genuine.status).toBe(200);
    expect(body(genuine.body).user).toMatchObject({ sub: 'mallory', iss: forging.issuer });
  });

  it.each([
    ['down', 502, 'network_error', 'The OAuth provider could not be reached'],
    ['slow', 504, 'timeout', 'The OAuth provider did not answer in time'],
    ['garbage', 502, 'invalid_response', 'The OAuth provider sent an invalid response'],
  ])('maps a failing token endpoint (%s) to %i', async (name, status, error, message) => {
    const browser = new BrowserClient();
    const { state } = await startLogin(browser, name);
    const hop = await callback(browser, name, `code=abc-code-value&state=${state}`);
    expect(hop.status).toBe(status);
    expect(body(hop.body)).toEqual({ statusCode: status, error, message });
  });

  it('refuses a repeated parameter: 400 invalid_request', async () => {
    const browser = new BrowserClient();
    const { state } = await startLogin(browser, 'down');
    const hop = await callback(browser, 'down', `code=a&state=${state}&state=${state}`);
    expect(hop.status).toBe(400);
    expect(body(hop.body)).toMatchObject({ statusCode: 400, error: 'invalid_request' });
  });

  it('answers a few hundred random callbacks with a 4xx, never a 5xx', async () => {
    const random = prng(0x5eed);
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
    const alphabet = 'abcXYZ019-_.~%&=?#+[]{}\\/"\'<>;: \u00e9\u4e2d\ud83d\ude00';
    const junk = (max: number) =>
      Array.from({ length: Math.floor(random() * max) }, () => pick([...alphabet])).join('');
    const browser = new BrowserClient();
    const keys = ['state', 'code', 'error', 'error_description', 'iss', 'session_state', junk(6)];
    const statuses = new Map<number, number>();
    const errors = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const params: string[] = [];
      // One case in four carries the state of a login really started in this browser,
      // so the junk reaches the code exchange and the provider.
      const withLiveState = random() < 0.25;
      if (withLiveState) {
        params.push(`state=${(await startLogin(browser, 'op')).state}`);
        if (random() < 0.7) params.push(`iss=${encodeURIComponent(op.issuer)}`);
        if (random() < 0.7) params.push(`code=${encodeURIComponent(junk(60) || 'x')}`);
      }
      const count = Math.floor(random() * 5);
      for (let j = 0; j < count; j++) {
        const key = pick(withLiveState ? keys.slice(2, 4) : keys);
        const value = junk(random() < 0.1 ? 3000 : 40);
        params.push(
          `${encodeURIComponent(key)}=${random() < 0.5 ? encodeURIComponent(value) : value.replace(/[#\s]/g, '')}`,
        );
      }
      const name = withLiveState ? 'op' : pick(['op', 'down', 'forge']);
      const hop = await browser.request(`${started.url}/auth/callback/${name}?${params.join('&')}`);
      statuses.set(hop.status, (statuses.get(hop.status) ?? 0) + 1);
      if (hop.status >= 500 || hop.status < 400) {
        throw new Error(`HTTP ${hop.status} for ${name}?${params.join('&')}: ${hop.body}`);
      }
      expect(body(hop.body).statusCode).toBe(hop.status);
      errors.add(String(body(hop.body).error));
    }
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    // The junk reached every layer: state checks, the parameter checks, the provider.
    expect([...errors]).toEqual(
      expect.arrayContaining([
        'mismatching_state',
        'invalid_request',
        'invalid_issuer',
        'invalid_grant',
      ]),
    );
    // Abandoned logins do not pile up: at most 10 flow cookies per client are kept.
    const flows = browser.jar.all(started.url).filter((c) => c.name.startsWith('oauth_op_'));
    expect(flows.length).toBeGreaterThan(0);
    expect(flows.length).toBeLessThanOrEqual(10);
  });

  it('logged every failure at warn with client name and code only, and no secret', () => {
    const lines = started.logger.lines.filter((l) => l.context === 'OAuthModule');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((l) => l.level === 'warn')).toBe(true);
    for (const line of lines) {
      expect(line.message).toMatch(
        /^OAuth (login|callback) for "(op|down|slow|garbage|forge)" failed: [a-z_]+ \(\d{3}\)$/,
      );
    }
    const text = started.logger.text();
    for (const secret of seenSecrets) expect(text).not.toContain(secret);
    expect(started.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
