import { OAuth2Client } from '../../../../lib/core/oauth2/oauth2-client.js';
import {
  MismatchingStateError,
  MissingTokenError,
  OAuthError,
  TokenExpiredError,
} from '../../../../lib/core/errors.js';
import { createCodeChallenge } from '../../../../lib/core/oauth2/pkce.js';

/** A stubbed fetch for single branches; flows are proven against real servers in test/e2e. */
function stubFetch(respond: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    return respond(String(input), init);
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('OAuth2Client.createAuthorizationUrl', () => {
  const client = () =>
    new OAuth2Client({
      clientId: 'app',
      redirectUri: 'https://app.example/cb',
      scope: ['openid', 'email'],
      authorizationEndpoint: 'https://as.example/authorize?tenant=t1',
    });

  it('sends state, an S256 challenge of the verifier it returns, and a nonce for openid', () => {
    const { url, state, codeVerifier, nonce } = client().createAuthorizationUrl(undefined, {
      prompt: 'login',
    });
    const q = new URL(url).searchParams;
    expect(q.get('tenant')).toBe('t1');
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('app');
    expect(q.get('redirect_uri')).toBe('https://app.example/cb');
    expect(q.get('scope')).toBe('openid email');
    expect(q.get('state')).toBe(state);
    expect(state).toMatch(/^[\w-]{43}$/);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toBe(createCodeChallenge(codeVerifier!, 'S256'));
    expect(q.get('nonce')).toBe(nonce);
    expect(q.get('prompt')).toBe('login');
  });

  it('never repeats a state, and honours a given one', () => {
    const c = client();
    expect(c.createAuthorizationUrl().state).not.toBe(c.createAuthorizationUrl().state);
    expect(c.createAuthorizationUrl(undefined, { state: 'given' }).state).toBe('given');
  });

  it('turns PKCE off only when asked, and sends no nonce without openid', () => {
    const c = new OAuth2Client({ clientId: 'a', codeChallengeMethod: false, scope: 'repo' });
    const q = new URL(c.createAuthorizationUrl('https://as.example/auth').url).searchParams;
    expect(q.has('code_challenge')).toBe(false);
    expect(q.has('nonce')).toBe(false);
  });

  it('returns the max_age it sent, so a stateless caller can have auth_time checked', () => {
    const c = new OAuth2Client({ clientId: 'a', stateless: true, scope: 'openid' });
    const flow = c.createAuthorizationUrl('https://as.example/auth', { max_age: 300 });
    expect(new URL(flow.url).searchParams.get('max_age')).toBe('300');
    expect(flow.maxAge).toBe(300);
    expect(c.createAuthorizationUrl('https://as.example/auth').maxAge).toBeUndefined();
  });

  it('needs an endpoint', () => {
    expect(() => new OAuth2Client({}).createAuthorizationUrl()).toThrow(
      expect.objectContaining({ code: 'ERR_OAUTH_NO_ENDPOINT' }),
    );
  });
});

describe('OAuth2Client.fetchToken with an authorization response', () => {
  it('refuses a mismatching or missing state before any network call', async () => {
    const { fetch, calls } = stubFetch(() => json({ access_token: 'x' }));
    const c = new OAuth2Client({
      clientId: 'a',
      tokenEndpoint: 'https://as.example/token',
      fetch,
      codeChallengeMethod: false,
    });
    c.createAuthorizationUrl('https://as.example/auth', { state: 's1' });
    await expect(
      c.fetchToken(undefined, { authorizationResponse: 'https://app/cb?code=c&state=s2' }),
    ).rejects.toBeInstanceOf(MismatchingStateError);
    await expect(
      c.fetchToken(undefined, { authorizationResponse: 'https://app/cb?code=c' }),
    ).rejects.toBeInstanceOf(MismatchingStateError);
    await expect(
      new OAuth2Client({ fetch }).fetchToken('https://as.example/token', {
        authorizationResponse: 'https://app/cb?code=c&state=x',
      }),
    ).rejects.toBeInstanceOf(MismatchingStateError);
    expect(calls).toHaveLength(0);
  });

  it('raises the provider error from the redirect, with its description', async () => {
    const c = new OAuth2Client({ clientId: 'a', tokenEndpoint: 'https://as.example/token' });
    const err = await c
      .fetchToken(undefined, {
        state: 's',
        authorizationResponse:
          'https://app/cb?error=access_denied&error_description=User+said+no&state=s',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ error: 'access_denied', description: 'User said no' });
  });

  it('reads an implicit-grant token from the fragment without calling the token endpoint', async () => {
    const { fetch, calls } = stubFetch(() => json({}));
    const c = new OAuth2Client({ clientId: 'a', fetch });
    const token = await c.fetchToken(undefined, {
      state: 's',
      authorizationResponse:
        'https://app/cb#access_token=tok&token_type=bearer&expires_in=60&state=s',
    });
    expect(token).toMatchObject({ access_token: 'tok', token_type: 'bearer', expires_in: 60 });
    expect(token.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(calls).toHaveLength(0);
  });

  it('exchanges the code with redirect_uri and code_verifier, and passes extra parameters', async () => {
    const { fetch, calls } = stubFetch(() => json({ access_token: 'at', token_type: 'Bearer' }));
    const c = new OAuth2Client({
      clientId: 'a',
      clientSecret: 's',
      redirectUri: 'https://app/cb',
      fetch,
    });
    const { state, codeVerifier } = c.createAuthorizationUrl('https://as.example/auth');
    await c.fetchToken('https://as.example/token', {
      authorizationResponse: `https://app/cb?code=C1&state=${state}`,
      resource: 'urn:api',
    });
    const body = new URLSearchParams(String(calls[0].init.body));
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'authorization_code',
      code: 'C1',
      redirect_uri: 'https://app/cb',
      code_verifier: codeVerifier,
      resource: 'urn:api',
    });
    expect(new Headers(calls[0].init.headers).get('authorization')).toBe(
      `Basic ${Buffer.from('a:s').toString('base64')}`,
    );
  });
});

