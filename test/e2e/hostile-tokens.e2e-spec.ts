/**
 * Issue 11 items 3 and 9, "fail closed", and the ID-token checks no
 * end-to-end test guarded (aud, at_hash, refreshed-ID-token same user),
 * against the hostile provider (test/fixtures/hostile-provider.ts): token
 * responses a real provider would not send, signed with the provider's real
 * key so that only the check under test can refuse them. Over both
 * transports: the platform `fetch` and `nodeHttpFetch()`.
 */
import { InvalidResponseError, InvalidTokenError } from '../../lib/core/errors.js';
import { OAuth2Client, type OAuth2ClientOptions } from '../../lib/core/oauth2/oauth2-client.js';
import { fetchServerMetadata } from '../../lib/core/oidc/discovery.js';
import {
  describeOverTransports,
  HOSTILE_CLIENT,
  hostileClient,
  HOSTILE_NONCE,
  HOSTILE_ROUTES,
  HOSTILE_SUB,
  HOSTILE_TENANTS,
  ID_TOKEN_NAME,
  startHostileProvider,
  transport,
  type HostileProvider,
} from '../fixtures/hostile-provider.js';
import { failure } from '../fixtures/rejection.js';

const CODE = 'SplxlOBeZQQYbYS6WxSbIA';

let op: HostileProvider;

beforeAll(async () => {
  op = await startHostileProvider();
});
afterAll(() => op?.close());
beforeEach(() => op.reset());

/** An OpenID Connect client of the hostile provider (its valid tenant). */
const client = (options: Partial<OAuth2ClientOptions> = {}) =>
  hostileClient({
    scope: 'openid email',
    serverMetadataUrl: op.discoveryUrl(HOSTILE_TENANTS.valid),
    ...options,
  });

/** A code exchange at one of the provider's token routes, with the nonce its ID tokens carry. */
const exchange = (c: OAuth2Client, route: string, extra: Record<string, unknown> = {}) =>
  c.fetchToken(op.url(route), { code: CODE, nonce: HOSTILE_NONCE, ...extra });

const tokenCalls = () => op.requests.filter((r) => r.path.startsWith('/token'));

describeOverTransports('the baseline: a valid login at the hostile provider is accepted', () => {
  it('validates the ID token and merges UserInfo (the ID token has no email), ID token winning', async () => {
    const c = client();
    const token = await exchange(c, HOSTILE_ROUTES.token);
    expect(token.userinfo).toMatchObject({
      sub: HOSTILE_SUB,
      nonce: HOSTILE_NONCE,
      aud: HOSTILE_CLIENT.clientId,
      email: 'alice@example.com',
      // UserInfo says "Alice"; the ID token's claim wins the merge
      name: ID_TOKEN_NAME,
    });
    expect(c.token).toBe(token);
  });
});

describeOverTransports('OpenID code exchange needs a valid ID token (OIDC Core §3.1.3.3)', () => {
  it.each([
    ['missing', HOSTILE_ROUTES.noIdToken, 'id_token'],
    ['null', HOSTILE_ROUTES.nullIdToken, 'id_token'],
    ['an object', HOSTILE_ROUTES.objectIdToken, 'format'],
  ])(
    'id_token %s -> InvalidTokenError, and the client keeps no token',
    async (_what, route, claim) => {
      const c = client();
      const err = await failure(() => exchange(c, route));
      expect(err).toBeInstanceOf(InvalidTokenError);
      expect(err).toMatchObject({ error: 'invalid_token', claim });
      expect(c.token).toBeUndefined();
    },
  );

  it('without openid, a response without an ID token is a plain OAuth token', async () => {
    const token = await client({ scope: 'api' }).fetchToken(op.url(HOSTILE_ROUTES.noIdToken), {
      code: CODE,
    });
    expect(token).toMatchObject({ access_token: 'at-no-id' });
    expect(token.userinfo).toBeUndefined();
  });
});

describeOverTransports('a userinfo member in the token response is never trusted', () => {
  it('with a valid ID token: the user is the ID token’s, not the forged "admin"', async () => {
    const token = await exchange(client(), HOSTILE_ROUTES.userinfoMember);
    expect(token.userinfo).toMatchObject({ sub: HOSTILE_SUB, email: 'alice@example.com' });
    expect(token.userinfo?.name).toBe(ID_TOKEN_NAME);
    expect(JSON.stringify(token)).not.toContain('admin');
  });

  it('with openid and no ID token: refused', async () => {
    const err = await failure(() => exchange(client(), HOSTILE_ROUTES.userinfoMemberOnly));
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'id_token' });
  });

  it('without openid: dropped (no user at all)', async () => {
    const token = await client({ scope: 'api' }).fetchToken(
      op.url(HOSTILE_ROUTES.userinfoMemberOnly),
      { code: CODE },
    );
    expect(token.userinfo).toBeUndefined();
  });

  it('in a refresh response: dropped', async () => {
    const token = await client({ scope: 'api' }).refreshToken(
      op.url(HOSTILE_ROUTES.userinfoMemberOnly),
      { refreshToken: 'rt-1' },
    );
    expect(token.userinfo).toBeUndefined();
  });
});

