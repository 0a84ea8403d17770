/**
 * OAuth1Client against Authlib's own OAuth 1.0a server (a peer nobody here
 * wrote: Flask + authlib.integrations.flask_oauth1, see
 * test/fixtures/authlib-oauth1/): the three-legged flow, then signed GET and
 * POST requests to a resource guarded by Authlib's ResourceProtector, for
 * HMAC-SHA1, RSA-SHA1 and PLAINTEXT, with the protocol parameters in the
 * Authorization header and in the form body.
 *
 * Query placement is not tested against Authlib: its server mis-decodes a `+`
 * in a query-string `oauth_signature` (Authlib's own client fails there too),
 * so about one signature in three would be refused for reasons of Authlib's.
 *
 * Authlib answers `oauth_callback_confirmed=True` (a Python bool written out):
 * the flow only works because the client reads that value case-insensitively.
 */
import { generateKeyPairSync } from 'node:crypto';
import { MismatchingStateError, OAuthError } from '../../lib/core/errors.js';
import { OAuth1Client } from '../../lib/core/oauth1/oauth1-client.js';
import type { OAuth1ClientOptions } from '../../lib/core/oauth1/oauth1-types.js';
import type {
  OAuth1SignatureMethod,
  OAuth1SignatureType,
} from '../../lib/core/oauth1/signature.js';
import {
  startAuthlibOAuth1,
  type AuthlibOAuth1Server,
} from '../fixtures/authlib-oauth1/authlib-server.js';

const CALLBACK = 'http://127.0.0.1:1/oauth1/callback';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** One registered client per signature method; secrets with characters that need encoding. */
const CLIENTS: Record<
  OAuth1SignatureMethod & ('HMAC-SHA1' | 'RSA-SHA1' | 'PLAINTEXT'),
  OAuth1ClientOptions
> = {
  'HMAC-SHA1': { clientId: 'hmac-client', clientSecret: 'hmac secret+/=&é' },
  'RSA-SHA1': {
    clientId: 'rsa-client',
    rsaKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  },
  PLAINTEXT: { clientId: 'plaintext-client', clientSecret: 'plain secret+/=&%' },
};

let authlib: AuthlibOAuth1Server;

beforeAll(async () => {
  authlib = await startAuthlibOAuth1([
    { client_id: 'hmac-client', client_secret: 'hmac secret+/=&é' },
    {
      client_id: 'rsa-client',
      rsa_public_key: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    },
    { client_id: 'plaintext-client', client_secret: 'plain secret+/=&%' },
  ]);
}, 20_000);
afterAll(() => authlib?.close());

function newClient(method: keyof typeof CLIENTS, type: OAuth1SignatureType): OAuth1Client {
  return new OAuth1Client({
    ...CLIENTS[method],
    signatureMethod: method,
    signatureType: type,
    redirectUri: CALLBACK,
    timeout: 5000,
  });
}

/** Plays the browser at Authlib's authorization endpoint: returns the callback URL it redirects to. */
async function authorize(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) {
    throw new Error(`authorization answered ${response.status}:\n${authlib.log.slice(-2000)}`);
  }
  return location;
}

/** The whole three-legged flow; returns the client holding token credentials. */
async function login(method: keyof typeof CLIENTS, type: OAuth1SignatureType) {
  const client = newClient(method, type);
  const requestToken = await client.fetchRequestToken(authlib.endpoints.requestToken);
  const callback = await authorize(
    client.createAuthorizationUrl(authlib.endpoints.authorize, { user: 'alice' }),
  );
  const params = client.parseAuthorizationResponse(callback);
  const token = await client.fetchAccessToken(authlib.endpoints.accessToken);
  return { client, requestToken, params, token, callback };
}

const CASES: [keyof typeof CLIENTS, OAuth1SignatureType][] = (
  ['HMAC-SHA1', 'RSA-SHA1', 'PLAINTEXT'] as const
).flatMap((method) =>
  (['header', 'body'] as const).map((type): [keyof typeof CLIENTS, OAuth1SignatureType] => [
    method,
    type,
  ]),
);