describe('OAuth2Client grants and tokens', () => {
  it('uses the password grant with username and password, client_credentials otherwise', async () => {
    const { fetch, calls } = stubFetch(() => json({ access_token: 'at' }));
    const c = new OAuth2Client({
      clientId: 'a',
      tokenEndpointAuthMethod: 'client_secret_post',
      clientSecret: 's',
      scope: 'x y',
      fetch,
    });
    await c.fetchToken('https://as.example/token', { username: 'u', password: 'p' });
    await c.fetchToken('https://as.example/token');
    expect(Object.fromEntries(new URLSearchParams(String(calls[0].init.body)))).toEqual({
      grant_type: 'password',
      username: 'u',
      password: 'p',
      scope: 'x y',
      client_id: 'a',
      client_secret: 's',
    });
    expect(new URLSearchParams(String(calls[1].init.body)).get('grant_type')).toBe(
      'client_credentials',
    );
  });

  it('calls a success without access_token a MissingTokenError', async () => {
    const { fetch } = stubFetch(() => json({ token_type: 'bearer' }));
    await expect(
      new OAuth2Client({ fetch }).fetchToken('https://as.example/token'),
    ).rejects.toBeInstanceOf(MissingTokenError);
  });

  it('refuses a request on an expired token it cannot refresh', async () => {
    const { fetch, calls } = stubFetch(() => json({}));
    const c = new OAuth2Client({ fetch, token: { access_token: 'old', expires_at: 1 } });
    await expect(c.get('https://api.example/me')).rejects.toBeInstanceOf(TokenExpiredError);
    await expect(new OAuth2Client({ fetch }).get('https://api.example/me')).rejects.toBeInstanceOf(
      MissingTokenError,
    );
    expect(calls).toHaveLength(0);
  });

  it("sends the bearer token with the caller's headers, replacing a caller's Authorization whatever its case", async () => {
    const { fetch, calls } = stubFetch(() => json({ ok: true }));
    const c = new OAuth2Client({ fetch, token: { access_token: 'at-1', token_type: 'Bearer' } });
    await c.get('https://api.example/a');
    await c.get('https://api.example/b', {
      headers: { Accept: 'application/json', AUTHORIZATION: 'x' },
    });
    await c.get('https://api.example/c', { headers: new Headers({ 'x-list': '1' }) });
    await c.get('https://api.example/d', { headers: [['x-pair', '2']] });
    await c.get('https://api.example/e', { headers: { authorization: 'mine' }, withToken: false });
    const sent = calls.map((call) => Object.fromEntries(new Headers(call.init.headers)));
    expect(sent).toEqual([
      { authorization: 'Bearer at-1' },
      { accept: 'application/json', authorization: 'Bearer at-1' },
      { 'x-list': '1', authorization: 'Bearer at-1' },
      { 'x-pair': '2', authorization: 'Bearer at-1' },
      { authorization: 'mine' },
    ]);
  });

  it('runs compliance hooks, async ones too, in order', async () => {
    const { fetch, calls } = stubFetch((url) =>
      url.endsWith('/token')
        ? new Response('{"accessToken":"camel"}', {
            headers: { 'content-type': 'application/json' },
          })
        : json({ ok: true }),
    );
    const c = new OAuth2Client({ fetch });
    c.registerComplianceHook('accessTokenResponse', async (res) => {
      const data = (await res.json()) as { accessToken: string };
      return json({ access_token: data.accessToken, token_type: 'bearer' });
    });
    c.registerComplianceHook('protectedRequest', (req) => {
      req.headers.set('x-hooked', '1');
      return { ...req, url: `${req.url}?v=2` };
    });
    const token = await c.fetchToken('https://as.example/token');
    expect(token.access_token).toBe('camel');
    await c.get('https://api.example/me');
    expect(calls[1].url).toBe('https://api.example/me?v=2');
    const headers = new Headers(calls[1].init.headers);
    expect(headers.get('authorization')).toBe('Bearer camel');
    expect(headers.get('x-hooked')).toBe('1');
  });

  it('uses a custom auth method registered by name or given as a function', async () => {
    const { fetch, calls } = stubFetch(() => json({ access_token: 'at' }));
    const c = new OAuth2Client({ clientId: 'a', tokenEndpointAuthMethod: 'signed-header', fetch });
    c.registerClientAuthMethod('signed-header', async (client, _m, url, headers, body) => {
      headers.set('x-client', client.clientId!);
      return { url: `${url}?signed=1`, headers, body };
    });
    await c.fetchToken('https://as.example/token');
    expect(calls[0].url).toBe('https://as.example/token?signed=1');
    expect(new Headers(calls[0].init.headers).get('x-client')).toBe('a');
    await expect(
      new OAuth2Client({ tokenEndpointAuthMethod: 'nope', fetch }).fetchToken(
        'https://as.example/token',
      ),
    ).rejects.toMatchObject({
      code: 'ERR_OAUTH_AUTH_METHOD',
    });
  });
});

