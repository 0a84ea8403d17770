import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { AssertionClient, type AssertionKey } from '../../lib/core/assertion/index.js';
import {
  InvalidResponseError,
  OAuthError,
  OAuthNetworkError,
  OAuthTimeoutError,
} from '../../lib/core/errors.js';
import {
  startJwtBearerServer,
  type JwtBearerServer,
  type RegisteredKey,
} from '../fixtures/jwt-bearer-server.js';

const HMAC_SECRET = 'a-shared-secret-of-the-hmac-client-0123456789';

interface KeyCase {
  name: string;
  issuer: string;
  signing: AssertionKey;
  verifying: RegisteredKey;
  alg: string;
}

let server: JwtBearerServer;
let shortLived: JwtBearerServer;
const cases: KeyCase[] = [];
let rsaPem: string;
let stranger: CryptoKey;

beforeAll(async () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  rsaPem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const ec = await generateKeyPair('ES256', { extractable: true });
  const ed = generateKeyPairSync('ed25519');
  stranger = (await generateKeyPair('RS256')).privateKey;
  cases.push(
    {
      name: 'RSA (PEM)',
      issuer: 'rsa-svc',
      signing: rsaPem,
      verifying: rsa.publicKey,
      alg: 'RS256',
    },
    {
      name: 'EC P-256 (JWK)',
      issuer: 'ec-svc',
      signing: await exportJWK(ec.privateKey),
      verifying: ec.publicKey,
      alg: 'ES256',
    },
    {
      name: 'Ed25519 (KeyObject)',
      issuer: 'ed-svc',
      signing: ed.privateKey,
      verifying: ed.publicKey,
      alg: 'EdDSA',
    },
    {
      name: 'HMAC (secret)',
      issuer: 'hmac-svc',
      signing: HMAC_SECRET,
      verifying: HMAC_SECRET,
      alg: 'HS256',
    },
  );
  const clients = Object.fromEntries(cases.map((c) => [c.issuer, c.verifying]));
  server = await startJwtBearerServer({ clients });
  shortLived = await startJwtBearerServer({ clients, expiresIn: 2, tokenDelay: 30 });
});

afterAll(async () => {
  await server?.close();
  await shortLived?.close();
});

function clientFor(
  target: JwtBearerServer,
  c: KeyCase,
  extra: Partial<ConstructorParameters<typeof AssertionClient>[0]> = {},
) {
  return new AssertionClient({
    tokenEndpoint: target.tokenEndpoint,
    issuer: c.issuer,
    subject: `user-of-${c.issuer}`,
    audience: target.tokenEndpoint,
    key: c.signing,
    scope: ['read', 'write'],
    leeway: 0,
    ...extra,
  });
}

const byName = (name: string) => cases.find((c) => c.name === name)!;

describe.each(['RSA (PEM)', 'EC P-256 (JWK)', 'Ed25519 (KeyObject)', 'HMAC (secret)'])(
  'AssertionClient with %s',
  (name) => {
    it('gets a token with the JWT bearer grant and uses it on the protected resource', async () => {
      const c = byName(name);
      const client = clientFor(server, c);
      const before = server.tokenRequests;
      const response = await client.get(server.resourceUrl);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        sub: `user-of-${c.issuer}`,
        iss: c.issuer,
        scope: 'read write',
        method: 'GET',
      });
      const request = server.requests.at(-1)!;
      expect(request.grantType).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
      expect(request.scope).toBe('read write');
      expect(
        JSON.parse(Buffer.from(request.assertion!.split('.')[0], 'base64url').toString()).alg,
      ).toBe(c.alg);
      // The token is reused: the second request needs no new token.
      expect((await client.post(server.resourceUrl)).status).toBe(200);
      expect(server.tokenRequests).toBe(before + 1);
      expect(client.token?.token_type).toBe('Bearer');
      expect(client.token?.expires_at).toBeGreaterThan(Date.now() / 1000 + 3000);
    });
  },
);

