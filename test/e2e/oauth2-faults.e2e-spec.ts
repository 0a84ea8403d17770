/**
 * OAuth2Client against a misbehaving server (test/fixtures/fault-server.ts):
 * every fault maps to the right error class and code, names the endpoint by
 * origin and path only, and never leaks a code, secret or token; lenient
 * parsing of form and mislabelled JSON; the single-flight refresh under 20
 * concurrent requests.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  InvalidResponseError,
  MissingTokenError,
  OAuthError,
  OAuthNetworkError,
  OAuthTimeoutError,
  TokenExpiredError,
} from '../../lib/core/errors.js';
import { OAuth2Client, type OAuth2ClientOptions } from '../../lib/core/oauth2/oauth2-client.js';
import type { OAuth2Token } from '../../lib/core/token.js';
import {
  FAULT_ACCESS_TOKEN,
  FAULT_ROUTES,
  refreshedToken,
  startFaultServer,
  type FaultServer,
} from '../fixtures/fault-server.js';
import { failure } from '../fixtures/rejection.js';

const CLIENT_ID = 'fault-client';
const CLIENT_SECRET = 'fault-secret-7f3a9c1e5b';
/** RFC 6749 §4.1.2's example code. */
const CODE = 'SplxlOBeZQQYbYS6WxSbIA';
/** RFC 7636 Appendix B's example verifier. */
const VERIFIER = 'dBjftJeZ4CVP-mJ92K1rkyFGlUOrOkYs9xiV2dK3cWk';

let faults: FaultServer;

beforeAll(async () => {
  faults = await startFaultServer({ refreshDelay: 50 });
});
afterAll(() => faults?.close());
beforeEach(() => faults.reset());

function client(options: Partial<OAuth2ClientOptions> = {}): OAuth2Client {
  return new OAuth2Client({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: 'http://127.0.0.1:1/cb',
    timeout: 2000,
    ...options,
  });
}

/** Everything a logger could print about an error. */
const printed = (err: unknown) =>
  [
    (err as Error).message,
    JSON.stringify(err),
    inspect(err, { depth: 5 }),
    String((err as Error).stack),
  ].join('\n');

const exchange = (route: string, extra: Partial<OAuth2ClientOptions> = {}) =>
  client(extra).fetchToken(faults.url(route), { code: CODE, codeVerifier: VERIFIER });

describe('token endpoint faults', () => {
  it('500 with an OAuth error body -> OAuthError with error, description and uri', async () => {
    const err = await failure(() => exchange(FAULT_ROUTES.error500Json));
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).not.toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({
      name: 'OAuthError',
      error: 'server_error',
      description: 'the token service is down',
      uri: 'https://errors.example.com/server_error',
      status: 500,
      endpoint: faults.url(FAULT_ROUTES.error500Json),
    });
  });

  it.each([
    ['an HTML 500 page', FAULT_ROUTES.html500, 500],
    ['an empty 502', FAULT_ROUTES.empty502, 502],
    ['malformed JSON', FAULT_ROUTES.malformedJson, 200],
    ['an HTML 200 page', FAULT_ROUTES.html200, 200],
    ['a JSON array', FAULT_ROUTES.jsonArray, 200],
  ])('%s -> InvalidResponseError naming the endpoint', async (_what, route, status) => {
    const err = await failure(() => exchange(route));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({
      name: 'InvalidResponseError',
      error: 'invalid_response',
      status,
      endpoint: faults.url(route),
    });
    expect(err.message).toContain(faults.url(route));
    // the body (HTML, or JSON carrying a token) is not in the message
    expect(err.message).not.toMatch(/<|nginx|Internal Server Error/);
    expect(printed(err)).not.toContain(FAULT_ACCESS_TOKEN);
    expect(printed(err)).not.toContain(CODE);
  });

  it('no access_token in a success response -> MissingTokenError', async () => {
    const err = await failure(() => exchange(FAULT_ROUTES.noAccessToken));
    expect(err).toBeInstanceOf(MissingTokenError);
    expect(err).toMatchObject({ error: 'missing_token' });
  });

  it('never answers -> OAuthTimeoutError after the short timeout, naming origin + path only', async () => {
    const started = Date.now();
    const err = await failure(() =>
      client({ timeout: 150 }).fetchToken(`${faults.url(FAULT_ROUTES.hang)}?code=${CODE}`, {
        code: CODE,
      }),
    );
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(OAuthTimeoutError);
    expect(err).toBeInstanceOf(OAuthNetworkError);
    expect(err).toMatchObject({
      error: 'timeout',
      timeout: 150,
      endpoint: faults.url(FAULT_ROUTES.hang),
    });
    expect(err.message).toBe(`request to ${faults.url(FAULT_ROUTES.hang)} timed out after 150 ms`);
    expect(printed(err)).not.toContain(CODE);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1500);
  });

  it('connection refused -> OAuthNetworkError naming the endpoint', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const url = `http://127.0.0.1:${port}/token`;
    const err = await failure(() => client().fetchToken(url, { code: CODE }));
    expect(err).toBeInstanceOf(OAuthNetworkError);
    expect(err).not.toBeInstanceOf(OAuthTimeoutError);
    expect(err).toMatchObject({ error: 'network_error', endpoint: url });
    expect(err.message).toBe(`request to ${url} failed: ECONNREFUSED`);
  });
});

