import { MissingTokenError } from '../../../lib/core/errors.js';
import { OAuthOriginNotAllowedError } from '../../../lib/errors/origin-not-allowed.error.js';
import { OAuth1App } from '../../../lib/apps/oauth1-app.js';
import { OAuth2App } from '../../../lib/apps/oauth2-app.js';
import { resolveClientOptions } from '../../../lib/config/resolve-client-options.js';
import { runWithRequest } from '../../../lib/context/request-context.js';
import type { OAuthClientOptions } from '../../../lib/interfaces/oauth-client-options.interface.js';
import { FAULT_ROUTES, startFaultServer, type FaultServer } from '../../fixtures/fault-server.js';

let faults: FaultServer;
beforeAll(async () => {
  faults = await startFaultServer({ refreshDelay: 5 });
});
afterAll(() => faults?.close());
beforeEach(() => faults.reset());

const app2 = (options: OAuthClientOptions = {}, runtime = {}) =>
  new OAuth2App(
    resolveClientOptions('api', {
      clientId: 'id',
      clientSecret: 'client-secret-value-0123',
      accessTokenUrl: faults.url(FAULT_ROUTES.refresh),
      authorizeUrl: 'https://op.example/authorize',
      apiBaseUrl: `${faults.origin}/`,
      ...options,
    }),
    runtime,
  );

const expired = () => ({
  access_token: 'old-access',
  refresh_token: 'old-refresh',
  token_type: 'Bearer',
  expires_at: Math.floor(Date.now() / 1000) - 10,
});

describe('OAuth2App.resolveUrl', () => {
  it.each([
    ['https://api.example/v1', '/user', 'https://api.example/v1/user'],
    ['https://api.example/v1/', 'user', 'https://api.example/v1/user'],
    ['https://api.example/v1/', '//evil.example/x', 'https://api.example/v1/evil.example/x'],
    ['https://api.example/', 'https://other.example/x', 'https://other.example/x'],
  ])('%s + %s', (base, url, expected) => {
    expect(app2({ apiBaseUrl: base }).resolveUrl(url)).toBe(expected);
  });

  it('needs apiBaseUrl for a relative URL', () => {
    const app = new OAuth2App(
      resolveClientOptions('x', {
        clientId: 'i',
        accessTokenUrl: 'https://a.example/t',
        authorizeUrl: 'https://a.example/a',
      }),
    );
    expect(() => app.resolveUrl('/user')).toThrow(
      expect.objectContaining({ code: 'OAUTH_NO_API_BASE_URL' }),
    );
  });
});

describe('token lookup', () => {
  it('outside a request and without init.token: MissingTokenError, fetchToken not called', async () => {
    const calls: unknown[] = [];
    const app = app2({}, { fetchToken: (...args: unknown[]) => void calls.push(args) });
    await expect(app.get(FAULT_ROUTES.resource)).rejects.toThrow(MissingTokenError);
    await expect(app.get(FAULT_ROUTES.resource)).rejects.toThrow(
      'no access token for OAuth client "api": no request is being served; pass init.token',
    );
    expect(calls).toEqual([]);
  });

  it('inside a request: module-level fetchToken(name, request), the same request object', async () => {
    const request = { headers: {} };
    const calls: unknown[][] = [];
    const app = app2(
      {},
      { fetchToken: (...args: unknown[]) => (calls.push(args), { access_token: 'user-token' }) },
    );
    const res = await runWithRequest(request, () => app.get(FAULT_ROUTES.resource));
    expect(((await res.json()) as { authorization: string }).authorization).toBe(
      'Bearer user-token',
    );
    expect(calls).toEqual([['api', request]]);
    expect(calls[0][1]).toBe(request);
  });

  it('a per-client fetchToken wins; init.token wins over both', async () => {
    const moduleCalls: unknown[] = [];
    const app = app2(
      { fetchToken: (req) => ({ access_token: `client-${(req as { id: number }).id}` }) },
      { fetchToken: () => void moduleCalls.push(1) },
    );
    const viaClient = await runWithRequest({ id: 7 }, () => app.get(FAULT_ROUTES.resource));
    expect(((await viaClient.json()) as { authorization: string }).authorization).toBe(
      'Bearer client-7',
    );
    const explicit = await runWithRequest({ id: 8 }, () =>
      app.get(FAULT_ROUTES.resource, { token: { access_token: 'explicit' } }),
    );
    expect(((await explicit.json()) as { authorization: string }).authorization).toBe(
      'Bearer explicit',
    );
    expect(moduleCalls).toEqual([]);
  });

  it('fetchToken finding nothing: MissingTokenError', async () => {
    const app = app2({}, { fetchToken: () => null });
    await expect(runWithRequest({}, () => app.get(FAULT_ROUTES.resource))).rejects.toThrow(
      'no access token for OAuth client "api": fetchToken found none; pass init.token',
    );
  });
});

