/**
 * OAuth 1.0a logins through the Nest module against a real RFC 5849 provider
 * (test/fixtures/oauth1-server.ts), on Express and on Fastify.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { OAUTH_LOGIN_EVENT, type OAuth1Token, type OAuthLoginEvent } from '../../lib/index.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import { startOAuth1Server, type OAuth1TestServer } from '../fixtures/oauth1-server.js';
import { LoginAppModule, SessionStore } from '../fixtures/nest-apps/login.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const SECRET = 'oauth1-e2e-secret-8d969eef6ecad3c29a3a629280e686cf';

const profile = (raw: Record<string, unknown>) => ({
  sub: String(raw.id),
  name: raw.name,
  preferred_username: raw.screen_name,
  email: raw.email,
});

describe.each(PLATFORMS)('OAuth 1.0a login on %s', (platform) => {
  let server: OAuth1TestServer;
  let started: StartedApp;
  let sessions: SessionStore;
  const logins: OAuthLoginEvent[] = [];
  const savedRequestTokens = new Map<string, OAuth1Token>();
  const fetchRequestTokenCalls: string[] = [];
  /** What a buggy app store keeps: the request tokens in order, one list for every flow. */
  const lastSaved: OAuth1Token[] = [];
  /** URLs the `params` client called, through its own `fetch`. */
  const paramsCalls: string[] = [];

  beforeAll(async () => {
    server = await startOAuth1Server();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    sessions = new SessionStore();
    const client = {
      clientId: server.consumer.key,
      clientSecret: server.consumer.secret,
      requestTokenUrl: server.endpoints.requestToken,
      accessTokenUrl: server.endpoints.accessToken,
      authorizeUrl: server.endpoints.authorize,
      apiBaseUrl: server.apiBaseUrl,
      userinfoEndpoint: 'me',
      profile,
    };
    started = await startApp(
      LoginAppModule.with({
        sessions,
        oauth: {
          secret: SECRET,
          clients: {
            twitter: { ...client, redirectUri: '/auth/callback/twitter' },
            stored: {
              ...client,
              redirectUri: '/auth/callback/stored',
              saveRequestToken: (token) => void savedRequestTokens.set(token.oauth_token, token),
              fetchRequestToken: (oauthToken) => {
                fetchRequestTokenCalls.push(oauthToken);
                return savedRequestTokens.get(oauthToken);
              },
            },
            down: {
              ...client,
              requestTokenUrl: `http://127.0.0.1:${deadPort}/request_token`,
              redirectUri: '/auth/callback/down',
            },
            swapped: {
              ...client,
              redirectUri: '/auth/callback/swapped',
              saveRequestToken: (token) => void lastSaved.push(token),
              // Hands back the latest request token, whichever flow the callback is for.
              fetchRequestToken: () => lastSaved.at(-1),
            },
            params: {
              ...client,
              redirectUri: '/auth/callback/params',
              accessTokenParams: { x_auth_access_type: 'read' },
              fetch: (input: string | URL | Request, init?: RequestInit) => {
                paramsCalls.push(String(input instanceof Request ? input.url : input));
                return fetch(input, init);
              },
            },
          },
        },
      }),
      platform,
    );
    started.app.get(EventEmitter2).on(OAUTH_LOGIN_EVENT, (e: OAuthLoginEvent) => logins.push(e));
  });

  afterAll(async () => {
    await started?.close();
    await server?.close();
  });

  beforeEach(() => server.setAuthorize('approve'));

  it('logs in: request token in an encrypted cookie, verifier exchanged, profile mapped', async () => {
    logins.length = 0;
    const browser = new BrowserClient();
    const login = await browser.request(`${started.url}/auth/login/twitter?returnTo=/home`);
    expect(login.status).toBe(302);
    const location = new URL(login.location!);
    expect(`${location.origin}${location.pathname}`).toBe(server.endpoints.authorize);
    const requestToken = location.searchParams.get('oauth_token')!;
    expect(requestToken).toBeTruthy();
    const [cookie] = login.headers.getSetCookie();
    expect(cookie).toMatch(/^oauth_twitter_[A-Za-z0-9_-]{22}=[^;]+; Path=\/auth; /);
    expect(cookie).not.toContain(requestToken);

    const nav = await browser.follow(login);
    expect(nav.last.status).toBe(200);
    expect(JSON.parse(nav.last.body)).toEqual({
      name: 'twitter',
      user: {
        sub: server.user.id,
        name: server.user.name,
        preferred_username: server.user.screen_name,
        email: server.user.email,
      },
      returnTo: '/home',
      tokenKeys: expect.arrayContaining([
        'oauth_token',
        'oauth_token_secret',
        'user_id',
        'screen_name',
      ]),
    });
    expect(logins.map((e) => e.name)).toEqual(['twitter']);
    expect(logins[0].userinfo).toMatchObject({ sub: server.user.id });

    // Signed API calls find the token by themselves.
    const me = await browser.request(`${started.url}/api/twitter/get?path=me`);
    expect(JSON.parse(me.body)).toEqual({
      status: 200,
      body: expect.objectContaining({ screen_name: server.user.screen_name, method: 'GET' }),
    });
    expect(sessions.fetchTokenCalls.at(-1)!.request).toBe(sessions.handlerRequests.at(-1));

    // The callback URL cannot be replayed.
    const again = await browser.request(nav.last.url);
    expect(again.status).toBe(400);
    expect(JSON.parse(again.body)).toEqual({
      statusCode: 400,
      error: 'mismatching_state',
      message: 'The state has already been used',
    });
  });

  it('uses saveRequestToken / fetchRequestToken when the client has them', async () => {
    const browser = new BrowserClient();
    const nav = await browser.navigate(`${started.url}/auth/login/stored`);
    expect(nav.last.status).toBe(200);
    expect(JSON.parse(nav.last.body).user.sub).toBe(server.user.id);
    const requestToken = new URL(nav.hops[1].url).searchParams.get('oauth_token')!;
    expect(fetchRequestTokenCalls).toEqual([requestToken]);
    expect(savedRequestTokens.get(requestToken)?.oauth_token_secret).toBeTruthy();
  });

  it('refuses a callback whose request token is not the one its flow started with (swapped store)', async () => {
    const browser = new BrowserClient();
    const stopAtCallback = { stopAt: (u: URL) => u.pathname === '/auth/callback/swapped' };
    const first = await browser.navigate(`${started.url}/auth/login/swapped`, stopAtCallback);
    // A second login starts before the first one comes back: the store now hands out its token.
    const second = await browser.navigate(`${started.url}/auth/login/swapped`, stopAtCallback);
    expect(lastSaved).toHaveLength(2);
    const hop = await browser.request(first.stoppedAt!);
    expect(hop.status).toBe(400);
    expect(JSON.parse(hop.body)).toEqual({
      statusCode: 400,
      error: 'mismatching_state',
      message: 'The state does not match a login started in this browser',
    });
    // The flow the store's token belongs to completes.
    expect((await browser.request(second.stoppedAt!)).status).toBe(200);
  });

  it('sends accessTokenParams with the token-credentials request, signed', async () => {
    const nav = await new BrowserClient().navigate(`${started.url}/auth/login/params`);
    expect(nav.last.status).toBe(200);
    const exchange = paramsCalls.find((u) => u.startsWith(server.endpoints.accessToken))!;
    expect(new URL(exchange).searchParams.get('x_auth_access_type')).toBe('read');
    // The provider checked the signature over that query, and accepted it.
    expect(server.requests.filter((r) => r.path.endsWith('/access_token')).at(-1)!.outcome).toBe(
      'ok',
    );
  });

  it('reports a denial (denied=...): 400 access_denied', async () => {
    server.setAuthorize('deny');
    const nav = await new BrowserClient().navigate(`${started.url}/auth/login/twitter`);
    expect(nav.last.url).toContain('denied=');
    expect(nav.last.status).toBe(400);
    expect(JSON.parse(nav.last.body)).toEqual({
      statusCode: 400,
      error: 'access_denied',
      message: 'The authorization failed: access_denied',
    });
  });

  it('reports a wrong verifier (the provider says verifier_invalid): 400', async () => {
    const browser = new BrowserClient();
    const nav = await browser.navigate(`${started.url}/auth/login/twitter`, {
      stopAt: (u) => u.pathname === '/auth/callback/twitter',
    });
    const callback = new URL(nav.stoppedAt!);
    callback.searchParams.set('oauth_verifier', 'wrong-verifier');
    const hop = await browser.request(callback);
    expect(hop.status).toBe(400);
    expect(JSON.parse(hop.body)).toEqual({
      statusCode: 400,
      error: 'verifier_invalid',
      message: 'The OAuth provider refused the request: verifier_invalid',
    });
  });

  it('answers 502 when the request-token endpoint is down', async () => {
    const hop = await new BrowserClient().request(`${started.url}/auth/login/down`);
    expect(hop.status).toBe(502);
    expect(JSON.parse(hop.body)).toEqual({
      statusCode: 502,
      error: 'network_error',
      message: 'The OAuth provider could not be reached',
    });
  });

  it('never logs a token, secret or verifier', () => {
    const text = started.logger.text();
    expect(text).not.toContain(server.consumer.secret);
    expect(text).not.toContain(SECRET);
    for (const token of savedRequestTokens.values()) {
      expect(text).not.toContain(token.oauth_token);
      expect(text).not.toContain(token.oauth_token_secret);
    }
    expect(text).toContain('OAuth callback for "twitter" failed: verifier_invalid (400)');
  });
});
