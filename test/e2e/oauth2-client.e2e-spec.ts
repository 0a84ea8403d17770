/**
 * OAuth2Client end to end against a real OpenID provider (oidc-provider 9 on
 * 127.0.0.1): the code flow with PKCE under every token endpoint
 * authentication method, client credentials, refresh with rotation,
 * revocation, introspection, protected requests, state and issuer checks,
 * extra parameters, and signing-key rotation.
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { MismatchingStateError, OAuthError } from '../../lib/core/errors.js';
import { OAuth2Client, type OAuth2ClientOptions } from '../../lib/core/oauth2/oauth2-client.js';
import type { OAuth2Token } from '../../lib/core/token.js';
import { BrowserClient, parseForms } from '../fixtures/browser-client.js';
import {
  PRIVATE_KEY_CLIENTS,
  TEST_USER,
  accountClaims,
  startOidcProvider,
  type FixtureClient,
  type OidcProviderFixture,
  type RecordedRequest,
} from '../fixtures/oidc-provider.js';

/** The app's callback: never requested (nothing listens on port 1). */
const REDIRECT_URI = 'http://127.0.0.1:1/auth/callback';
const SCOPE = 'openid email profile';

let op: OidcProviderFixture;

beforeAll(async () => {
  op = await startOidcProvider({ redirectUris: [REDIRECT_URI] });
});
afterAll(() => op?.close());
afterEach(() => expect(op.serverErrors).toEqual([]));

/** Client options for one of the provider's clients, under the given auth method. */
type AuthCase = [
  label: string,
  pick: () => FixtureClient,
  extra: (c: FixtureClient) => Partial<OAuth2ClientOptions>,
];

const AUTH_CASES: AuthCase[] = [
  ['client_secret_basic', () => op.clients.basic, () => ({})],
  ['client_secret_basic (special characters)', () => op.clients.basicSpecial, () => ({})],
  ['client_secret_post', () => op.clients.post, () => ({})],
  ['client_secret_jwt', () => op.clients.secretJwt, () => ({})],
  ...Object.entries(PRIVATE_KEY_CLIENTS).flatMap(([alg, name]): AuthCase[] => [
    [`private_key_jwt ${alg} (JWK)`, () => op.clients[name], (c) => ({ clientKey: c.privateJwk })],
    [
      `private_key_jwt ${alg} (PEM)`,
      () => op.clients[name],
      // A PEM RSA key does not say whether it signs RS256 or PS256.
      (c) => ({ clientKey: c.privatePem, ...(alg === 'PS256' ? { clientKeyAlg: 'PS256' } : {}) }),
    ],
  ]),
  ['none', () => op.clients.public, () => ({})],
];

function newClient(fixture: FixtureClient, extra: Partial<OAuth2ClientOptions> = {}): OAuth2Client {
  return new OAuth2Client({
    clientId: fixture.clientId,
    clientSecret: fixture.clientSecret,
    tokenEndpointAuthMethod: fixture.authMethod,
    redirectUri: REDIRECT_URI,
    scope: SCOPE,
    serverMetadataUrl: op.discoveryUrl,
    timeout: 5000,
    ...extra,
  });
}

/** Runs the front channel: authorization URL, login and consent; returns the callback URL. */
async function authorize(
  client: OAuth2Client,
  params: Record<string, unknown> = {},
  browser = new BrowserClient(),
) {
  await client.loadServerMetadata();
  const auth = client.createAuthorizationUrl(undefined, params);
  const { callbackUrl } = await browser.loginAtProvider(auth.url);
  return { auth, callbackUrl };
}