describe('AssertionClient renewal', () => {
  it('renews the token by itself once it expires, with a fresh assertion', async () => {
    const client = clientFor(shortLived, byName('RSA (PEM)'));
    const before = shortLived.tokenRequests;
    expect((await client.get(shortLived.resourceUrl)).status).toBe(200);
    const first = client.token!;
    expect((await client.get(shortLived.resourceUrl)).status).toBe(200);
    expect(shortLived.tokenRequests).toBe(before + 1);

    await sleepUntil(first.expires_at! * 1000 + 20);
    const response = await client.get(shortLived.resourceUrl);
    expect(response.status).toBe(200);
    expect(shortLived.tokenRequests).toBe(before + 2);
    expect(client.token!.access_token).not.toBe(first.access_token);
    const [a, b] = shortLived.requests.slice(-2).map((r) => r.assertion);
    expect(a).not.toBe(b); // a new jti each time, else the server would refuse a replay
  });

  it('shares one token request among concurrent requests, also after expiry', async () => {
    const client = clientFor(shortLived, byName('EC P-256 (JWK)'));
    const before = shortLived.tokenRequests;
    const first = await Promise.all(
      Array.from({ length: 10 }, () => client.get(shortLived.resourceUrl)),
    );
    expect(first.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(shortLived.tokenRequests).toBe(before + 1);

    await sleepUntil(client.token!.expires_at! * 1000 + 20);
    const second = await Promise.all(
      Array.from({ length: 10 }, () => client.get(shortLived.resourceUrl)),
    );
    expect(second.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(shortLived.tokenRequests).toBe(before + 2);
  });

  it('fetchToken() always gets a new token', async () => {
    const client = clientFor(server, byName('HMAC (secret)'));
    const a = await client.fetchToken();
    const b = await client.fetchToken();
    expect(a.access_token).not.toBe(b.access_token);
    expect(client.token).toBe(b);
  });
});

describe('AssertionClient refusals', () => {
  it('surfaces an assertion signed with an unregistered key as invalid_grant, without the assertion', async () => {
    const client = clientFor(server, { ...byName('RSA (PEM)'), signing: stranger });
    const err = await client.get(server.resourceUrl).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({
      error: 'invalid_grant',
      status: 400,
      endpoint: server.tokenEndpoint,
    });
    const assertion = server.requests.at(-1)!.assertion!;
    expect(server.requests.at(-1)!.error).toBe('invalid_grant');
    // The server echoed the assertion in error_description: the client redacts it.
    expect((err as OAuthError).description).toContain('[redacted]');
    for (const text of [
      (err as Error).message,
      (err as OAuthError).description,
      JSON.stringify(err),
      String((err as Error).stack),
    ]) {
      expect(text).not.toContain(assertion);
      expect(text).not.toContain(assertion.split('.')[2]);
    }
    expect(client.token).toBeUndefined();
  });

  it('refuses an assertion for another audience', async () => {
    const client = clientFor(server, byName('EC P-256 (JWK)'), {
      audience: 'https://elsewhere.example/token',
    });
    await expect(client.fetchToken()).rejects.toMatchObject({
      name: 'OAuthError',
      error: 'invalid_grant',
      status: 400,
    });
  });

  it('refuses an expired assertion (expiresIn in the past)', async () => {
    const client = clientFor(server, byName('HMAC (secret)'), { expiresIn: -60 });
    await expect(client.fetchToken()).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(server.requests.at(-1)!.error).toBe('invalid_grant');
  });

  it('a replayed assertion is refused by the server (jti), so each fetch signs a new one', async () => {
    const client = clientFor(server, byName('RSA (PEM)'));
    const assertion = await client.createAssertion();
    const post = () =>
      fetch(server.tokenEndpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion,
        }),
      });
    expect((await post()).status).toBe(200);
    const replay = await post();
    expect(replay.status).toBe(400);
    expect((await replay.json()).error).toBe('invalid_grant');
  });

  it('names the endpoint on a connection failure and on a timeout', async () => {
    const down = clientFor(server, byName('HMAC (secret)'), {
      tokenEndpoint: 'http://127.0.0.1:9/token',
    });
    await expect(down.fetchToken()).rejects.toBeInstanceOf(OAuthNetworkError);
    await expect(down.fetchToken()).rejects.toThrow('request to http://127.0.0.1:9/token failed');

    const slow = clientFor(server, byName('HMAC (secret)'), {
      tokenEndpoint: `${server.hangUrl}?x=1`,
      timeout: 100,
    });
    const err = await slow.fetchToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthTimeoutError);
    expect((err as Error).message).toBe(`request to ${server.hangUrl} timed out after 100 ms`);
  });

  it('surfaces a non-OAuth answer of the token endpoint as InvalidResponseError', async () => {
    const client = clientFor(server, byName('HMAC (secret)'), {
      tokenEndpoint: `${server.url}/nowhere`,
    });
    await expect(client.fetchToken()).rejects.toBeInstanceOf(OAuthError);
    await expect(client.fetchToken()).rejects.toMatchObject({ error: 'not_found', status: 404 });
    const garbage = clientFor(server, byName('HMAC (secret)'), { tokenEndpoint: server.htmlUrl });
    const err = await garbage.fetchToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ error: 'invalid_response', status: 502, endpoint: server.htmlUrl });
  });
});

async function sleepUntil(epochMs: number): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
