/**
 * Hostile requests to OAuth1ServerModule over real HTTP, on Express and
 * Fastify: each is refused with the status RFC 5849 §3.2 calls for and the
 * core's `oauth_problem`, never a 500; no secret reaches a response or a log
 * line. Requests a client library will not send (an absolute request target,
 * two Authorization headers, any byte in a header) go over a raw socket.
 */
import { OAuth1Client } from '../../../lib/core/oauth1/oauth1-client.js';
import type { OAuth1Token } from '../../../lib/core/index.js';
import { percentEncode } from '../../../lib/core/oauth1/percent-encode.js';
import { mutate } from '../../fixtures/oauth1-header-mutations.js';
import { appClient, decide, loginAt } from '../../fixtures/oauth1-provider-app.js';
import { rawHttp } from '../../fixtures/raw-http.js';
import {
  startNestOAuth1Provider,
  type NestProviderApp,
} from '../../fixtures/nest-apps/oauth1-provider.app.js';
import { PLATFORMS } from '../../fixtures/nest-apps/start-app.js';
import { seededRandom } from '../../unit/core/oauth1/seeded-random.js';

const OTHER = { clientKey: 'scanner-client-key', clientSecret: 'scanner-secret-0123456789' };

/** The status and oauth_problem of a response. */
async function outcome(response: Response): Promise<[number, string | null]> {
  const body = await response.text();
  return [response.status, new URLSearchParams(body).get('oauth_problem')];
}