describe.each(CASES)('%s, parameters in the %s', (method, type) => {
  it('runs the three-legged flow (Authlib confirms the callback as "True")', async () => {
    const { requestToken, params, token, callback } = await login(method, type);
    expect(requestToken.oauth_callback_confirmed).toBe('True');
    expect(requestToken.oauth_token).toMatch(/^\w{20,}$/);
    expect(callback.startsWith(`${CALLBACK}?`)).toBe(true);
    expect(params.oauth_token).toBe(requestToken.oauth_token);
    expect(token.oauth_token).toMatch(/^\w{20,}$/);
    expect(token.oauth_token).not.toBe(requestToken.oauth_token);
    expect(token.oauth_token_secret).toMatch(/^\w{20,}$/);
    expect(token.oauth_token_secret).not.toBe(requestToken.oauth_token_secret);
  });

  // Authlib's Flask ResourceProtector reads the URL as Werkzeug decodes it (`request.url`), so a
  // %2B or a non-ASCII character in the query reaches its base string altered (a `+` then reads
  // as a space) and its check fails whoever signed: the GET's query keeps to what survives that.
  it('signs a GET with query parameters (the body placement cannot: a GET has no body)', async () => {
    const { client, token } = await login(method, type);
    const url = `${authlib.endpoints.me}?q=hello%20world&page=2&empty=`;
    if (type === 'body') {
      // RFC 5849 §3.5.2 puts the parameters in a form body; a GET has none. The client says so,
      // and the same token signs the GET in the header.
      await expect(client.get(url)).rejects.toMatchObject({ code: 'ERR_OAUTH1_BODY_SIGNATURE' });
    }
    const signer =
      type === 'body'
        ? new OAuth1Client({
            ...CLIENTS[method],
            signatureMethod: method,
            token: token.oauth_token,
            tokenSecret: token.oauth_token_secret,
          })
        : client;
    const response = await signer.get(url);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      user_id: 'alice',
      client_id: CLIENTS[method].clientId,
      method: 'GET',
      query: { q: 'hello world', page: '2', empty: '' },
      form: {},
    });
  });

  it('signs a POST whose form body is part of the signature', async () => {
    const { client } = await login(method, type);
    const status = 'Hello Ladies + Gentlemen, a signed OAuth request!';
    const response = await client.post(`${authlib.endpoints.me}?page=2`, {
      body: new URLSearchParams({ status, tags: 'a&b=c', näme: 'välue' }),
    });
    expect(response.status).toBe(200);
    const echoed = (await response.json()) as { form: Record<string, string> };
    expect(echoed).toMatchObject({ user_id: 'alice', method: 'POST', query: { page: '2' } });
    expect(echoed.form).toMatchObject({ status, tags: 'a&b=c', näme: 'välue' });
  });
});

describe('Authlib refuses what it should', () => {
  it('a signature made with the wrong secret', async () => {
    const { token } = await login('HMAC-SHA1', 'header');
    const forged = new OAuth1Client({
      clientId: 'hmac-client',
      clientSecret: 'not the secret',
      token: token.oauth_token,
      tokenSecret: token.oauth_token_secret,
    });
    const response = await forged.get(authlib.endpoints.me);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_signature' });
  });

  it('a replayed nonce, and the provider problem reaches the caller as an OAuthError', async () => {
    // Same nonce and timestamp twice: Authlib's nonce cache refuses the second request.
    const timestamp = String(Math.floor(Date.now() / 1000));
    class Replaying extends OAuth1Client {
      protected override generateNonce(): string {
        return 'fixed-nonce-for-replay';
      }
      protected override generateTimestamp(): string {
        return timestamp;
      }
    }
    const replaying = new Replaying({ ...CLIENTS['HMAC-SHA1'], redirectUri: CALLBACK });
    await replaying.fetchRequestToken(authlib.endpoints.requestToken);
    const err = await replaying
      .fetchRequestToken(authlib.endpoints.requestToken)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ error: 'invalid_nonce', status: 401 });
  });

  it('a callback for another request token than the one this client fetched', async () => {
    const first = newClient('HMAC-SHA1', 'header');
    await first.fetchRequestToken(authlib.endpoints.requestToken);
    const other = newClient('HMAC-SHA1', 'header');
    await other.fetchRequestToken(authlib.endpoints.requestToken);
    const otherCallback = await authorize(
      other.createAuthorizationUrl(authlib.endpoints.authorize),
    );
    expect(() => first.parseAuthorizationResponse(otherCallback)).toThrow(MismatchingStateError);
  });

  it('a denied authorization comes back as access_denied', async () => {
    const client = newClient('HMAC-SHA1', 'header');
    await client.fetchRequestToken(authlib.endpoints.requestToken);
    const callback = await authorize(
      client.createAuthorizationUrl(authlib.endpoints.authorize, { deny: 1 }),
    );
    expect(() => client.parseAuthorizationResponse(callback)).toThrow(
      expect.objectContaining({ error: 'access_denied' }),
    );
  });
});
