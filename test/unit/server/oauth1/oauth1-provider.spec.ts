/**
 * OAuth1Provider's own behaviour: what the storage sees (hashed token keys,
 * secrets in clear), the access-token handler, the hooks around protected
 * resources, the in-memory storage's expiry and atomicity.
 */
import type { ServerRequest } from '../../../../lib/server/http/server-request.js';
import {
  InMemoryOAuth1ServerStorage,
  OAuth1Provider,
  oauth1LookupKey,
  type OAuth1ProviderHooks,
} from '../../../../lib/server/oauth1/index.js';
import {
  ALICE,
  START,
  accessTokenRequest,
  approve,
  client,
  expectRefused,
  fetchRequestToken,
  formBody,
  issueAccessToken,
  makeProvider,
  resourceRequest,
  type User,
} from './support.js';

describe('what the storage keeps', () => {
  it('sees SHA-256 digests of token keys and verifiers, never the values; secrets in clear', async () => {
    const t = makeProvider();
    const saved: unknown[] = [];
    for (const method of [
      'saveRequestToken',
      'saveVerifier',
      'saveAccessToken',
      'saveNonce',
    ] as const) {
      const original = (t.storage[method] as (r: unknown) => unknown).bind(t.storage);
      (t.storage as unknown as Record<string, unknown>)[method] = (record: unknown) => {
        saved.push(record);
        return original(record);
      };
    }
    const requestToken = await fetchRequestToken(t);
    const verifier = await approve(t, requestToken.oauth_token);
    const response = await t.provider.accessToken(accessTokenRequest(t, requestToken, verifier));
    const token = formBody(response.body);
    const stored = JSON.stringify(saved);
    for (const value of [requestToken.oauth_token, verifier, token.oauth_token!]) {
      expect(stored).not.toContain(value);
      expect(stored).toContain(oauth1LookupKey(value));
    }
    expect(stored).toContain(requestToken.oauth_token_secret);
    expect(stored).toContain(token.oauth_token_secret);
    expect(oauth1LookupKey('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('with hashTokens: false, sees the values themselves (for an existing store)', async () => {
    const t = makeProvider({ hashTokens: false });
    const requestToken = await fetchRequestToken(t);
    expect(t.storage.getRequestToken(requestToken.oauth_token)).toMatchObject({
      secret: requestToken.oauth_token_secret,
    });
  });

  it('issues 256-bit token keys and secrets and 128-bit verifiers by default', async () => {
    const t = makeProvider();
    const requestToken = await fetchRequestToken(t);
    const verifier = await approve(t, requestToken.oauth_token);
    expect(requestToken.oauth_token).toMatch(/^[\w-]{43}$/);
    expect(requestToken.oauth_token_secret).toMatch(/^[\w-]{43}$/);
    expect(verifier).toMatch(/^[\w-]{22}$/);
  });

  it('records the request token with its callback, realms and expiry', async () => {
    const t = makeProvider();
    const { oauth_token } = await fetchRequestToken(t);
    expect(t.storage.getRequestToken(oauth1LookupKey(oauth_token))).toMatchObject({
      clientKey: 'client-a-key',
      redirectUri: 'https://client.example/cb',
      realms: ['photos'],
      expiresAt: START + 600,
    });
  });
});

describe('the access-token handler', () => {
  it('adds fields to the response and learns the client, user and realms', async () => {
    const t = makeProvider();
    const requestToken = await fetchRequestToken(t);
    const verifier = await approve(t, requestToken.oauth_token);
    const seen: unknown[] = [];
    const response = await t.provider.accessToken(
      accessTokenRequest(t, requestToken, verifier),
      ({ client: c, user, realms }) => {
        seen.push([c.clientKey, user, realms]);
        return { user_id: 42, screen_name: 'alice', verified: true };
      },
    );
    expect(seen).toEqual([['client-a-key', ALICE, ['photos']]]);
    expect(formBody(response.body)).toMatchObject({
      user_id: '42',
      screen_name: 'alice',
      verified: 'true',
    });
    expect(response.headers['Cache-Control']).toBe('no-store');
  });

  it('cannot replace oauth_token or oauth_token_secret; a failing handler leaves the request token usable', async () => {
    const t = makeProvider();
    const requestToken = await fetchRequestToken(t);
    const verifier = await approve(t, requestToken.oauth_token);
    await expect(
      t.provider.accessToken(accessTokenRequest(t, requestToken, verifier), () => ({
        oauth_token: 'mine',
      })),
    ).rejects.toThrow('the access-token handler cannot set oauth_token');
    t.clock.now += 1; // a new nonce
    const retry = await t.provider.accessToken(accessTokenRequest(t, requestToken, verifier));
    expect(retry.status).toBe(200);
  });
});

describe('hooks around protected resources', () => {
  async function setup(hooks: OAuth1ProviderHooks<User>) {
    const t = makeProvider(hooks);
    const token = await issueAccessToken(t);
    return { t, request: resourceRequest(t, token) };
  }

  it('beforeRequest runs first, afterRequest sees the outcome', async () => {
    const calls: unknown[] = [];
    const { t, request } = await setup({
      beforeRequest: (r: ServerRequest) => void calls.push(['before', r.method]),
      afterRequest: (valid, oauth) => void calls.push(['after', valid, oauth?.user]),
    });
    await t.provider.verifyRequest(request);
    await t.provider.verifyRequest(request).catch(() => undefined);
    expect(calls).toEqual([
      ['before', 'GET'],
      ['after', true, ALICE],
      ['before', 'GET'],
      ['after', false, undefined],
    ]);
  });

  it('afterRequest returning false refuses a valid request (403); returning true cannot rescue a refused one', async () => {
    const refusing = await setup({ afterRequest: () => false });
    await expectRefused(
      refusing.t.provider.verifyRequest(refusing.request),
      403,
      'permission_denied',
    );
    const rescuing = await setup({ afterRequest: () => true });
    await rescuing.t.provider.verifyRequest(rescuing.request);
    await expectRefused(rescuing.t.provider.verifyRequest(rescuing.request), 401, 'nonce_used');
  });

  it('invalidResponse builds the answer to a refusal', async () => {
    const { t, request } = await setup({
      invalidResponse: (error) => ({
        status: error.status,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ error: error.problem }),
      }),
    });
    await t.provider.verifyRequest(request);
    const error = await t.provider.verifyRequest(request).catch((e: unknown) => e);
    expect(error).toMatchObject({
      problem: 'nonce_used',
      response: { status: 401, body: '{"error":"nonce_used"}' },
    });
  });
});