/** The requests the provider received at `path` since `mark`. */
function requestsAt(path: string, since = 0): RecordedRequest[] {
  return op.requests.slice(since).filter((r) => r.path === path);
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** Checks that a token request carried the credentials of `method`, and only those. */
function expectClientAuth(
  req: RecordedRequest,
  fixture: FixtureClient,
  expected: Partial<OAuth2ClientOptions>,
) {
  const body = req.body ?? {};
  switch (fixture.authMethod) {
    case 'client_secret_basic': {
      const header = String(req.headers.authorization);
      expect(header).toMatch(/^Basic /);
      expect(body).not.toHaveProperty('client_secret');
      expect(body).not.toHaveProperty('client_assertion');
      if (fixture.clientId === 'id:with space') {
        // RFC 6749 §2.3.1: each part form-encoded before base64.
        expect(Buffer.from(header.slice(6), 'base64').toString()).toBe(
          'id%3Awith+space:s3cr3t%2B%2F%3D%3A%25',
        );
      }
      break;
    }
    case 'client_secret_post':
      expect(req.headers.authorization).toBeUndefined();
      expect(body).toMatchObject({
        client_id: fixture.clientId,
        client_secret: fixture.clientSecret,
      });
      break;
    case 'client_secret_jwt':
    case 'private_key_jwt': {
      expect(req.headers.authorization).toBeUndefined();
      expect(body).not.toHaveProperty('client_secret');
      expect(body.client_assertion_type).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      const header = decodeProtectedHeader(String(body.client_assertion));
      expect(header.alg).toBe(fixture.signingAlg);
      if (expected.clientKey && typeof expected.clientKey === 'object')
        expect(header.kid).toBe(fixture.kid);
      break;
    }
    case 'none':
      expect(req.headers.authorization).toBeUndefined();
      expect(body).toMatchObject({ client_id: fixture.clientId });
      expect(body).not.toHaveProperty('client_secret');
      expect(body).not.toHaveProperty('client_assertion');
      break;
    default:
      throw new Error(`unexpected method ${fixture.authMethod}`);
  }
}

describe.each(AUTH_CASES)('auth method %s', (label, pick, extraFor) => {
  let fixture: FixtureClient;
  let extra: Partial<OAuth2ClientOptions>;
  let client: OAuth2Client;
  let first: OAuth2Token;
  let second: OAuth2Token;
  const updates: Array<[OAuth2Token, { refreshToken?: string; accessToken?: string }]> = [];

  beforeAll(() => {
    fixture = pick();
    extra = extraFor(fixture);
    client = newClient(fixture, {
      ...extra,
      updateToken: (token, ctx) => {
        updates.push([token, ctx]);
      },
    });
  });

  it('runs the code flow with PKCE S256 and validates the ID token', async () => {
    const { auth, callbackUrl } = await authorize(client);
    const sent = new URL(auth.url).searchParams;
    expect(sent.get('code_challenge_method')).toBe('S256');
    expect(sent.get('code_challenge')).toBe(s256(auth.codeVerifier!));
    expect(sent.get('state')).toBe(auth.state);
    expect(sent.get('nonce')).toBe(auth.nonce);

    const mark = op.requests.length;
    first = await client.fetchToken(undefined, { authorizationResponse: callbackUrl });
    expect(first).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: expect.stringContaining('openid'),
    });
    expect(first.access_token).toEqual(expect.any(String));
    expect(first.refresh_token).toEqual(expect.any(String));
    expect(first.expires_at).toBeGreaterThanOrEqual(now() + 3590);
    expect(first.expires_at).toBeLessThanOrEqual(now() + 3600);
    expect(first.userinfo).toMatchObject({
      ...TEST_USER,
      nonce: auth.nonce,
      aud: fixture.clientId,
      iss: op.issuer,
    });
    expect(client.token).toBe(first);

    const [tokenRequest] = requestsAt('/token', mark);
    expect(tokenRequest).toMatchObject({
      status: 200,
      body: {
        grant_type: 'authorization_code',
        code: new URL(callbackUrl).searchParams.get('code'),
        code_verifier: auth.codeVerifier,
        redirect_uri: REDIRECT_URI,
      },
    });
    expectClientAuth(tokenRequest, fixture, extra);
  });

  it('introspects the access token (active, client_id)', async () => {
    const mark = op.requests.length;
    const info = await client.introspectToken(undefined, {
      token: first.access_token,
      tokenTypeHint: 'access_token',
    });
    expect(info).toMatchObject({
      active: true,
      client_id: fixture.clientId,
      sub: TEST_USER.sub,
      token_type: 'Bearer',
    });
    const [req] = requestsAt('/token/introspection', mark);
    expect(req.body).toMatchObject({ token: first.access_token, token_type_hint: 'access_token' });
    expectClientAuth(req, fixture, extra);
  });

  it('calls the userinfo endpoint with the bearer token', async () => {
    const mark = op.requests.length;
    const res = await client.get(`${op.issuer}/me`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(TEST_USER);
    expect(requestsAt('/me', mark)[0].headers.authorization).toBe(`Bearer ${first.access_token}`);
    expect(await client.userinfo()).toEqual(TEST_USER);
  });

  it('refreshes with rotation: the new refresh token reaches updateToken with the old one', async () => {
    const mark = op.requests.length;
    second = await client.refreshToken(undefined, { audience_hint: 'extra-refresh-param' });
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(client.token).toBe(second);
    expect(updates).toHaveLength(1);
    expect(updates[0][0]).toBe(second);
    expect(updates[0][0].refresh_token).toBe(second.refresh_token);
    expect(updates[0][1]).toEqual({
      refreshToken: first.refresh_token,
      accessToken: first.access_token,
    });

    const [req] = requestsAt('/token', mark);
    expect(req.body).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      audience_hint: 'extra-refresh-param',
    });
    expectClientAuth(req, fixture, extra);
  });

  it('revokes the access token; introspection then says active: false', async () => {
    const mark = op.requests.length;
    await client.revokeToken(undefined, {
      token: second.access_token,
      tokenTypeHint: 'access_token',
    });
    const [req] = requestsAt('/token/revocation', mark);
    expect(req).toMatchObject({ status: 200, body: { token: second.access_token } });
    expectClientAuth(req, fixture, extra);
    expect(await client.introspectToken(undefined, { token: second.access_token })).toEqual({
      active: false,
    });
    const res = await client.get(`${op.issuer}/me`);
    expect(res.status).toBe(401);
    await res.arrayBuffer();
  });

  it('sees the old refresh token refused once it was rotated', async () => {
    const err = await client.refreshToken(undefined, { refreshToken: first.refresh_token }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({
      error: 'invalid_grant',
      status: 400,
      endpoint: `${op.issuer}/token`,
    });
    const text = `${(err as Error).message} ${JSON.stringify(err)} ${inspect(err)}`;
    expect(text).not.toContain(first.refresh_token!);
    if (fixture.clientSecret) expect(text).not.toContain(fixture.clientSecret);
  });

  // A public client has no client_credentials grant.
  if (label !== 'none') {
    it('obtains a client_credentials token and passes extra parameters through', async () => {
      const cc = newClient(fixture, { ...extra, scope: 'api:read' });
      const mark = op.requests.length;
      const token = await cc.fetchToken(undefined, { tenant_hint: 'acme' });
      expect(token).toMatchObject({ token_type: 'Bearer', scope: 'api:read', expires_in: 600 });
      expect(token).not.toHaveProperty('refresh_token');
      const [req] = requestsAt('/token', mark);
      expect(req.body).toMatchObject({
        grant_type: 'client_credentials',
        scope: 'api:read',
        tenant_hint: 'acme',
      });
      expectClientAuth(req, fixture, extra);
      expect(await cc.introspectToken(undefined, { token: token.access_token })).toMatchObject({
        active: true,
        client_id: fixture.clientId,
        scope: 'api:read',
      });
    });
  }
});

