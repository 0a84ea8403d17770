/**
 * OAuth1Client against a real OAuth 1.0a provider over HTTP on 127.0.0.1
 * (test/fixtures/oauth1-server.ts, which verifies signatures with its own code).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  InvalidResponseError,
  MissingTokenError,
  OAuthError,
  OAuthNetworkError,
  OAuthTimeoutError,
} from '../../lib/core/errors.js';
import { OAuth1Client } from '../../lib/core/oauth1/oauth1-client.js';
import type { OAuth1ClientOptions } from '../../lib/core/oauth1/oauth1-types.js';
import type {
  OAuth1SignatureMethod,
  OAuth1SignatureType,
} from '../../lib/core/oauth1/signature.js';
import { startOAuth1Server, type OAuth1TestServer } from '../fixtures/oauth1-server.js';

const CALLBACK = 'http://127.0.0.1:1/oauth/callback?from=e2e';
const METHODS: OAuth1SignatureMethod[] = [
  'HMAC-SHA1',
  'HMAC-SHA256',
  'RSA-SHA1',
  'RSA-SHA256',
  'PLAINTEXT',
];
const TYPES: OAuth1SignatureType[] = ['header', 'query', 'body'];

let server: OAuth1TestServer;

beforeAll(async () => {
  server = await startOAuth1Server();
});

afterAll(async () => {
  await server.close();
});

function newClient(options: Partial<OAuth1ClientOptions> = {}): OAuth1Client {
  return new OAuth1Client({
    clientId: server.consumer.key,
    clientSecret: server.consumer.secret,
    rsaKey: server.consumer.rsaPrivateKey,
    redirectUri: CALLBACK,
    timeout: 5000,
    ...options,
  });
}

/** Follows the provider's authorization redirect (auto-approve) and returns the callback URL. */
async function authorize(client: OAuth1Client): Promise<string> {
  const response = await fetch(client.createAuthorizationUrl(server.endpoints.authorize), {
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  return response.headers.get('location')!;
}

/** Runs the three legs and returns the client holding token credentials. */
async function login(client: OAuth1Client): Promise<OAuth1Client> {
  await client.fetchRequestToken(server.endpoints.requestToken);
  client.parseAuthorizationResponse(await authorize(client));
  await client.fetchAccessToken(server.endpoints.accessToken);
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<OAuthError> {
  try {
    await promise;
  } catch (err) {
    return err as OAuthError;
  }
  throw new Error('expected a rejection');
}

function expectNothingSecretIn(err: unknown, secrets: Array<string | undefined>): void {
  const dumps = [String(err), (err as Error).message, inspect(err), JSON.stringify(err)];
  for (const secret of secrets.filter(Boolean)) {
    for (const dump of dumps) expect(dump).not.toContain(secret);
  }
}

describe.each(METHODS.flatMap((method) => TYPES.map((type) => [method, type] as const)))(
  '%s, parameters in the %s',
  (signatureMethod, signatureType) => {
    it('runs the three-legged flow, then signed requests to the protected resource', async () => {
      const client = newClient({ signatureMethod, signatureType });
      const first = server.requests.length;

      const requestToken = await client.fetchRequestToken(server.endpoints.requestToken);
      expect(requestToken.oauth_token).toMatch(/^rt-/);
      expect(requestToken.oauth_callback_confirmed).toBe('true');
      expect(client.token?.oauth_token).toBe(requestToken.oauth_token);

      const callback = await authorize(client);
      expect(
        callback.startsWith(`${CALLBACK}&oauth_token=${requestToken.oauth_token}&oauth_verifier=`),
      ).toBe(true);
      const authorization = client.parseAuthorizationResponse(callback);
      expect(authorization.from).toBe('e2e');

      const token = await client.fetchAccessToken(server.endpoints.accessToken);
      expect(token).toMatchObject({
        user_id: server.user.id,
        screen_name: server.user.screen_name,
      });
      expect(token.oauth_token).toMatch(/^at-/);
      expect(client.token).toEqual(token);
      expect(client.verifier).toBeUndefined();

      if (signatureType !== 'body') {
        const response = await client.get(`${server.endpoints.me}?lang=en&q=caf%C3%A9+au+lait`);
        expect(response.status).toBe(200);
        const me = await response.json();
        expect(me).toMatchObject({
          id: server.user.id,
          method: 'GET',
          query: [
            ['lang', 'en'],
            ['q', 'café au lait'],
          ],
        });
        expect(me.oauth).toEqual({ signature_method: signatureMethod, transport: signatureType });
      }
      const posted = await client.post(`${server.endpoints.me}?page=2`, {
        body: new URLSearchParams([
          ['note', "héllo wörld + (it's) 100% *signed*!"],
          ['tag', 'b'],
          ['tag', 'a'],
        ]),
      });
      expect(posted.status).toBe(200);
      const me = await posted.json();
      expect(me.method).toBe('POST');
      expect(me.query).toEqual([['page', '2']]);
      expect(me.form).toEqual([
        ['note', "héllo wörld + (it's) 100% *signed*!"],
        ['tag', 'b'],
        ['tag', 'a'],
      ]);
      expect(me.oauth).toEqual({ signature_method: signatureMethod, transport: signatureType });

      const seen = server.requests.slice(first).filter((r) => r.path !== '/oauth/authorize');
      expect(seen.every((r) => r.outcome === 'ok' && r.transport === signatureType)).toBe(true);
      expect(seen.every((r) => r.signatureMethod === signatureMethod)).toBe(true);
    });
  },
);

describe('signed requests', () => {
  it('sends PUT, PATCH (lowercase) and DELETE signed, with a realm in the header', async () => {
    const client = await login(newClient({ realm: 'Photos' }));
    const first = server.requests.length;
    for (const method of ['PUT', 'patch', 'DELETE']) {
      const response = await client.request(method, server.endpoints.me, {
        body: method === 'DELETE' ? undefined : new URLSearchParams({ v: method }),
      });
      expect(response.status).toBe(200);
      expect((await response.json()).method).toBe(method.toUpperCase());
    }
    expect(server.requests.slice(first).map((r) => [r.outcome, r.realm])).toEqual([
      ['ok', 'Photos'],
      ['ok', 'Photos'],
      ['ok', 'Photos'],
    ]);
  });

  it('serves many users from one client with a per-request token', async () => {
    const client = newClient();
    const alice = server.issueAccessToken();
    const bob = server.issueAccessToken();
    const [a, b] = await Promise.all([
      client.get(server.endpoints.me, { token: alice }),
      client.get(server.endpoints.me, { token: bob }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(client.token).toBeUndefined();
    // A token secret that does not match is refused by the provider.
    const forged = await client.get(server.endpoints.me, {
      token: { ...alice, oauth_token_secret: 'guess' },
    });
    expect(forged.status).toBe(401);
    expect(await forged.text()).toMatch(/^oauth_problem=signature_invalid&/);
  });

  it('returns the provider refusal of an unknown token as a 401 response', async () => {
    const response = await newClient({ token: 'at-unknown', tokenSecret: 'x' }).get(
      server.endpoints.me,
    );
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('oauth_problem=token_rejected');
  });
});

describe('the two halves of the flow on different client instances (as the Nest layer does)', () => {
  it('exchanges request credentials kept elsewhere (a cookie) on a fresh client', async () => {
    const loginClient = newClient();
    const requestToken = await loginClient.fetchRequestToken(server.endpoints.requestToken);
    const callback = await authorize(loginClient);

    const callbackClient = newClient();
    const { oauth_verifier } = callbackClient.parseAuthorizationResponse(
      new URL(callback).pathname + new URL(callback).search,
    );
    const token = await callbackClient.fetchAccessToken(server.endpoints.accessToken, {
      token: {
        oauth_token: requestToken.oauth_token,
        oauth_token_secret: requestToken.oauth_token_secret,
      },
      verifier: oauth_verifier,
    });
    expect(token.user_id).toBe(server.user.id);
    expect((await callbackClient.get(server.endpoints.me)).status).toBe(200);
  });

  it('runs the out-of-band flow (oauth_callback=oob, verifier typed in by the user)', async () => {
    const client = newClient({ redirectUri: undefined });
    await client.fetchRequestToken(server.endpoints.requestToken);
    const page = await (
      await fetch(client.createAuthorizationUrl(server.endpoints.authorize))
    ).text();
    const verifier = /<code id="verifier">([^<]+)<\/code>/.exec(page)![1]!;
    const token = await client.fetchAccessToken(server.endpoints.accessToken, { verifier });
    expect(token.screen_name).toBe(server.user.screen_name);
  });

  it('logs in through the HTML consent page when the provider asks', async () => {
    server.setAuthorize('page');
    try {
      const client = newClient();
      const { oauth_token } = await client.fetchRequestToken(server.endpoints.requestToken);
      const page = await (
        await fetch(client.createAuthorizationUrl(server.endpoints.authorize))
      ).text();
      expect(page).toContain('<button name="decision" value="approve">');
      const approved = await fetch(server.endpoints.authorize, {
        method: 'POST',
        body: new URLSearchParams({ oauth_token, decision: 'approve' }),
        redirect: 'manual',
      });
      expect(approved.status).toBe(302);
      client.parseAuthorizationResponse(approved.headers.get('location')!);
      expect((await client.fetchAccessToken(server.endpoints.accessToken)).user_id).toBe(
        server.user.id,
      );
    } finally {
      server.setAuthorize('approve');
    }
  });
});

describe('refusals and failures', () => {
  it('reports a reused nonce (oauth_problem=nonce_used) on token calls and protected requests', async () => {
    class FixedNonceClient extends OAuth1Client {
      protected override generateNonce(): string {
        return 'the-same-nonce-every-time';
      }
    }
    const client = new FixedNonceClient({
      clientId: server.consumer.key,
      clientSecret: server.consumer.secret,
    });
    const frozen = Math.floor(Date.now() / 1000);
    Object.defineProperty(client, 'generateTimestamp', { value: () => String(frozen) });
    await client.fetchRequestToken(server.endpoints.requestToken);
    const err = await rejection(client.fetchRequestToken(server.endpoints.requestToken));
    expect(err).toBeInstanceOf(OAuthError);
    expect(err.error).toBe('nonce_used');
    expect(err.status).toBe(401);
    expect(err.endpoint).toBe(`${server.url}/oauth/request_token`);
    expect(err.message).toBe(`nonce_used (from ${server.url}/oauth/request_token)`);
    expectNothingSecretIn(err, [server.consumer.secret]);

    const user = server.issueAccessToken();
    expect((await client.get(server.endpoints.me, { token: user })).status).toBe(200);
    const replay = await client.get(server.endpoints.me, { token: user });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toBe('oauth_problem=nonce_used');
  });

  it('reports a skewed clock (oauth_problem=timestamp_refused), in the past and in the future', async () => {
    for (const skew of [-1000, +1000]) {
      class SkewedClient extends OAuth1Client {
        protected override generateTimestamp(): string {
          return String(Math.floor(Date.now() / 1000) + skew);
        }
      }
      const client = new SkewedClient({
        clientId: server.consumer.key,
        clientSecret: server.consumer.secret,
      });
      const err = await rejection(client.fetchRequestToken(server.endpoints.requestToken));
      expect(err).toBeInstanceOf(OAuthError);
      expect(err.error).toBe('timestamp_refused');
      expect(err.status).toBe(401);
      expect((err.response as Record<string, string>).oauth_acceptable_timestamps).toMatch(
        /^\d+-\d+$/,
      );
    }
  });

  it('reports a bad verifier (oauth_problem=verifier_invalid) without echoing it or any secret', async () => {
    const client = newClient();
    const requestToken = await client.fetchRequestToken(server.endpoints.requestToken);
    await authorize(client);
    const err = await rejection(
      client.fetchAccessToken(server.endpoints.accessToken, { verifier: 'guessed-verifier-4711' }),
    );
    expect(err).toBeInstanceOf(OAuthError);
    expect(err.error).toBe('verifier_invalid');
    expect(err.status).toBe(401);
    expectNothingSecretIn(err, [
      'guessed-verifier-4711',
      requestToken.oauth_token_secret,
      server.consumer.secret,
    ]);
  });

  it('reports a wrong client secret as signature_invalid, keeping the provider debug base string out of the message', async () => {
    const client = newClient({ clientSecret: 'not-the-secret' });
    const err = await rejection(client.fetchRequestToken(server.endpoints.requestToken));
    expect(err.error).toBe('signature_invalid');
    expect(err.message).toBe(`signature_invalid (from ${server.url}/oauth/request_token)`);
    expect((err.response as Record<string, string>).debug_sbs).toMatch(
      /^POST&http%3A%2F%2F127\.0\.0\.1/,
    );
    expectNothingSecretIn(err, ['not-the-secret', 'debug_sbs']);
  });

  it('refuses a provider that does not confirm the callback (not OAuth 1.0a)', async () => {
    const legacy = await startOAuth1Server({ confirmCallback: false });
    try {
      const client = new OAuth1Client({
        clientId: legacy.consumer.key,
        clientSecret: legacy.consumer.secret,
      });
      const err = await rejection(client.fetchRequestToken(legacy.endpoints.requestToken));
      expect(err).toBeInstanceOf(OAuthError);
      expect(err.error).toBe('callback_not_confirmed');
      expect(err.message).toContain(`${legacy.url}/oauth/request_token`);
      expect(client.token).toBeUndefined();
    } finally {
      await legacy.close();
    }
  });

  it('reads JSON credentials responses too', async () => {
    const json = await startOAuth1Server({ tokenFormat: 'json' });
    try {
      const client = new OAuth1Client({
        clientId: json.consumer.key,
        clientSecret: json.consumer.secret,
        redirectUri: CALLBACK,
      });
      await client.fetchRequestToken(json.endpoints.requestToken);
      const redirect = await fetch(client.createAuthorizationUrl(json.endpoints.authorize), {
        redirect: 'manual',
      });
      client.parseAuthorizationResponse(redirect.headers.get('location')!);
      const token = await client.fetchAccessToken(json.endpoints.accessToken);
      expect(token.user_id).toBe(json.user.id);
      expect((await client.get(json.endpoints.me)).status).toBe(200);
    } finally {
      await json.close();
    }
  });

  it('reports a denied authorization from the callback', async () => {
    server.setAuthorize('deny');
    try {
      const client = newClient();
      await client.fetchRequestToken(server.endpoints.requestToken);
      const callback = await authorize(client);
      expect(callback).toMatch(/[?&]denied=rt-/);
      expect(() => client.parseAuthorizationResponse(callback)).toThrow(
        expect.objectContaining({ name: 'OAuthError', error: 'access_denied' }),
      );
    } finally {
      server.setAuthorize('approve');
    }
  });

  it('maps server errors: HTML 500, plain-text 401, a JSON error echoing the secret, credentials missing', async () => {
    const client = newClient();
    const path = '/oauth/request_token';
    const endpoint = `${server.url}${path}`;
    try {
      server.override(path, (_req, res) => {
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<html><body>Internal Server Error</body></html>');
      });
      const html = await rejection(client.fetchRequestToken(endpoint));
      expect(html).toBeInstanceOf(InvalidResponseError);
      expect(html.message).toBe(`invalid response from ${endpoint}: HTTP 500`);
      expect(html.status).toBe(500);

      server.override(path, (_req, res) => {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('Failed to validate oauth signature and token');
      });
      const text = await rejection(client.fetchRequestToken(endpoint));
      expect(text).toBeInstanceOf(InvalidResponseError);
      expect(text.status).toBe(401);
      expect(text.endpoint).toBe(endpoint);

      server.override(path, (_req, res) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: 'invalid_client',
            error_description: `secret ${server.consumer.secret} is wrong`,
          }),
        );
      });
      const json = await rejection(client.fetchRequestToken(endpoint));
      expect(json.error).toBe('invalid_client');
      expect(json.description).toBe('secret [redacted] is wrong');
      expectNothingSecretIn(json, [server.consumer.secret]);

      server.override(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
        res.end('oauth_token=abc&oauth_callback_confirmed=true');
      });
      const missing = await rejection(client.fetchRequestToken(endpoint));
      expect(missing).toBeInstanceOf(MissingTokenError);
      expect(missing.message).toBe(
        `token response from ${endpoint} has no oauth_token or oauth_token_secret`,
      );
    } finally {
      server.override(path, null);
    }
  });

  it('times out with OAuthTimeoutError naming the endpoint, never the signed query', async () => {
    const client = newClient({
      signatureType: 'query',
      timeout: 150,
      token: 'at-secret-ish',
      tokenSecret: 'ts',
    });
    const started = Date.now();
    const err = await rejection(client.get(`${server.endpoints.slow}?q=1`));
    expect(err).toBeInstanceOf(OAuthTimeoutError);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err.message).toBe(`request to ${server.url}/slow timed out after 150 ms`);
    expect((err as OAuthTimeoutError).timeout).toBe(150);
    expectNothingSecretIn(err, ['at-secret-ish', 'oauth_signature', 'q=1']);
    const tokenCall = await rejection(client.fetchRequestToken(server.endpoints.slow));
    expect(tokenCall).toBeInstanceOf(OAuthTimeoutError);
  });

  it('reports a refused connection as OAuthNetworkError naming the endpoint', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await rejection(
      newClient().fetchRequestToken(`http://127.0.0.1:${port}/oauth/request_token?x=1`),
    );
    expect(err).toBeInstanceOf(OAuthNetworkError);
    expect(err).not.toBeInstanceOf(OAuthTimeoutError);
    expect(err.message).toBe(
      `request to http://127.0.0.1:${port}/oauth/request_token failed: ECONNREFUSED`,
    );
  });
});
