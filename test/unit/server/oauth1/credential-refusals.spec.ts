/**
 * Hostile uses of credentials: request tokens used twice or by another
 * client, wrong verifiers, expired tokens, tokens of the wrong kind,
 * callbacks and realms a client may not use; the authorization endpoint's
 * refusals; and no refusal carrying a secret.
 */
import {
  ALICE,
  CALLBACK,
  CLIENTS,
  URLS,
  accessTokenRequest,
  alterRecords,
  approve,
  client,
  expectRefused,
  fetchRequestToken,
  formBody,
  issueAccessToken,
  makeProvider,
  refusal,
  resourceRequest,
  toServerRequest,
  type TestProvider,
} from './support.js';

/** A refusal of the user-facing endpoint: an HTML page (or a redirect to errorUri). */
async function expectPageRefused(promise: Promise<unknown>, status: number, problem: string) {
  const error = await refusal(promise);
  expect({ status: error.status, problem: error.problem }).toEqual({ status, problem });
  if (error.response.status !== 302) {
    expect(error.response.status).toBe(status);
    expect(error.response.headers['Content-Type']).toMatch(/^text\/html/);
    expect(error.response.body).toContain(error.advice);
  }
  return error;
}

let t: TestProvider;
beforeEach(() => {
  t = makeProvider();
});

const authorizeRequest = (oauthToken: string) => ({
  method: 'GET',
  url: `${URLS.authorize}?oauth_token=${encodeURIComponent(oauthToken)}`,
  headers: {},
});

describe('the token credentials request', () => {
  it('refuses a wrong verifier, and a verifier issued for another request token', async () => {
    const first = await fetchRequestToken(t);
    const second = await fetchRequestToken(t);
    await approve(t, first.oauth_token);
    const secondVerifier = await approve(t, second.oauth_token);
    await expectRefused(
      t.provider.accessToken(accessTokenRequest(t, first, 'x'.repeat(22))),
      401,
      'verifier_invalid',
    );
    await expectRefused(
      t.provider.accessToken(accessTokenRequest(t, first, secondVerifier)),
      401,
      'verifier_invalid',
    );
  });

  it('refuses a request token that was never approved', async () => {
    const requestToken = await fetchRequestToken(t);
    await expectRefused(
      t.provider.accessToken(accessTokenRequest(t, requestToken, 'x'.repeat(22))),
      401,
      'verifier_invalid',
    );
  });

  it('spends the request token: a second exchange is refused', async () => {
    const requestToken = await fetchRequestToken(t);
    const verifier = await approve(t, requestToken.oauth_token);
    expect(
      (await t.provider.accessToken(accessTokenRequest(t, requestToken, verifier))).status,
    ).toBe(200);
    await expectRefused(
      t.provider.accessToken(accessTokenRequest(t, requestToken, verifier)),
      401,
      'token_rejected',
    );
  });

  it('lets only one of two racing exchanges through', async () => {
    const requestToken = await fetchRequestToken(t);
    const verifier = await approve(t, requestToken.oauth_token);
    const outcomes = await Promise.allSettled([
      t.provider.accessToken(accessTokenRequest(t, requestToken, verifier)),
      t.provider.accessToken(accessTokenRequest(t, requestToken, verifier)),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ status: 401, problem: 'token_rejected' });
  });

  it('refuses another client using the request token (with its secret and verifier)', async () => {
    const requestToken = await fetchRequestToken(t);
    const verifier = await approve(t, requestToken.oauth_token);
    const thief = client({ clientId: CLIENTS.b.clientKey, clientSecret: CLIENTS.b.clientSecret });
    await expectRefused(
      t.provider.accessToken(accessTokenRequest(t, requestToken, verifier, thief)),
      401,
      'token_rejected',
    );
    // The rightful client still can.
    expect(
      (await t.provider.accessToken(accessTokenRequest(t, requestToken, verifier))).status,
    ).toBe(200);
  });

  it('refuses an expired request token', async () => {
    const requestToken = await fetchRequestToken(t);
    const verifier = await approve(t, requestToken.oauth_token);
    t.clock.now += 601;
    // The in-memory storage drops it (token_rejected); a storage that keeps it: token_expired.
    await expectRefused(
      t.provider.accessToken(accessTokenRequest(t, requestToken, verifier)),
      401,
      'token_rejected',
    );
    const keeping = makeProvider();
    const kept = await fetchRequestToken(keeping);
    const keptVerifier = await approve(keeping, kept.oauth_token);
    alterRecords(keeping.storage, 'getRequestToken', { expiresAt: keeping.clock.now - 1 });
    await expectRefused(
      keeping.provider.accessToken(accessTokenRequest(keeping, kept, keptVerifier)),
      401,
      'token_expired',
    );
  });

  it('refuses an access token where a request token is expected, and the reverse', async () => {
    const token = await issueAccessToken(t);
    await expectRefused(
      t.provider.accessToken(accessTokenRequest(t, token, 'x'.repeat(22))),
      401,
      'token_rejected',
    );
    const requestToken = await fetchRequestToken(t);
    await expectRefused(
      t.provider.verifyRequest(resourceRequest(t, requestToken)),
      401,
      'token_rejected',
    );
  });

  it('refuses an oauth_token on the request-token call', async () => {
    const signed = client().sign('POST', URLS.requestToken, {
      token: { oauth_token: 'some-token-value', oauth_token_secret: '' },
      oauthParams: { oauth_callback: CALLBACK },
      timestamp: t.clock.now,
    });
    await expectRefused(
      t.provider.requestToken(toServerRequest(signed)),
      400,
      'parameter_rejected',
    );
  });
});

