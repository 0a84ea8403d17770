/**
 * Issue 11 items 1 and 2 against a real hostile server (test/fixtures/hostile-provider.ts):
 * a body streaming ~2 GiB and a gzip bomb are aborted at the byte cap with an
 * error naming the endpoint, promptly and with bounded memory, whichever
 * endpoint serves them; every provider endpoint answering a cross-origin 307
 * is an error, and the other origin receives nothing. Over both transports:
 * the platform `fetch` and `nodeHttpFetch()`.
 */
import { AssertionClient } from '../../lib/core/assertion/assertion-client.js';
import { InvalidResponseError, OAuthError, ResponseTooLargeError } from '../../lib/core/errors.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../lib/core/http/fetcher.js';
import { OAuth1Client } from '../../lib/core/oauth1/oauth1-client.js';
import { fetchServerMetadata } from '../../lib/core/oidc/discovery.js';
import { JwksCache } from '../../lib/core/oidc/jwks.js';
import { fetchUserinfo } from '../../lib/core/oidc/userinfo.js';
import {
  BOMB_INFLATED_BYTES,
  describeOverTransports,
  hostileClient,
  HOSTILE_NONCE,
  HOSTILE_ROUTES,
  HOSTILE_TENANTS,
  startHostileProvider,
  STREAM_BYTES,
  transport,
  type HostileProvider,
} from '../fixtures/hostile-provider.js';
import { failure } from '../fixtures/rejection.js';

const CODE = 'SplxlOBeZQQYbYS6WxSbIA';
const VERIFIER = 'dBjftJeZ4CVP-mJ92K1rkyFGlUOrOkYs9xiV2dK3cWk';
const REFRESH_TOKEN = 'tGzv3JOkF0XG5Qx2TlKWIA';
const MiB = 1024 ** 2;

let op: HostileProvider;

beforeAll(async () => {
  op = await startHostileProvider();
});
afterAll(() => op?.close());
beforeEach(() => op.reset());

const client = hostileClient;

const oauth1 = () =>
  new OAuth1Client({
    clientId: 'consumer',
    clientSecret: 'consumer-secret',
    timeout: 10_000,
    ...transport,
  });