describe('lenient parsing', () => {
  it('parses a form-encoded token response and derives expires_at', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = await exchange(FAULT_ROUTES.form);
    const after = Math.floor(Date.now() / 1000);
    expect(token).toMatchObject({
      access_token: FAULT_ACCESS_TOKEN,
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'read write',
    });
    expect(token.expires_at).toBeGreaterThanOrEqual(before + 3600);
    expect(token.expires_at).toBeLessThanOrEqual(after + 3600);
  });

  it('parses a JSON token response served as text/html', async () => {
    const token = await exchange(FAULT_ROUTES.jsonAsHtml);
    expect(token).toMatchObject({
      access_token: FAULT_ACCESS_TOKEN,
      token_type: 'bearer',
      expires_in: 3600,
    });
    expect(token.expires_at).toEqual(expect.any(Number));
  });
});

describe('redaction of provider error descriptions', () => {
  it('keeps the code, verifier and client secret (post) out of the error', async () => {
    const err = await failure(() =>
      exchange(FAULT_ROUTES.invalidGrant, { tokenEndpointAuthMethod: 'client_secret_post' }),
    );
    // the server did echo them back; the attached response is redacted too
    expect(faults.requests[0].form).toMatchObject({ code: CODE, client_secret: CLIENT_SECRET });
    const echoed = (err as OAuthError).response as { error_description: string };
    expect(echoed.error_description).toBe(
      'grant rejected; received: [redacted] [redacted] [redacted]',
    );

    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({
      error: 'invalid_grant',
      status: 400,
      uri: 'https://errors.example.com/invalid_grant',
      description: expect.stringContaining('grant rejected'),
    });
    for (const secret of [CODE, VERIFIER, CLIENT_SECRET]) {
      expect(printed(err)).not.toContain(secret);
    }
  });

  it('keeps the refresh token out of the error of a failed refresh', async () => {
    const refreshToken = 'tGzv3JOkF0XG5Qx2TlKWIA'; // RFC 6749 §1.5-style example value
    const err = await failure(() =>
      client().refreshToken(faults.url(FAULT_ROUTES.invalidGrant), { refreshToken }),
    );
    expect(err).toMatchObject({ error: 'invalid_grant', status: 400 });
    expect(faults.requests[0].form).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    expect(printed(err)).not.toContain(refreshToken);
    expect(printed(err)).not.toContain(CLIENT_SECRET);
  });

  it('keeps the password of a password grant out of the error', async () => {
    const err = await failure(() =>
      client().fetchToken(faults.url(FAULT_ROUTES.invalidGrant), {
        username: 'johndoe',
        password: 'A3ddj3w-correct-horse',
      }),
    );
    expect(faults.requests[0].form).toMatchObject({ grant_type: 'password', username: 'johndoe' });
    expect(err).toMatchObject({ error: 'invalid_grant' });
    expect(printed(err)).not.toContain('A3ddj3w-correct-horse');
  });

  it('keeps HTTP Basic credentials echoed by the provider out of the error', async () => {
    const err = await failure(() => exchange(FAULT_ROUTES.invalidGrant));
    const header = String(faults.requests[0].headers.authorization);
    expect(header).toMatch(/^Basic /);
    const encoded = header.slice('Basic '.length);
    // the provider echoed it; the error (attached response included) does not
    expect((err as OAuthError).response).toMatchObject({
      error_description: expect.stringContaining('Basic [redacted]'),
    });
    expect(err).toMatchObject({ error: 'invalid_grant' });
    // base64(client_id:client_secret) is the secret in another form
    expect(printed(err)).not.toContain(encoded);
    expect(printed(err)).not.toContain(CLIENT_SECRET);
  });
});