describe('protected resources', () => {
  it('refuses another client signing with the token credentials of client A', async () => {
    const token = await issueAccessToken(t);
    const thief = client({ clientId: CLIENTS.b.clientKey, clientSecret: CLIENTS.b.clientSecret });
    await expectRefused(
      t.provider.verifyRequest(resourceRequest(t, token, thief)),
      401,
      'token_rejected',
    );
  });

  it('refuses an unknown token and an expired one', async () => {
    await expectRefused(
      t.provider.verifyRequest(
        resourceRequest(t, { oauth_token: 'unknown-token', oauth_token_secret: '' }),
      ),
      401,
      'token_rejected',
    );
    const token = await issueAccessToken(t);
    alterRecords(t.storage, 'getAccessToken', { expiresAt: t.clock.now });
    await expectRefused(t.provider.verifyRequest(resourceRequest(t, token)), 401, 'token_expired');
  });

  it('answers 403 permission_denied when the token lacks a required realm', async () => {
    const token = await issueAccessToken(t, client(), []);
    await expect(t.provider.verifyRequest(resourceRequest(t, token))).resolves.toBeDefined();
    await expectRefused(
      t.provider.verifyRequest(resourceRequest(t, token), ['photos']),
      403,
      'permission_denied',
    );
  });

  it('gives the verified request without the token secret', async () => {
    const token = await issueAccessToken(t);
    const oauth = await t.provider.verifyRequest(resourceRequest(t, token), ['photos']);
    expect(oauth).toMatchObject({ user: ALICE, realms: ['photos'], transport: 'header' });
    expect(JSON.stringify(oauth)).not.toContain(token.oauth_token_secret);
    expect(JSON.stringify(oauth)).not.toContain(token.oauth_token);
  });
});

describe('callbacks and realms of the request-token call', () => {
  it.each([
    ['another host', 'https://evil.example/cb'],
    ['another path', 'https://client.example/cb2'],
    ['another scheme', 'http://client.example/cb'],
    ['user info', 'https://user@client.example/cb'],
    ['a fragment', 'https://client.example/cb#x'],
    ['not a URI', 'cb'],
    ['OOB in capitals', 'OOB'],
  ])('refuses a callback with %s', async (_, callback) => {
    await expectRefused(fetchRequestToken(t, client(), callback), 400, 'parameter_rejected');
  });

  it('accepts oob, a registered callback, and one with its own query', async () => {
    for (const callback of ['oob', CALLBACK, `${CALLBACK}?session=1`]) {
      await expect(fetchRequestToken(t, client(), callback)).resolves.toBeDefined();
    }
  });

  it('refuses realms the client may not request', async () => {
    const c = client({ realm: 'photos admin' });
    await expectRefused(fetchRequestToken(t, c), 400, 'parameter_rejected');
    const pending = await t.provider.authorizationRequest(
      authorizeRequest(
        (await fetchRequestToken(t, client({ realm: 'photos profile' }))).oauth_token,
      ),
    );
    expect(pending.realms).toEqual(['photos', 'profile']);
  });
});