/** Waits until the server saw the client go away (a socket close can trail the client's error). */
async function closedStreams(): Promise<void> {
  const until = Date.now() + 5000;
  while (op.streams.some((s) => !s.closed) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every call that reads a provider's body, pointed at `url`. */
const READERS: [string, (url: string) => Promise<unknown>][] = [
  [
    'token (code exchange)',
    (url) => client().fetchToken(url, { code: CODE, codeVerifier: VERIFIER }),
  ],
  ['token (refresh)', (url) => client().refreshToken(url, { refreshToken: REFRESH_TOKEN })],
  ['token (client credentials)', (url) => client().fetchToken(url)],
  ['discovery', (url) => fetchServerMetadata(url, { timeout: 10_000, ...transport })],
  [
    'JWKS',
    (url) =>
      new JwksCache(url, { timeout: 10_000, ...transport }).getKey({ alg: 'RS256', kid: 'k' }),
  ],
  [
    'UserInfo',
    (url) => fetchUserinfo(url, 'an-access-token', { http: { timeout: 10_000, ...transport } }),
  ],
  ['introspection', (url) => client().introspectToken(url, { token: 'a-token' })],
  ['OAuth 1 temporary credentials', (url) => oauth1().fetchRequestToken(url)],
  [
    'OAuth 1 token credentials',
    (url) =>
      oauth1().fetchAccessToken(url, {
        token: { oauth_token: 'request-token', oauth_token_secret: 'request-secret' },
        verifier: 'verifier',
      }),
  ],
  [
    'JWT bearer grant (AssertionClient)',
    (url) =>
      new AssertionClient({
        tokenEndpoint: url,
        issuer: 'svc',
        audience: url,
        key: 'an HMAC secret of at least 32 bytes!!',
        timeout: 10_000,
        ...transport,
      }).fetchToken(),
  ],
];

describeOverTransports('a body streaming ~2 GiB', () => {
  it.each(READERS)(
    '%s: aborted at 1 MiB with ResponseTooLargeError naming the endpoint, promptly, memory bounded',
    async (_what, call) => {
      const rss = process.memoryUsage().rss;
      const started = Date.now();
      const err = await failure(() => call(op.url(HOSTILE_ROUTES.stream)));
      const elapsed = Date.now() - started;

      expect(err).toBeInstanceOf(ResponseTooLargeError);
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect(err).toMatchObject({
        error: 'invalid_response',
        endpoint: op.url(HOSTILE_ROUTES.stream),
        limit: DEFAULT_MAX_RESPONSE_BYTES,
      });
      expect(err.message).toBe(
        `invalid response from ${op.url(HOSTILE_ROUTES.stream)}: the body is larger than ${DEFAULT_MAX_RESPONSE_BYTES} bytes (maxResponseBytes)`,
      );
      expect(elapsed).toBeLessThan(5000);
      await closedStreams();
      expect(op.streams).toHaveLength(1);
      // The connection was torn down: the server got out a few socket buffers, not 2 GiB.
      expect(op.streams[0]).toMatchObject({ closed: true });
      expect(op.streams[0].bytes).toBeLessThan(64 * MiB);
      expect(op.streams[0].bytes).toBeLessThan(STREAM_BYTES);
      expect(process.memoryUsage().rss - rss).toBeLessThan(128 * MiB);
    },
  );

  it('revocation does not read a success body at all', async () => {
    const started = Date.now();
    await client().revokeToken(op.url(HOSTILE_ROUTES.stream), { token: 'a-token' });
    expect(Date.now() - started).toBeLessThan(5000);
    await closedStreams();
    expect(op.streams[0].closed).toBe(true);
  });

  it('the cap is the client option maxResponseBytes', async () => {
    const err = await failure(() =>
      client({ maxResponseBytes: 64 * 1024 }).fetchToken(op.url(HOSTILE_ROUTES.stream), {
        code: CODE,
      }),
    );
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err.limit).toBe(64 * 1024);
    // A small valid response passes a small cap, and a cap under its size refuses it.
    const token = await client({ maxResponseBytes: 4096 }).fetchToken(
      op.url(HOSTILE_ROUTES.noIdToken),
      { code: CODE },
    );
    expect(token.access_token).toBe('at-no-id');
    await expect(
      client({ maxResponseBytes: 16 }).fetchToken(op.url(HOSTILE_ROUTES.noIdToken), { code: CODE }),
    ).rejects.toBeInstanceOf(ResponseTooLargeError);
  });
});

describeOverTransports('a gzip bomb (~300 KB that inflates to 300 MiB)', () => {
  it('served as the JWK set during a login: refused at 1 MiB inflated, memory bounded', async () => {
    const rss = process.memoryUsage().rss;
    const c = client({ serverMetadataUrl: op.discoveryUrl(HOSTILE_TENANTS.bomb), scope: 'openid' });
    const err = await failure(() => c.fetchToken(undefined, { code: CODE, nonce: HOSTILE_NONCE }));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toMatchObject({ endpoint: op.url(HOSTILE_ROUTES.gzipBomb) });
    expect(process.memoryUsage().rss - rss).toBeLessThan(128 * MiB);
    // the provider did send the bomb: it was on the wire compressed
    const bombRequest = op.requests.find((r) => r.path === HOSTILE_ROUTES.gzipBomb);
    expect(bombRequest).toBeDefined();
  });

  it.each(READERS)(
    '%s: refused at the default cap, never inflated to 300 MiB',
    async (_what, call) => {
      const rss = process.memoryUsage().rss;
      const err = await failure(() => call(op.url(HOSTILE_ROUTES.gzipBomb)));
      expect(err).toBeInstanceOf(ResponseTooLargeError);
      expect(err).toMatchObject({ endpoint: op.url(HOSTILE_ROUTES.gzipBomb) });
      expect(process.memoryUsage().rss - rss).toBeLessThan(128 * MiB);
    },
  );

  it('a raised cap is still a cap', async () => {
    const err = await failure(() =>
      client({ maxResponseBytes: 10 * MiB }).fetchToken(op.url(HOSTILE_ROUTES.gzipBomb), {
        code: CODE,
      }),
    );
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err.limit).toBe(10 * MiB);
    expect(10 * MiB).toBeLessThan(BOMB_INFLATED_BYTES);
  });
});

