import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import {
  InvalidResponseError,
  InvalidTokenError,
  OAuthError,
  OAuthTimeoutError,
} from '../../../../lib/core/errors.js';
import { fetchUserinfo, JwksCache } from '../../../../lib/core/oidc/index.js';
import {
  expectInvalid,
  jsonRoute,
  sign,
  startServer,
  unsecured,
  type TestServer,
} from './support.js';

const ACCESS_TOKEN = 'SlAV32hkKG-access-token-value';
const ISSUER = 'https://op.example.com';
const CLIENT_ID = 'client-1';
const PROFILE = { sub: '248289761001', name: 'Jane Doe', email: 'janedoe@example.com' };

let server: TestServer;
let op: { privateKey: CryptoKey; publicKey: CryptoKey };
let forger: { privateKey: CryptoKey; publicKey: CryptoKey };
let keys: JwksCache;

function jwtRoute(make: () => Promise<string>) {
  return async (_req: unknown, res: import('node:http').ServerResponse) => {
    const body = await make();
    res.writeHead(200, { 'content-type': 'application/jwt; charset=utf-8' }).end(body);
  };
}

beforeAll(async () => {
  [op, forger] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256')]);
  const jwk = { ...(await exportJWK(op.publicKey)), kid: 'op-1' };
  const signed =
    (claims: object, key = op.privateKey) =>
    () =>
      sign({ ...claims }, key, { alg: 'RS256', kid: 'op-1' });
  server = await startServer({
    '/jwks': jsonRoute(() => ({ keys: [jwk] })),
    '/userinfo': (req, res) => {
      const ok = req.headers.authorization === `Bearer ${ACCESS_TOKEN}`;
      if (!ok) {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="op", error="invalid_token", error_description="The token ${req.headers.authorization?.slice(7)} expired"`,
        });
        return void res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(PROFILE));
    },
    '/signed': jwtRoute(signed({ ...PROFILE, iss: ISSUER, aud: CLIENT_ID })),
    '/signed-wrong-iss': jwtRoute(
      signed({ ...PROFILE, iss: 'https://evil.example', aud: CLIENT_ID }),
    ),
    '/signed-wrong-aud': jwtRoute(signed({ ...PROFILE, iss: ISSUER, aud: 'other-client' })),
    '/signed-none': jwtRoute(async () => unsecured({ ...PROFILE, iss: ISSUER, aud: CLIENT_ID })),
    '/html-500': (_req, res) =>
      void res.writeHead(500, { 'content-type': 'text/html' }).end('<html>Internal error</html>'),
    '/html-200': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in</html>'),
    '/hang': () => undefined,
  });
  server.routes.set(
    '/signed-forged',
    jwtRoute(() =>
      sign({ ...PROFILE, iss: ISSUER, aud: CLIENT_ID }, forger.privateKey, {
        alg: 'RS256',
        kid: 'op-1',
      }),
    ),
  );
  keys = new JwksCache(`${server.url}/jwks`);
});

afterAll(() => server.close());

const signedOptions = () => ({ issuer: ISSUER, clientId: CLIENT_ID, keys });

describe('fetchUserinfo', () => {
  it('GETs the endpoint with the bearer token and returns the JSON claims', async () => {
    await expect(fetchUserinfo(`${server.url}/userinfo`, ACCESS_TOKEN)).resolves.toEqual(PROFILE);
    const req = server.last('/userinfo')!;
    expect(req.method).toBe('GET');
    expect(req.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
  });

  it('checks sub against the ID token (OIDC Core §5.3.2)', async () => {
    await expect(
      fetchUserinfo(`${server.url}/userinfo`, ACCESS_TOKEN, { expectedSub: PROFILE.sub }),
    ).resolves.toEqual(PROFILE);
    const err = await expectInvalid(
      fetchUserinfo(`${server.url}/userinfo`, ACCESS_TOKEN, { expectedSub: 'someone-else' }),
      'sub',
    );
    expect(err.message).toBe(
      'invalid UserInfo response: sub: the subject is not the one of the ID token',
    );
  });

  it('verifies a signed (application/jwt) response with the provider keys', async () => {
    await expect(
      fetchUserinfo(`${server.url}/signed`, ACCESS_TOKEN, {
        ...signedOptions(),
        expectedSub: PROFILE.sub,
      }),
    ).resolves.toMatchObject({ ...PROFILE, iss: ISSUER, aud: CLIENT_ID });
  });

  it.each([
    ['/signed-forged', 'signature'],
    ['/signed-wrong-iss', 'iss'],
    ['/signed-wrong-aud', 'aud'],
    ['/signed-none', 'alg'],
  ])('refuses the signed response of %s (%s)', async (path, claim) => {
    const err = await expectInvalid(
      fetchUserinfo(`${server.url}${path}`, ACCESS_TOKEN, signedOptions()),
      claim,
    );
    expect(err.message).toMatch(new RegExp(`^invalid UserInfo response: ${claim}: `));
  });

  it('refuses a signed response whose kid the provider does not have', async () => {
    server.routes.set(
      '/signed-unknown-kid',
      jwtRoute(() =>
        sign({ ...PROFILE, iss: ISSUER }, forger.privateKey, { alg: 'RS256', kid: 'nope' }),
      ),
    );
    const err = await expectInvalid(
      fetchUserinfo(`${server.url}/signed-unknown-kid`, ACCESS_TOKEN, signedOptions()),
      'signature',
    );
    expect(err.message).toBe(
      'invalid UserInfo response: signature: no key of the provider matches the token',
    );
  });

  it('refuses a signed response when no keys are configured', async () => {
    await expectInvalid(fetchUserinfo(`${server.url}/signed`, ACCESS_TOKEN), 'signature');
  });

  it('reads the WWW-Authenticate challenge of a 401, without the token in the message', async () => {
    const stale = 'stale-access-token-123456';
    const err = await fetchUserinfo(`${server.url}/userinfo`, stale).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).not.toBeInstanceOf(InvalidTokenError);
    expect(err).toMatchObject({
      error: 'invalid_token',
      status: 401,
      endpoint: `${server.url}/userinfo`,
    });
    expect((err as OAuthError).description).toBe('The token [redacted] expired');
    expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain(stale);
  });

  it('refuses HTML error pages and HTML instead of claims with InvalidResponseError', async () => {
    await expect(fetchUserinfo(`${server.url}/html-500`, ACCESS_TOKEN)).rejects.toMatchObject({
      name: 'InvalidResponseError',
      status: 500,
    });
    await expect(fetchUserinfo(`${server.url}/html-200`, ACCESS_TOKEN)).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
  });

  it('times out with OAuthTimeoutError naming the endpoint only', async () => {
    const err = await fetchUserinfo(
      `${server.url}/hang?access_token=${ACCESS_TOKEN}`,
      ACCESS_TOKEN,
      {
        http: { timeout: 100 },
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthTimeoutError);
    expect((err as Error).message).toBe(`request to ${server.url}/hang timed out after 100 ms`);
  });
});