describe('PKCE', () => {
  it('sends plain challenges as the verifier; oidc-provider 9 only accepts S256 and says so', async () => {
    const client = newClient(op.clients.basic, { codeChallengeMethod: 'plain' });
    await client.loadServerMetadata();
    const auth = client.createAuthorizationUrl();
    const sent = new URL(auth.url).searchParams;
    expect(sent.get('code_challenge_method')).toBe('plain');
    expect(sent.get('code_challenge')).toBe(auth.codeVerifier);
    expect(auth.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);

    const nav = await new BrowserClient().navigate(auth.url, {
      stopAt: (u) => u.origin !== op.issuer,
    });
    const err = await client.fetchToken(undefined, { authorizationResponse: nav.stoppedAt }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({
      error: 'invalid_request',
      description: 'not supported value of code_challenge_method',
    });
  });

  it('cannot go without PKCE for a public client', async () => {
    const client = newClient(op.clients.public, { codeChallengeMethod: false });
    await client.loadServerMetadata();
    const auth = client.createAuthorizationUrl();
    expect(new URL(auth.url).searchParams.has('code_challenge')).toBe(false);
    expect(auth.codeVerifier).toBeUndefined();
    const nav = await new BrowserClient().navigate(auth.url, {
      stopAt: (u) => u.origin !== op.issuer,
    });
    await expect(
      client.fetchToken(undefined, { authorizationResponse: nav.stoppedAt }),
    ).rejects.toMatchObject({
      error: 'invalid_request',
      description: expect.stringMatching(/PKCE/),
    });
  });

  it('refuses a code exchanged with another verifier (invalid_grant)', async () => {
    const client = newClient(op.clients.public);
    const { callbackUrl } = await authorize(client);
    const err = await client
      .fetchToken(undefined, { authorizationResponse: callbackUrl, codeVerifier: 'x'.repeat(43) })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ error: 'invalid_grant', status: 400 });
    const code = new URL(callbackUrl).searchParams.get('code')!;
    expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain(code);
  });
});

