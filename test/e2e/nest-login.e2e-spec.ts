/**
 * Full OpenID Connect logins through the Nest module against a real provider
 * (oidc-provider), on Express and on Fastify.
 */
import { request } from 'node:http';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { OAUTH_LOGIN_EVENT, type OAuthLoginEvent } from '../../lib/index.js';
import { STATE_ENVELOPE_VERSION } from '../../lib/state/state-envelope.js';
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
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const SECRET = 'e2e-state-secret-0123456789abcdef0123456789';

/** A GET with any Host header (fetch forbids setting it). */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
const CLIENT_SECRET = 'nest-client-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

describe.each(PLATFORMS)('OpenID Connect login on %s', (platform) => {
  let op: OidcProviderFixture;
  let started: StartedApp;
  let sessions: SessionStore;
  const logins: OAuthLoginEvent[] = [];

  beforeAll(async () => {
    op = await startOidcProvider();
    sessions = new SessionStore();
    const clientId = `nest-${platform}`;
    started = await startApp(
      LoginAppModule.with({
        sessions,
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
    started.app.get(EventEmitter2).on(OAUTH_LOGIN_EVENT, (e: OAuthLoginEvent) => logins.push(e));
  });

  afterAll(async () => {
    await started?.close();
    await op?.close();
  });

  it('redirects to the provider with state, PKCE and nonce, and sets a scoped state cookie', async () => {
    const browser = new BrowserClient();
    const hop = await browser.request(`${started.url}/auth/login/op?returnTo=/dashboard`);
    expect(hop.status).toBe(302);
    expect(hop.body).not.toContain('must never run');
    const location = new URL(hop.location!);
    expect(`${location.origin}${location.pathname}`).toBe(`${op.issuer}/auth`);
    const query = location.searchParams;
    expect(query.get('client_id')).toBe(`nest-${platform}`);
    expect(query.get('redirect_uri')).toBe(`${started.url}/auth/callback/op`);
    expect(query.get('response_type')).toBe('code');
    expect(query.get('scope')).toBe('openid email profile');
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query.get('state')!.length).toBeGreaterThanOrEqual(43);
    expect(query.get('nonce')!.length).toBeGreaterThanOrEqual(43);
    expect(hop.headers.get('cache-control')).toBe('no-store');
    const setCookie = hop.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^oauth_op_[A-Za-z0-9_-]{22}=[A-Za-z0-9_.-]+; /);
    expect(setCookie[0]).toContain('Path=/auth;');
    expect(setCookie[0]).toContain('HttpOnly');
    expect(setCookie[0]).toContain('SameSite=Lax');
    expect(setCookie[0]).toContain('Max-Age=660');
    expect(setCookie[0]).not.toContain('Secure');
    // The cookie is encrypted: neither the state nor the verifier can be read from it.
    const value = setCookie[0].split(';')[0].split('=')[1];
    // The envelope: version byte, 96-bit IV, AES-256-GCM ciphertext, 128-bit tag (base64url).
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(value, 'base64url');
    expect(bytes[0]).toBe(STATE_ENVELOPE_VERSION);
    for (const secret of [query.get('state')!, query.get('nonce')!]) {
      expect(value).not.toContain(secret);
      expect(bytes.toString('latin1')).not.toContain(secret);
    }
  });

  it('completes a login: the handler gets the token, the user and returnTo; oauth.login once', async () => {
    logins.length = 0;
    const browser = new BrowserClient();
    const start = await browser.request(`${started.url}/auth/login/op?returnTo=/dashboard?tab=1`);
    const result = await browser.loginAtProvider(start.location!, { requestCallback: true });
    const last = result.callback!.last;
    expect(last.status).toBe(200);
    const body = JSON.parse(last.body);
    expect(body).toEqual({
      name: 'op',
      user: expect.objectContaining({
        sub: TEST_USER.sub,
        email: TEST_USER.email,
        name: TEST_USER.name,
        iss: op.issuer,
        aud: `nest-${platform}`,
      }),
      returnTo: '/dashboard?tab=1',
      tokenKeys: expect.arrayContaining([
        'access_token',
        'id_token',
        'refresh_token',
        'userinfo',
        'expires_at',
      ]),
    });
    // The state cookie is deleted on use.
    expect(browser.jar.all(started.url).filter((c) => c.name.startsWith('oauth_'))).toEqual([]);
    expect(logins).toHaveLength(1);
    expect(logins[0].name).toBe('op');
    expect(logins[0].userinfo).toEqual(body.user);
    expect(typeof (logins[0].token as { access_token: string }).access_token).toBe('string');

    // An injected client called from a service finds the user's token by itself.
    const me = await browser.request(`${started.url}/api/op/get?path=me`);
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toEqual({
      status: 200,
      body: expect.objectContaining({ sub: TEST_USER.sub, email: TEST_USER.email }),
    });
    const call = sessions.fetchTokenCalls.at(-1)!;
    expect(call.name).toBe('op');
    expect(call.request).toBe(sessions.handlerRequests.at(-1));
  });

  it('marks the cookie Secure and builds an https redirect URI behind a trusted TLS proxy', async () => {
    const proxied = await startApp(
      LoginAppModule.with({
        oauth: {
          secret: SECRET,
          clients: {
            op: {
              clientId: `nest-${platform}`,
              clientSecret: CLIENT_SECRET,
              serverMetadataUrl: op.discoveryUrl,
              redirectUri: '/auth/callback/op',
            },
          },
        },
      }),
      platform,
      undefined,
      { trustProxy: true },
    );
    try {
      const browser = new BrowserClient();
      const hop = await browser.request(`${proxied.url}/auth/login/op`, {
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(hop.status).toBe(302);
      expect(new URL(hop.location!).searchParams.get('redirect_uri')).toBe(
        `https://127.0.0.1:${proxied.port}/auth/callback/op`,
      );
      expect(hop.headers.getSetCookie()[0]).toContain('; Secure;');
      // Without the proxy header: plain http, no Secure.
      const plain = await browser.request(`${proxied.url}/auth/login/op`);
      expect(plain.headers.getSetCookie()[0]).not.toContain('Secure');
      // A malformed Host header is refused, not turned into a redirect URI (fetch cannot send one).
      const bad = await rawGet(proxied.port, '/auth/login/op', { host: 'evil.example/x?y=' });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body).message).toBe('Invalid Host header');
      // Hosts that pass a pattern but no URL parser: still a 400, never a 500.
      for (const host of ['a.example:99999', '999.999.999.999', '[:::::]', 'foo.0x']) {
        const odd = await rawGet(proxied.port, '/auth/login/op', { host });
        expect([odd.status, JSON.parse(odd.body).message]).toEqual([400, 'Invalid Host header']);
      }
      const good = await rawGet(proxied.port, '/auth/login/op', { host: 'app.example:8443' });
      expect(good.status).toBe(302);
      expect(new URL(good.location!).searchParams.get('redirect_uri')).toBe(
        'http://app.example:8443/auth/callback/op',
      );
    } finally {
      await proxied.close();
    }
  });

  it('ignores a returnTo that leaves the site', async () => {
    const browser = new BrowserClient();
    const start = await browser.request(
      `${started.url}/auth/login/op?returnTo=${encodeURIComponent('//evil.example/x')}`,
    );
    const result = await browser.loginAtProvider(start.location!, { requestCallback: true });
    expect(JSON.parse(result.callback!.last.body).returnTo).toBeNull();
  });

  it('answers 404 for an unknown provider name', async () => {
    const hop = await new BrowserClient().request(`${started.url}/auth/login/nope`);
    expect(hop.status).toBe(404);
    expect(JSON.parse(hop.body)).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Unknown OAuth client',
    });
  });
});