describe('refresh', () => {
  it('refreshes at refreshTokenUrl with refreshTokenParams, calls the per-client updateToken, publishes', async () => {
    const updates: unknown[][] = [];
    const moduleUpdates: unknown[] = [];
    const published: any[] = [];
    const app = app2(
      {
        accessTokenUrl: 'https://unused.example/token',
        refreshTokenUrl: faults.url(FAULT_ROUTES.refresh),
        refreshTokenParams: { resource: 'https://api.example', audience: 'x' },
        updateToken: (...args) => void updates.push(args),
      },
      {
        updateToken: () => void moduleUpdates.push(1),
        publishTokenUpdated: (e: unknown) => published.push(e),
      },
    );
    const request = { id: 'req' };
    const res = await runWithRequest(request, () =>
      app.get(FAULT_ROUTES.resource, { token: expired() }),
    );
    expect(((await res.json()) as { authorization: string }).authorization).toBe('Bearer access-1');
    const refresh = faults.requests.find((r) => r.form.grant_type === 'refresh_token')!;
    expect(refresh.form).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'old-refresh',
      resource: 'https://api.example',
      audience: 'x',
    });
    expect(updates).toEqual([
      [
        expect.objectContaining({ access_token: 'access-1', refresh_token: 'refresh-1' }),
        { refreshToken: 'old-refresh', accessToken: 'old-access' },
        request,
      ],
    ]);
    expect(moduleUpdates).toEqual([]);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      name: 'api',
      refreshToken: 'old-refresh',
      accessToken: 'old-access',
    });
    expect(published[0].request).toBe(request);
    // The shared core client never keeps a user's token.
    expect(app.client.token).toBeUndefined();
  });

  it('without a per-client updateToken, calls the module-level one with the name', async () => {
    const updates: unknown[][] = [];
    const app = app2({}, { updateToken: (...args: unknown[]) => void updates.push(args) });
    await app.get(FAULT_ROUTES.resource, { token: expired() });
    expect(updates).toEqual([
      [
        'api',
        expect.objectContaining({ access_token: 'access-1' }),
        { refreshToken: 'old-refresh', accessToken: 'old-access' },
        undefined,
      ],
    ]);
  });
});

describe('OAuth1App', () => {
  it('creates a fresh core client per flow step, applying complianceFix each time', () => {
    const fixes: unknown[] = [];
    const app = new OAuth1App(
      resolveClientOptions('tw', {
        clientId: 'key',
        clientSecret: 'secret',
        requestTokenUrl: 'https://api.example/request_token',
        accessTokenUrl: 'https://api.example/access_token',
        authorizeUrl: 'https://api.example/authorize',
        clientKwargs: { signatureMethod: 'HMAC-SHA256' },
        complianceFix: (client) => void fixes.push(client),
      }),
    );
    const step = app.createClient();
    expect(step).not.toBe(app.client);
    expect(step.signatureMethod).toBe('HMAC-SHA256');
    expect(fixes).toEqual([app.client, step]);
  });
});

describe('where the user token may go (issue 11.7)', () => {
  const token = { access_token: 'user-access-token-0123', token_type: 'Bearer' };
  let other: FaultServer;
  beforeAll(async () => {
    // Another origin: a second server on 127.0.0.1 that echoes the Authorization it gets.
    other = await startFaultServer();
  });
  afterAll(() => other?.close());

  const call = (app: OAuth2App, url: string, init = {}) =>
    runWithRequest({ id: 'request' }, () => app.get(url, init));

  it('sends the token found for the request to apiBaseUrl, and refuses any other origin', async () => {
    const app = app2({}, { fetchToken: () => token });
    const ok = await call(app, FAULT_ROUTES.resource.slice(1));
    expect(await ok.json()).toMatchObject({ authorization: 'Bearer user-access-token-0123' });
    await expect(call(app, other.url(FAULT_ROUTES.resource))).rejects.toThrow(
      OAuthOriginNotAllowedError,
    );
    expect(other.requests).toEqual([]);
  });

  it('sends it to an origin listed in allowedOrigins', async () => {
    const app = app2({ allowedOrigins: [other.origin] }, { fetchToken: () => token });
    const res = await call(app, other.url(FAULT_ROUTES.resource));
    expect(await res.json()).toMatchObject({ authorization: 'Bearer user-access-token-0123' });
  });

  it('sends a token passed as init.token wherever the caller says', async () => {
    const app = app2({}, { fetchToken: () => token });
    const res = await call(app, other.url(FAULT_ROUTES.resource), { token });
    expect(await res.json()).toMatchObject({ authorization: 'Bearer user-access-token-0123' });
  });

  it("counts the provider's own endpoints as allowed (the UserInfo endpoint without apiBaseUrl)", () => {
    const app = new OAuth2App(
      resolveClientOptions('x', {
        clientId: 'i',
        accessTokenUrl: 'https://as.example/token',
        authorizeUrl: 'https://login.example/authorize',
        userinfoEndpoint: 'https://id.example/me',
      }),
    );
    expect(app.mayReceiveToken('https://id.example/me')).toBe(true);
    expect(app.mayReceiveToken('https://as.example/anything')).toBe(true);
    expect(app.mayReceiveToken('https://evil.example/')).toBe(false);
    expect(app.mayReceiveToken('not a url')).toBe(false);
  });
});