describe('authorization response checks', () => {
  it('rejects a state mismatch with MismatchingStateError before spending the code', async () => {
    const client = newClient(op.clients.basic);
    const { callbackUrl } = await authorize(client);
    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'attacker-state');
    const mark = op.requests.length;
    const err = await client
      .fetchToken(undefined, { authorizationResponse: forged.toString() })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(MismatchingStateError);
    expect(err).toMatchObject({ error: 'mismatching_state' });
    expect(requestsAt('/token', mark)).toEqual([]);
    expect((err as Error).message).not.toContain(forged.searchParams.get('code')!);

    // the state given explicitly is checked too, and a missing state is a mismatch
    const noState = new URL(callbackUrl);
    noState.searchParams.delete('state');
    await expect(
      client.fetchToken(undefined, { authorizationResponse: noState.toString() }),
    ).rejects.toBeInstanceOf(MismatchingStateError);

    // the genuine response still works afterwards (the code was not spent)
    const token = await client.fetchToken(undefined, { authorizationResponse: callbackUrl });
    expect(token.userinfo).toMatchObject({ sub: TEST_USER.sub });
  });

  it('checks the RFC 9207 iss parameter the provider sends', async () => {
    const client = newClient(op.clients.basic);
    const { callbackUrl } = await authorize(client);
    expect(new URL(callbackUrl).searchParams.get('iss')).toBe(op.issuer);
    const mixedUp = new URL(callbackUrl);
    mixedUp.searchParams.set('iss', 'https://evil.example.com');
    await expect(
      client.fetchToken(undefined, { authorizationResponse: mixedUp.toString() }),
    ).rejects.toMatchObject({ error: 'invalid_issuer' });
  });

  it('turns a denied consent into OAuthError access_denied', async () => {
    const client = newClient(op.clients.basic);
    await client.loadServerMetadata();
    const auth = client.createAuthorizationUrl();
    const { callbackUrl } = await new BrowserClient().loginAtProvider(auth.url, { consent: false });
    const err = await client.fetchToken(undefined, { authorizationResponse: callbackUrl }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({
      error: 'access_denied',
      description: 'End-User aborted interaction',
    });
  });
});

describe('extra parameters', () => {
  it('pass through the authorization URL to the provider (login_hint pre-fills the login form)', async () => {
    const client = newClient(op.clients.basic);
    await client.loadServerMetadata();
    const auth = client.createAuthorizationUrl(undefined, {
      login_hint: 'bob',
      ui_locales: 'fr-CA',
      prompt: 'login',
    });
    const sent = new URL(auth.url).searchParams;
    expect(sent.get('login_hint')).toBe('bob');
    expect(sent.get('ui_locales')).toBe('fr-CA');
    expect(sent.get('client_id')).toBe(op.clients.basic.clientId);
    expect(sent.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(sent.get('response_type')).toBe('code');
    expect(sent.get('scope')).toBe(SCOPE);

    const browser = new BrowserClient();
    const page = await browser.navigate(auth.url, { stopAt: (u) => u.origin !== op.issuer });
    const login = parseForms(page.last.body, page.last.url).find(
      (f) => f.fields.prompt === 'login',
    );
    expect(login?.fields.login).toBe('bob');
    // submit the form as the provider filled it in: the user is bob
    const afterLogin = await browser.submitForm(
      page.last,
      { password: 'x' },
      {
        stopAt: (u) => u.origin !== op.issuer,
        match: (f) => f.fields.prompt === 'login',
      },
    );
    const { callbackUrl } = await browser.loginAtProvider(afterLogin);

    const mark = op.requests.length;
    const token = await client.fetchToken(undefined, {
      authorizationResponse: callbackUrl,
      device_hint: 'tv',
    });
    expect(token.userinfo).toMatchObject(accountClaims('bob'));
    expect(requestsAt('/token', mark)[0].body).toMatchObject({ device_hint: 'tv' });
  });
});

describe('automatic refresh before a protected request', () => {
  it('refreshes an expired token once, then sends the new bearer token', async () => {
    const updates: OAuth2Token[] = [];
    const client = newClient(op.clients.post, { updateToken: (t) => void updates.push(t) });
    const { callbackUrl } = await authorize(client);
    const issued = await client.fetchToken(undefined, { authorizationResponse: callbackUrl });
    client.token = { ...issued, expires_at: now() - 5 };

    const mark = op.requests.length;
    const res = await client.get(`${op.issuer}/me`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sub: TEST_USER.sub });
    const refreshes = requestsAt('/token', mark);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].body).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: issued.refresh_token,
    });
    expect(updates).toHaveLength(1);
    expect(updates[0].refresh_token).not.toBe(issued.refresh_token);
    const [me] = requestsAt('/me', mark);
    expect(me.headers.authorization).toBe(`Bearer ${updates[0].access_token}`);
    expect(client.token?.access_token).toBe(updates[0].access_token);
  });
});