describe('OAuth2Client shared by many users (stateless)', () => {
  it("keeps no token and no flow values, so one user can never get another one's", async () => {
    const { fetch, calls } = stubFetch(() =>
      json({ access_token: 'user-a', token_type: 'bearer' }),
    );
    const c = new OAuth2Client({ clientId: 'a', fetch, stateless: true, scope: 'openid' });
    const flow = c.createAuthorizationUrl('https://as.example/auth');
    expect(flow.nonce).toBeDefined();
    expect([c.state, c.codeVerifier, c.nonce]).toEqual([undefined, undefined, undefined]);
    // Nothing kept means nothing to fall back on: an openid exchange without its nonce fails closed
    // (before the code is spent).
    await expect(
      c.fetchToken('https://as.example/token', { code: 'x', codeVerifier: flow.codeVerifier }),
    ).rejects.toMatchObject({ name: 'InvalidTokenError', claim: 'nonce' });
    expect(calls).toHaveLength(0);

    const plain = new OAuth2Client({ clientId: 'a', fetch, stateless: true, scope: 'api' });
    const plainFlow = plain.createAuthorizationUrl('https://as.example/auth');
    await plain.fetchToken('https://as.example/token', {
      code: 'x',
      codeVerifier: plainFlow.codeVerifier,
    });
    expect(plain.token).toBeUndefined();
    await expect(plain.get('https://api.example/me')).rejects.toBeInstanceOf(MissingTokenError);
  });

  it('sends refreshTokenParams with every refresh', async () => {
    const { fetch, calls } = stubFetch(() => json({ access_token: 'new', expires_in: 3600 }));
    const c = new OAuth2Client({
      fetch,
      stateless: true,
      tokenEndpoint: 'https://as.example/token',
      refreshTokenParams: { resource: 'urn:api' },
    });
    await c.ensureActiveToken({ access_token: 'old', refresh_token: 'r', expires_at: 1 });
    expect(Object.fromEntries(new URLSearchParams(String(calls[0].init.body)))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'r',
      resource: 'urn:api',
    });
  });
});

describe('OAuth2Client request timeouts', () => {
  it('gives fetch an abort signal by default, and none with timeout: 0', async () => {
    const token = { access_token: 't' };
    const withTimeout = stubFetch(() => json({}));
    await new OAuth2Client({ fetch: withTimeout.fetch, token }).get('https://api.example/a');
    expect(withTimeout.calls[0].init.signal).toBeInstanceOf(AbortSignal);
    const without = stubFetch(() => json({}));
    await new OAuth2Client({ fetch: without.fetch, token, timeout: 0 }).get(
      'https://api.example/a',
    );
    expect(without.calls[0].init.signal).toBeUndefined();
    expect(new Headers(without.calls[0].init.headers).get('authorization')).toBe('Bearer t');
  });
});

describe('OAuth2Client refreshTokenEndpoint', () => {
  it('exchanges codes at the token endpoint and refreshes at the refresh endpoint', async () => {
    const { fetch, calls } = stubFetch(() => json({ access_token: 'a', expires_in: 3600 }));
    const c = new OAuth2Client({
      fetch,
      stateless: true,
      tokenEndpoint: 'https://as.example/token',
      refreshTokenEndpoint: 'https://as.example/refresh',
    });
    await c.fetchToken(undefined, { code: 'c' });
    await c.ensureActiveToken({ access_token: 'old', refresh_token: 'r', expires_at: 1 });
    expect(calls.map((call) => call.url)).toEqual([
      'https://as.example/token',
      'https://as.example/refresh',
    ]);
  });
});