describe('OAuth1Provider construction', () => {
  it('needs a storage, and checks its settings at once', () => {
    expect(() => new OAuth1Provider({} as never)).toThrow(
      'OAuth1Provider needs a storage (an OAuth1ServerStorage)',
    );
    expect(
      () => new OAuth1Provider({ storage: new InMemoryOAuth1ServerStorage(), timestampWindow: -1 }),
    ).toThrow(/timestampWindow/);
  });

  it('reads settings from its config reader', () => {
    const provider = new OAuth1Provider({
      storage: new InMemoryOAuth1ServerStorage(),
      config: (name) => (name === 'OAUTH1_PROVIDER_REALMS' ? 'photos,profile' : undefined),
    });
    expect(provider.settings.realms).toEqual(['photos', 'profile']);
  });
});

describe('InMemoryOAuth1ServerStorage', () => {
  it('deletes a request token once, and drops expired records', () => {
    let now = 100;
    const storage = new InMemoryOAuth1ServerStorage({ now: () => now });
    storage.saveRequestToken({
      token: 'k',
      secret: 's',
      clientKey: 'c',
      redirectUri: 'oob',
      realms: [],
      expiresAt: 200,
    });
    expect(storage.getRequestToken('k')).toBeDefined();
    now = 200;
    expect(storage.getRequestToken('k')).toBeUndefined();
    storage.saveRequestToken({
      token: 'j',
      secret: 's',
      clientKey: 'c',
      redirectUri: 'oob',
      realms: [],
      expiresAt: 300,
    });
    expect(storage.deleteRequestToken('j')).toBe(true);
    expect(storage.deleteRequestToken('j')).toBe(false);
  });

  it('saves a nonce once within its lifetime', () => {
    let now = 100;
    const storage = new InMemoryOAuth1ServerStorage({ now: () => now });
    const nonce = { clientKey: 'c', timestamp: 100, nonce: 'n', accessToken: 't', expiresAt: 150 };
    expect(storage.saveNonce(nonce)).toBe(true);
    expect(storage.getNonce(nonce)).toBe(true);
    expect(storage.saveNonce(nonce)).toBe(false);
    expect(storage.getNonce({ ...nonce, accessToken: 'other' })).toBe(false);
    now = 150;
    expect(storage.getNonce(nonce)).toBe(false);
    expect(storage.saveNonce(nonce)).toBe(true);
  });

  it('revokes the token credentials a predicate picks', async () => {
    const t = makeProvider();
    const token = await issueAccessToken(t, client());
    expect(t.storage.revokeAccessTokens((record) => record.user.id === 'alice')).toBe(1);
    await expectRefused(t.provider.verifyRequest(resourceRequest(t, token)), 401, 'token_rejected');
  });
});