describe('pure OAuth 2 with configured endpoints (no discovery, no openid)', () => {
  it('runs code + PKCE, refresh and revocation of the refresh token', async () => {
    const fixture = op.clients.basic;
    const client = new OAuth2Client({
      clientId: fixture.clientId,
      clientSecret: fixture.clientSecret,
      redirectUri: REDIRECT_URI,
      scope: 'api:read',
      authorizationEndpoint: `${op.issuer}/auth`,
      tokenEndpoint: `${op.issuer}/token`,
      revocationEndpoint: `${op.issuer}/token/revocation`,
      introspectionEndpoint: `${op.issuer}/token/introspection`,
    });
    const auth = client.createAuthorizationUrl();
    expect(auth.nonce).toBeUndefined();
    const { callbackUrl } = await new BrowserClient().loginAtProvider(auth.url);
    const token = await client.fetchToken(undefined, { authorizationResponse: callbackUrl });
    expect(token.id_token).toBeUndefined();
    expect(token.refresh_token).toEqual(expect.any(String));
    const refreshed = await client.refreshToken();
    expect(refreshed.refresh_token).not.toBe(token.refresh_token);
    await client.revokeToken(undefined, {
      token: refreshed.refresh_token!,
      tokenTypeHint: 'refresh_token',
    });
    expect(await client.introspectToken(undefined, { token: refreshed.refresh_token! })).toEqual({
      active: false,
    });
    await expect(client.refreshToken()).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

describe('signing key rotation', () => {
  let rotating: OidcProviderFixture;
  beforeAll(async () => {
    rotating = await startOidcProvider({ redirectUris: [REDIRECT_URI] });
  });
  afterAll(() => rotating?.close());

  it('re-fetches the JWK set once when an ID token carries an unknown kid', async () => {
    const fixture = rotating.clients.basic;
    const client = new OAuth2Client({
      clientId: fixture.clientId,
      clientSecret: fixture.clientSecret,
      redirectUri: REDIRECT_URI,
      scope: SCOPE,
      serverMetadataUrl: rotating.discoveryUrl,
    });
    const browser = new BrowserClient();
    const login = async () => {
      await client.loadServerMetadata();
      const auth = client.createAuthorizationUrl();
      const { callbackUrl } = await browser.loginAtProvider(auth.url);
      return client.fetchToken(undefined, { authorizationResponse: callbackUrl });
    };
    const jwksFetches = () => rotating.requests.filter((r) => r.path === '/jwks').length;

    const before = await login();
    expect(decodeProtectedHeader(before.id_token!).kid).toBe(rotating.signingKid);
    expect(jwksFetches()).toBe(1);
    await login();
    expect(jwksFetches()).toBe(1); // cached

    const kid = await rotating.rotateKeys();
    const after = await login();
    expect(decodeProtectedHeader(after.id_token!).kid).toBe(kid);
    expect(after.userinfo).toMatchObject({ sub: TEST_USER.sub });
    expect(jwksFetches()).toBe(2);
  });
});