describeOverTransports('a provider endpoint answering 307 to another origin', () => {
  const away = (path: string) => op.url(`${HOSTILE_ROUTES.redirect}${path}`);

  /** The error every redirected call must give; the other origin must have received nothing. */
  function expectRefused(err: any, url: string): void {
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ error: 'invalid_response', status: 307 });
    expect(err.endpoint).toBe(url);
    expect(err.message).toBe(
      `invalid response from ${url}: HTTP 307: redirects from this endpoint are not followed`,
    );
    expect(op.elsewhere.requests).toEqual([]);
    // the 307 itself was received (the attack was tried)
    expect(op.requests.map((r) => r.path)).toContain(new URL(url).pathname);
  }

  it('code exchange: the code, the PKCE verifier and the client secret (post) go nowhere', async () => {
    const url = away('/token');
    const err = await failure(() =>
      client({ tokenEndpointAuthMethod: 'client_secret_post' }).fetchToken(url, {
        code: CODE,
        codeVerifier: VERIFIER,
      }),
    );
    expectRefused(err, url);
  });

  it('refresh: the refresh token goes nowhere', async () => {
    const url = away('/token');
    expectRefused(
      await failure(() => client().refreshToken(url, { refreshToken: REFRESH_TOKEN })),
      url,
    );
  });

  it.each([
    ['revocation', (url: string) => client().revokeToken(url, { token: 'a-token' })],
    ['introspection', (url: string) => client().introspectToken(url, { token: 'a-token' })],
    ['UserInfo', (url: string) => fetchUserinfo(url, 'an-access-token', { http: transport })],
    ['JWKS', (url: string) => new JwksCache(url, transport).getKey({ alg: 'RS256', kid: 'k' })],
    ['discovery', (url: string) => fetchServerMetadata(url, transport)],
    ['OAuth 1 temporary credentials', (url: string) => oauth1().fetchRequestToken(url)],
    [
      'JWT bearer grant',
      (url: string) =>
        new AssertionClient({
          tokenEndpoint: url,
          issuer: 'svc',
          audience: url,
          key: 'an HMAC secret of at least 32 bytes!!',
          ...transport,
        }).fetchToken(),
    ],
  ])('%s', async (_what, call) => {
    const url = away(`/${_what.replace(/\W+/g, '-')}`);
    expectRefused(await failure(() => call(url)), url);
  });

  it('discovered endpoints that redirect: the login fails at the token endpoint, nothing leaves', async () => {
    const c = client({
      serverMetadataUrl: op.discoveryUrl(HOSTILE_TENANTS.redirect),
      scope: 'openid',
    });
    const err = await failure(() => c.fetchToken(undefined, { code: CODE, nonce: HOSTILE_NONCE }));
    expectRefused(err, away(HOSTILE_ROUTES.token));
    const userinfo = await failure(() =>
      c.userinfo({ access_token: 'an-access-token', token_type: 'Bearer' }),
    );
    expectRefused(userinfo, away(HOSTILE_ROUTES.userinfo));
    expect(c.token).toBeUndefined();
  });

  it('is an OAuthError a caller can branch on, with no Location in it', async () => {
    const url = away('/token');
    const err = await failure(() => client().fetchToken(url, { code: CODE }));
    expect(err).toBeInstanceOf(OAuthError);
    expect(JSON.stringify(err)).not.toContain(op.elsewhere.origin);
    expect(err.message).not.toContain(op.elsewhere.origin);
  });
});