describeOverTransports('fail closed: nothing to check against is an error, not a skip', () => {
  it('an openid code exchange with no expected nonce fails before the code is spent', async () => {
    const c = client({ stateless: true });
    const err = await failure(() => c.fetchToken(op.url(HOSTILE_ROUTES.token), { code: CODE }));
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'nonce' });
    expect(tokenCalls()).toEqual([]);
  });

  it('an ID token from a code exchange that did not ask for openid still needs a nonce', async () => {
    const err = await failure(() =>
      client({ scope: 'api' }).fetchToken(op.url(HOSTILE_ROUTES.token), { code: CODE }),
    );
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'nonce' });
  });

  it('an authorization response checked with no expected state fails before any call', async () => {
    const c = client({ stateless: true });
    const err = await failure(() =>
      c.fetchToken(undefined, {
        authorizationResponse: `http://127.0.0.1:1/cb?code=${CODE}&state=whatever`,
        nonce: HOSTILE_NONCE,
      }),
    );
    expect(err).toMatchObject({ name: 'MismatchingStateError', error: 'mismatching_state' });
    expect(tokenCalls()).toEqual([]);
  });
});

describeOverTransports('ID-token checks, end to end', () => {
  it('aud: an ID token issued to another client is refused', async () => {
    const err = await failure(() => exchange(client(), HOSTILE_ROUTES.wrongAudience));
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'aud' });
  });

  it('at_hash: an ID token bound to another access token is refused', async () => {
    const err = await failure(() => exchange(client(), HOSTILE_ROUTES.wrongAtHash));
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'at_hash' });
  });

  it('typ: an access token (at+jwt) signed by the provider is not an ID token', async () => {
    const err = await failure(() => exchange(client(), HOSTILE_ROUTES.accessTokenTyp));
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'typ' });
  });

  it('iat: idTokenMaxAge refuses an old (unexpired) ID token; without it the token is accepted', async () => {
    const err = await failure(() =>
      exchange(client({ idTokenMaxAge: 600 }), HOSTILE_ROUTES.oldIdToken),
    );
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'iat' });
    const token = await exchange(client(), HOSTILE_ROUTES.oldIdToken);
    expect(token.userinfo?.sub).toBe(HOSTILE_SUB);
  });

  it('a refreshed ID token about another user is refused; the client keeps the old token', async () => {
    const c = client();
    const first = await exchange(c, HOSTILE_ROUTES.token);
    const err = await failure(() => c.refreshToken(op.url(HOSTILE_ROUTES.otherUser)));
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'sub' });
    expect(c.token).toBe(first);
    // the same user again is fine
    const again = await c.refreshToken(op.url(HOSTILE_ROUTES.token));
    expect(again.userinfo?.sub).toBe(HOSTILE_SUB);
  });

  it('UserInfo about another user than the ID token is refused', async () => {
    const c = client({ userinfoEndpoint: op.url(HOSTILE_ROUTES.userinfoOtherUser) });
    const err = await failure(() => exchange(c, HOSTILE_ROUTES.token));
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'sub' });
  });
});

describeOverTransports('discovery metadata must name https endpoints', () => {
  it('refuses a plain-http endpoint on a host that is not loopback', async () => {
    const err = await failure(() =>
      fetchServerMetadata(op.discoveryUrl(HOSTILE_TENANTS.insecure), transport),
    );
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.message).toContain('"token_endpoint" is not https');
    const allowed = await fetchServerMetadata(op.discoveryUrl(HOSTILE_TENANTS.insecure), {
      ...transport,
      allowInsecureRequests: true,
    });
    expect(allowed.token_endpoint).toBe('http://op.example/token');
  });

  it('refuses a javascript: authorization endpoint, whatever allowInsecureRequests says', async () => {
    for (const allowInsecureRequests of [false, true]) {
      const c = client({
        serverMetadataUrl: op.discoveryUrl(HOSTILE_TENANTS.javascript),
        allowInsecureRequests,
      });
      const err = await failure(() => c.loadServerMetadata());
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect(err.message).toContain('"authorization_endpoint" is not an http(s) URL');
      expect(c.serverMetadata).toBeUndefined();
    }
  });

  it('refuses a plain-http metadata URL on a host that is not loopback, before any request', async () => {
    await expect(
      fetchServerMetadata('http://op.example/.well-known/openid-configuration', transport),
    ).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_OAUTH_INSECURE_URL' });
  });

  it('refuses a configured authorization endpoint that is not http(s)', () => {
    expect(() =>
      client({ serverMetadataUrl: undefined }).createAuthorizationUrl('javascript:alert(1)'),
    ).toThrow(expect.objectContaining({ code: 'ERR_OAUTH_INSECURE_URL' }));
  });
});