describe.each(PLATFORMS)('OAuth1ServerModule on %s, hostile requests', (platform) => {
  let app: NestProviderApp;
  let secrets: string[];

  function client(options: { key?: string; secret?: string } = {}) {
    return appClient(app, {
      ...(options.key ? { clientId: options.key } : {}),
      ...(options.secret ? { clientSecret: options.secret } : {}),
    });
  }

  /** A whole login: the client's token credentials (their secret noted, to look for leaks). */
  async function login(c: OAuth1Client): Promise<OAuth1Token> {
    const token = await loginAt(app, c);
    secrets.push(token.oauth_token_secret);
    return token;
  }

  /** Sends a request signed by `c` through the proxy. */
  function send(c: OAuth1Client, url: string, options: Parameters<OAuth1Client['sign']>[2] = {}) {
    const signed = c.sign('GET', url, options);
    return app.fetch(signed.url, { method: signed.method, headers: signed.headers });
  }

  beforeAll(async () => {
    app = await startNestOAuth1Provider(platform, {
      clients: [{ ...OTHER, redirectUris: ['https://printer.example.com/ready'] }],
    });
    secrets = [app.client.secret, percentEncode(app.client.secret), OTHER.clientSecret];
  });
  afterAll(() => app?.close());
  afterEach(() => expect(app.serverErrors).toEqual([]));

  it('a replayed nonce: 401 nonce_used', async () => {
    const c = client();
    const token = await login(c);
    const signed = c.sign('GET', app.endpoints.me, { token });
    const again = () => app.fetch(signed.url, { headers: signed.headers });
    expect((await again()).status).toBe(200);
    expect(await outcome(await again())).toEqual([401, 'nonce_used']);
  });

  it('a stale timestamp: 401 timestamp_refused', async () => {
    const c = client();
    const token = await login(c);
    const stale = Math.floor(Date.now() / 1000) - 3600;
    expect(await outcome(await send(c, app.endpoints.me, { token, timestamp: stale }))).toEqual([
      401,
      'timestamp_refused',
    ]);
  });

  it('a bad signature: 401 signature_invalid', async () => {
    const c = client();
    const token = await login(c);
    const signed = c.sign('GET', app.endpoints.me, { token });
    const forged = signed.headers.Authorization!.replace(
      /oauth_signature="[^"]+"/,
      'oauth_signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"',
    );
    const response = await app.fetch(signed.url, { headers: { Authorization: forged } });
    expect(response.headers.get('www-authenticate')).toBe('OAuth');
    expect(await outcome(response)).toEqual([401, 'signature_invalid']);
  });

  it('a wrong verifier: 401 verifier_invalid; the request token then still works once', async () => {
    const c = client();
    const temporary = await c.fetchRequestToken(app.endpoints.requestToken);
    const decision = await decide(app, temporary.oauth_token, true);
    const error = await c
      .fetchAccessToken(app.endpoints.accessToken, { verifier: 'not-the-verifier-000000' })
      .catch((e) => e);
    expect(error).toMatchObject({ status: 401, error: 'verifier_invalid' });
    c.parseAuthorizationResponse(decision.location!);
    await expect(c.fetchAccessToken(app.endpoints.accessToken)).resolves.toMatchObject({
      user_id: '1001',
    });
  });

  it('a request token used twice: 401 token_rejected', async () => {
    const c = client();
    const temporary = await c.fetchRequestToken(app.endpoints.requestToken);
    const decision = await decide(app, temporary.oauth_token, true);
    const verifier = new URL(decision.location!).searchParams.get('oauth_verifier')!;
    const exchange = () =>
      c.fetchAccessToken(app.endpoints.accessToken, { verifier, token: temporary });
    await expect(exchange()).resolves.toMatchObject({ user_id: '1001' });
    await expect(exchange()).rejects.toMatchObject({ status: 401, error: 'token_rejected' });
  });

  it("another client's token, signed with its secrets: 401 token_rejected", async () => {
    const token = await login(client());
    const other = client({ key: OTHER.clientKey, secret: OTHER.clientSecret });
    expect(await outcome(await send(other, app.endpoints.me, { token }))).toEqual([
      401,
      'token_rejected',
    ]);
  });

  it('the consent page with an unknown request token: the error page, 401, no handler', async () => {
    const response = await app.fetch(`${app.endpoints.authorize}?oauth_token=forged-token-000000`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await response.text()).toContain('oauth_token is unknown, used or not for this client');
  });

  it('a request target in absolute form: 400 parameter_rejected, it would put another origin in the signed URL', async () => {
    const c = client();
    const token = await login(c);
    for (const target of [`https://evil.example/api/me`, `http://127.0.0.1:${app.port}/api/me`]) {
      const signed = c.sign('GET', target, { token });
      const response = await rawHttp(app.port, `GET ${target}`, {
        Host: `127.0.0.1:${app.port}`,
        Authorization: signed.headers.Authorization!,
      });
      expect([response.status, new URLSearchParams(response.body).get('oauth_problem')]).toEqual([
        400,
        'parameter_rejected',
      ]);
    }
    // //host/path is not routed to /api/me by either platform; it is refused all the same.
    const signed = c.sign('GET', 'https://evil.example/api/me', { token });
    const slashes = await rawHttp(app.port, 'GET //evil.example/api/me', {
      Host: `127.0.0.1:${app.port}`,
      Authorization: signed.headers.Authorization!,
    });
    expect([400, 404]).toContain(slashes.status);
  });

  it('two Authorization headers, the first one valid: 400 parameter_rejected', async () => {
    const c = client();
    const token = await login(c);
    const signed = c.sign('GET', app.endpoints.me, { token });
    const response = await rawHttp(app.port, 'GET /api/me', {
      Host: `127.0.0.1:${app.port}`,
      Authorization: [signed.headers.Authorization!, 'OAuth realm="x"'],
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/^oauth_problem=parameter_rejected&/);
  });

  it('1,000 seeded random Authorization headers: each refused with its status, never a 500', async () => {
    const c = client();
    const token = await login(c);
    const random = seededRandom(0x5849 + platform.length);
    const wrong: string[] = [];
    let nodeRefused = 0;
    for (let i = 0; i < 1000; i++) {
      const path = `/api/me?page=${i}`;
      const signed = c.sign('GET', `${app.origin}${path}`, { token, nonce: `fuzz-nonce-${i}` });
      const mutation = mutate(signed.headers.Authorization!, random);
      const response = await rawHttp(app.port, `GET ${path}`, {
        Host: `127.0.0.1:${app.port}`,
        Authorization: mutation.header,
      });
      const got = [response.status, new URLSearchParams(response.body).get('oauth_problem')];
      const label = `#${i} ${mutation.kind}: ${JSON.stringify(mutation.header)} -> ${got.join(' ')}`;
      // A control character other than HTAB breaks the header line: Node's parser answers 400 itself.
      const unframeable = [...String(mutation.header)].some((ch) => {
        const code = ch.charCodeAt(0);
        return (code < 0x20 && code !== 0x09) || code === 0x7f;
      });
      if (unframeable && response.status === 400 && got[1] === null) {
        nodeRefused++;
        continue;
      }
      if (!mutation.expected.some(([s, p]) => s === got[0] && p === got[1])) wrong.push(label);
      if (secrets.some((secret) => response.body.includes(secret))) wrong.push(`${label} leaks`);
    }
    expect(wrong).toEqual([]);
    expect(nodeRefused).toBeLessThan(200);
    // The unmutated request still passes: the mutations, not the setup, were refused.
    expect((await send(c, `${app.origin}/api/me`, { token })).status).toBe(200);
  }, 120_000);

  it('no secret, token secret or verifier in any log line', () => {
    const text = app.started.logger.text();
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe.each(PLATFORMS)('OAuth1ServerModule on %s, without an origin option', (platform) => {
  it('behind a trusted proxy, https comes from X-Forwarded-Proto: a whole login and a signed call', async () => {
    const app = await startNestOAuth1Provider(platform, { trustProxy: true });
    try {
      // The fixture's fetch adds X-Forwarded-Proto: https, as a TLS-terminating proxy does.
      const c = appClient(app);
      await loginAt(app, c);
      expect((await c.get(app.endpoints.photos)).status).toBe(200);
      // A malformed Host makes no URL to check a signature against: 400.
      const badHost = await rawHttp(app.port, 'GET /api/me', {
        Host: 'bad host',
        'X-Forwarded-Proto': 'https',
      });
      expect(badHost.status).toBe(400);
      expect(badHost.body).toBe(
        'oauth_problem=parameter_rejected&oauth_problem_advice=the+Host+header+is+not+valid',
      );
      expect(app.serverErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('enforceSsl on (the default): a request over plain http is refused 400 insecure_transport', async () => {
    // No origin and no proxy header: the app sees http://.
    const app = await startNestOAuth1Provider(platform, { trustProxy: true });
    try {
      const c = appClient(app, {
        fetch: (input, init) => fetch(input, { ...init, redirect: 'manual' }),
      });
      const error = await c.fetchRequestToken(`${app.url}/oauth/request_token`).catch((e) => e);
      expect(error).toMatchObject({ status: 400, error: 'insecure_transport' });
      expect(app.serverErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('PLAINTEXT over http, enforceSsl off: 400 signature_method_rejected; HMAC works', async () => {
    const app = await startNestOAuth1Provider(platform, {
      trustProxy: true,
      module: { enforceSsl: false },
    });
    try {
      const make = (signatureMethod: 'PLAINTEXT' | 'HMAC-SHA1') =>
        appClient(app, {
          signatureMethod,
          fetch: (input, init) => fetch(input, { ...init, redirect: 'manual' }),
        });
      const error = await make('PLAINTEXT')
        .fetchRequestToken(`${app.url}/oauth/request_token`)
        .catch((e) => e);
      expect(error).toMatchObject({ status: 400, error: 'signature_method_rejected' });
      await expect(
        make('HMAC-SHA1').fetchRequestToken(`${app.url}/oauth/request_token`),
      ).resolves.toMatchObject({ oauth_callback_confirmed: 'true' });
      // The start-up warning says enforceSsl is off.
      expect(app.started.logger.text()).toMatch(/enforceSsl is off/);
    } finally {
      await app.close();
    }
  });
});