describe('protected requests and refresh', () => {
  const expired = (over: Partial<OAuth2Token> = {}): OAuth2Token => ({
    access_token: 'stale-access',
    token_type: 'Bearer',
    refresh_token: 'refresh-0',
    expires_at: Math.floor(Date.now() / 1000) - 10,
    ...over,
  });

  it('20 concurrent requests on an expired token make exactly one refresh; all carry the new token', async () => {
    const updates: Array<[OAuth2Token, { refreshToken?: string; accessToken?: string }]> = [];
    const c = client({
      token: expired(),
      tokenEndpoint: faults.url(FAULT_ROUTES.refresh),
      updateToken: async (token, ctx) => {
        await new Promise((r) => setTimeout(r, 5)); // an async store
        updates.push([token, ctx]);
      },
    });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => c.get(faults.url(FAULT_ROUTES.resource))),
    );
    const bodies = await Promise.all(
      responses.map((r) => r.json() as Promise<{ authorization: string }>),
    );

    expect(faults.counters.refresh).toBe(1);
    expect(faults.counters.byPath[FAULT_ROUTES.refresh]).toBe(1);
    expect(bodies.map((b) => b.authorization)).toEqual(Array(20).fill('Bearer access-1'));
    expect(updates).toHaveLength(1);
    expect(updates[0][0]).toMatchObject(refreshedToken(1));
    expect(updates[0][1]).toEqual({ refreshToken: 'refresh-0', accessToken: 'stale-access' });
    expect(c.token).toMatchObject({ access_token: 'access-1', refresh_token: 'refresh-1' });
    const [refreshCall] = faults.requests.filter((r) => r.path === FAULT_ROUTES.refresh);
    expect(refreshCall.form).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-0',
    });
    expect(refreshCall.headers.authorization).toMatch(/^Basic /);

    // the fresh token is used as it is afterwards
    const again = await c.get(faults.url(FAULT_ROUTES.resource));
    expect(await again.json()).toMatchObject({ authorization: 'Bearer access-1' });
    expect(faults.counters.refresh).toBe(1);
  });

  it('refreshes a token that expires within the leeway, not one beyond it', async () => {
    const soon = client({
      token: expired({ expires_at: Math.floor(Date.now() / 1000) + 30 }),
      tokenEndpoint: faults.url(FAULT_ROUTES.refresh),
      leeway: 60,
    });
    const res = await soon.get(faults.url(FAULT_ROUTES.resource));
    expect(await res.json()).toMatchObject({ authorization: 'Bearer access-1' });

    const later = client({
      token: expired({ expires_at: Math.floor(Date.now() / 1000) + 300 }),
      tokenEndpoint: faults.url(FAULT_ROUTES.refresh),
      leeway: 60,
    });
    const res2 = await later.get(faults.url(FAULT_ROUTES.resource));
    expect(await res2.json()).toMatchObject({ authorization: 'Bearer stale-access' });
    expect(faults.counters.refresh).toBe(1);
  });

  it('a failed refresh rejects every waiting request with the same OAuthError, after one call', async () => {
    const c = client({ token: expired(), tokenEndpoint: faults.url(FAULT_ROUTES.invalidGrant) });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => c.get(faults.url(FAULT_ROUTES.resource))),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    for (const r of results as PromiseRejectedResult[]) {
      expect(r.reason).toBeInstanceOf(OAuthError);
      expect(r.reason).toMatchObject({ error: 'invalid_grant' });
      expect(printed(r.reason)).not.toContain('refresh-0');
    }
    expect(faults.counters.byPath[FAULT_ROUTES.invalidGrant]).toBe(1);
    expect(faults.counters.byPath[FAULT_ROUTES.resource]).toBeUndefined();
  });

  it('an expired token without a refresh token -> TokenExpiredError, and no request is sent', async () => {
    const c = client({
      token: expired({ refresh_token: undefined }),
      tokenEndpoint: faults.url(FAULT_ROUTES.refresh),
    });
    const err = await failure(() => c.get(faults.url(FAULT_ROUTES.resource)));
    expect(err).toBeInstanceOf(TokenExpiredError);
    expect(err).toMatchObject({ error: 'token_expired' });
    expect(faults.requests).toEqual([]);
  });

  it('no token at all -> MissingTokenError, and no request is sent', async () => {
    const err = await failure(() => client().get(faults.url(FAULT_ROUTES.resource)));
    expect(err).toBeInstanceOf(MissingTokenError);
    expect(faults.requests).toEqual([]);
  });

  it('a protected request that never answers -> OAuthTimeoutError naming the resource', async () => {
    const c = client({
      token: { access_token: 'valid-token-abcdef', token_type: 'Bearer' },
      timeout: 100,
    });
    const err = await failure(() =>
      c.get(`${faults.url(FAULT_ROUTES.hang)}?access_token=valid-token-abcdef`),
    );
    expect(err).toBeInstanceOf(OAuthTimeoutError);
    expect(err).toMatchObject({ endpoint: faults.url(FAULT_ROUTES.hang), timeout: 100 });
    expect(printed(err)).not.toContain('valid-token-abcdef');
    expect(faults.requests[0].headers.authorization).toBe('Bearer valid-token-abcdef');
  });
});
