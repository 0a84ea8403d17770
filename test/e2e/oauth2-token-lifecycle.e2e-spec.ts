/**
 * Token life cycle against oidc-provider: an expired client-credentials token
 * is obtained again by running the grant (once for 20 concurrent requests, as
 * Authlib does) instead of TokenExpiredError; revokeToken / introspectToken
 * take a token object or a string and default to the client's own token
 * (refresh token first for revocation).
 */
import { MissingTokenError, OAuthError, TokenExpiredError } from '../../lib/core/errors.js';
import { OAuth2Client, type OAuth2ClientOptions } from '../../lib/core/oauth2/oauth2-client.js';
import type { OAuth2Token } from '../../lib/core/token.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import { FAULT_ROUTES, startFaultServer, type FaultServer } from '../fixtures/fault-server.js';
import {
  startOidcProvider,
  type OidcProviderFixture,
  type RecordedRequest,
} from '../fixtures/oidc-provider.js';

const REDIRECT_URI = 'http://127.0.0.1:1/auth/callback';

let op: OidcProviderFixture;
/** Its `/resource` route echoes the Authorization header it got. */
let api: FaultServer;

beforeAll(async () => {
  [op, api] = await Promise.all([
    startOidcProvider({ redirectUris: [REDIRECT_URI] }),
    startFaultServer(),
  ]);
});
afterAll(() => Promise.all([op?.close(), api?.close()]));
afterEach(() => expect(op.serverErrors).toEqual([]));

function client(options: Partial<OAuth2ClientOptions> = {}): OAuth2Client {
  return new OAuth2Client({
    clientId: op.clients.basic.clientId,
    clientSecret: op.clients.basic.clientSecret,
    redirectUri: REDIRECT_URI,
    serverMetadataUrl: op.discoveryUrl,
    timeout: 5000,
    ...options,
  });
}

const since = (mark: number, path: string): RecordedRequest[] =>
  op.requests.slice(mark).filter((r) => r.path === path);
const grants = (mark: number, type: string) =>
  since(mark, '/token').filter((r) => r.body?.grant_type === type);
const expire = (token: OAuth2Token) => {
  token.expires_at = Math.floor(Date.now() / 1000) - 10;
};

describe('an expired client-credentials token', () => {
  it('20 concurrent requests run the grant once; all carry the new token', async () => {
    const updates: [OAuth2Token, unknown][] = [];
    const c = client({
      scope: 'api:read',
      updateToken: (token, context) => void updates.push([token, context]),
    });
    const first = await c.fetchToken();
    expect(first).not.toHaveProperty('refresh_token');
    expire(first);

    const mark = op.requests.length;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => c.get(api.url(FAULT_ROUTES.resource))),
    );
    const seen = await Promise.all(
      responses.map(async (r) => ((await r.json()) as { authorization: string }).authorization),
    );
    expect(grants(mark, 'client_credentials')).toHaveLength(1);
    expect(grants(mark, 'client_credentials')[0].body).toMatchObject({ scope: 'api:read' });
    const second = c.token!;
    expect(second.access_token).not.toBe(first.access_token);
    expect(new Set(seen)).toEqual(new Set([`Bearer ${second.access_token}`]));
    expect(updates).toEqual([[second, { accessToken: first.access_token }]]);
    // the new token is valid at the provider
    expect(await c.introspectToken(undefined, { token: second })).toMatchObject({ active: true });
  });

  it('with grantType: client_credentials, a token the client did not obtain itself', async () => {
    const stale = await client({ scope: 'api:read' }).fetchToken();
    expire(stale);
    const c = client({ scope: 'api:read', token: stale, grantType: 'client_credentials' });
    const mark = op.requests.length;
    const response = await c.get(api.url(FAULT_ROUTES.resource));
    expect(grants(mark, 'client_credentials')).toHaveLength(1);
    expect(await response.json()).toMatchObject({
      authorization: `Bearer ${c.token!.access_token}`,
    });
  });

  it('a token from another grant without a refresh token still throws TokenExpiredError', async () => {
    const c = client({ token: { access_token: 'from-a-login', expires_at: 1 } });
    const mark = op.requests.length;
    await expect(c.get(api.url(FAULT_ROUTES.resource))).rejects.toBeInstanceOf(TokenExpiredError);
    expect(since(mark, '/token')).toEqual([]);
  });
});

describe('revokeToken and introspectToken take the token in any form', () => {
  let c: OAuth2Client;
  let token: OAuth2Token;

  beforeEach(async () => {
    c = client({ scope: 'openid offline_access' });
    await c.loadServerMetadata();
    const flow = c.createAuthorizationUrl();
    const { callbackUrl } = await new BrowserClient().loginAtProvider(flow.url);
    token = await c.fetchToken(undefined, { authorizationResponse: callbackUrl });
    expect(token.refresh_token).toEqual(expect.any(String));
  });

  it("introspects the client's own access token by default", async () => {
    const mark = op.requests.length;
    expect(await c.introspectToken()).toMatchObject({ active: true, token_type: 'Bearer' });
    expect(since(mark, '/token/introspection')[0].body).toEqual({
      token: token.access_token,
      token_type_hint: 'access_token',
    });
  });

  it("revokes the client's own refresh token by default (refresh token first, as Authlib)", async () => {
    const mark = op.requests.length;
    await c.revokeToken();
    expect(since(mark, '/token/revocation')[0]).toMatchObject({
      status: 200,
      body: { token: token.refresh_token, token_type_hint: 'refresh_token' },
    });
    const err = await c.refreshToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ error: 'invalid_grant' });
  });

  it('takes a token object (its access token when it has no refresh token) or a string', async () => {
    const accessOnly = { ...token, refresh_token: undefined };
    const mark = op.requests.length;
    await c.revokeToken(undefined, { token: accessOnly });
    expect(since(mark, '/token/revocation')[0].body).toEqual({
      token: token.access_token,
      token_type_hint: 'access_token',
    });
    expect(await c.introspectToken(undefined, { token: token.access_token })).toEqual({
      active: false,
    });
    expect(await c.introspectToken(undefined, { token })).toEqual({ active: false });
  });

  it('without any token: a clear error and no request, never token=[object Object]', async () => {
    const bare = client();
    const mark = op.requests.length;
    await expect(bare.revokeToken()).rejects.toBeInstanceOf(MissingTokenError);
    await expect(bare.introspectToken()).rejects.toThrow('no token to introspect');
    await expect(bare.revokeToken(undefined, { token: {} as OAuth2Token })).rejects.toBeInstanceOf(
      MissingTokenError,
    );
    await expect(
      bare.revokeToken(undefined, { token: 42 as unknown as string }),
    ).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_OAUTH_INVALID_TOKEN' });
    expect(op.requests.slice(mark).filter((r) => r.path.startsWith('/token'))).toEqual([]);
  });
});