describe('the authorization endpoint', () => {
  it('refuses a missing, unknown, repeated or expired oauth_token with a page', async () => {
    const missing = await expectPageRefused(
      t.provider.authorizationRequest({ method: 'GET', url: URLS.authorize, headers: {} }),
      400,
      'parameter_absent',
    );
    expect(missing.response.headers['Content-Type']).toMatch(/^text\/html/);
    await expectPageRefused(
      t.provider.authorizationRequest(authorizeRequest('unknown-token')),
      401,
      'token_rejected',
    );
    const { oauth_token } = await fetchRequestToken(t);
    await expectPageRefused(
      t.provider.authorizationRequest({
        method: 'GET',
        url: `${URLS.authorize}?oauth_token=${oauth_token}&oauth_token=${oauth_token}`,
        headers: {},
      }),
      400,
      'parameter_rejected',
    );
    alterRecords(t.storage, 'getRequestToken', { expiresAt: t.clock.now });
    await expectPageRefused(
      t.provider.authorizationRequest(authorizeRequest(oauth_token)),
      401,
      'token_expired',
    );
  });

  it('sends the resource owner to errorUri when it is set', async () => {
    const withUri = makeProvider({ errorUri: 'https://provider.example/oauth/error' });
    const error = await expectPageRefused(
      withUri.provider.authorizationRequest(authorizeRequest('unknown-token')),
      401,
      'token_rejected',
    );
    expect(error.response.status).toBe(302);
    expect(error.response.headers.Location).toMatch(
      /^https:\/\/provider\.example\/oauth\/error\?error=token_rejected&error_description=/,
    );
  });

  it('refuses plain http while enforceSsl is on', async () => {
    await expectPageRefused(
      t.provider.authorizationRequest({
        method: 'GET',
        url: 'http://provider.example/oauth/authorize?oauth_token=abcdef',
        headers: {},
      }),
      400,
      'insecure_transport',
    );
  });

  it('refuses approving realms that were not requested', async () => {
    const { oauth_token } = await fetchRequestToken(t);
    await expectPageRefused(
      t.provider.authorize(authorizeRequest(oauth_token), { user: ALICE, realms: ['profile'] }),
      400,
      'parameter_rejected',
    );
  });

  it('a denial spends the request token', async () => {
    const { oauth_token } = await fetchRequestToken(t);
    const denied = await t.provider.authorize(authorizeRequest(oauth_token), false);
    expect(denied).toMatchObject({ approved: false });
    expect(denied.response.headers.Location).toBe(`${CALLBACK}?denied=${oauth_token}`);
    await expectPageRefused(
      t.provider.authorize(authorizeRequest(oauth_token), { user: ALICE }),
      401,
      'token_rejected',
    );
  });

  it('an oob flow with a registered defaultRedirectUri returns there', async () => {
    const p = makeProvider();
    p.storage.addClient({ ...CLIENTS.b, defaultRedirectUri: 'https://b.example/done' });
    const c = client({ clientId: CLIENTS.b.clientKey, clientSecret: CLIENTS.b.clientSecret });
    const { oauth_token } = await fetchRequestToken(p, c, 'oob');
    const result = await p.provider.authorize(authorizeRequest(oauth_token), { user: ALICE });
    expect(result.response.headers.Location).toMatch(
      new RegExp(`^https://b\\.example/done\\?oauth_token=${oauth_token}&oauth_verifier=`),
    );
  });
});

describe('no secret in any refusal', () => {
  it('never repeats a secret, token, verifier or signature in a refusal', async () => {
    const requestToken = await fetchRequestToken(t);
    const verifier = await approve(t, requestToken.oauth_token);
    const secrets = [
      CLIENTS.a.clientSecret,
      encodeURIComponent(CLIENTS.a.clientSecret),
      requestToken.oauth_token,
      requestToken.oauth_token_secret,
      verifier,
    ];
    const refusals = await Promise.allSettled([
      t.provider.accessToken(
        accessTokenRequest(t, { ...requestToken, oauth_token_secret: 'x' }, verifier),
      ),
      t.provider.accessToken(accessTokenRequest(t, requestToken, `${verifier}x`)),
      t.provider.authorize(authorizeRequest(`${requestToken.oauth_token}x`), { user: ALICE }),
      t.provider.requestToken(
        toServerRequest(
          client({ signatureMethod: 'PLAINTEXT' }).sign('POST', URLS.requestToken, {
            token: null,
            oauthParams: { oauth_callback: CALLBACK },
            timestamp: t.clock.now,
          }),
        ),
      ),
    ]);
    for (const outcome of refusals) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as Error & {
        response: { body?: string; headers: Record<string, string> };
      };
      const text = `${error.message} ${error.response.body} ${JSON.stringify(error.response.headers)}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(formBody(error.response.body).oauth_problem ?? 'page').toBeTruthy();
    }
  });
});
