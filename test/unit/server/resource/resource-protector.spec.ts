/**
 * ResourceProtector: validator order by token shape, who decides, scopes,
 * the never-throwing authorize(), and 1,000 seeded random Authorization
 * headers that must all end in a 4xx.
 */
import { OAuthNetworkError, OAuthTimeoutError } from '../../../../lib/core/errors.js';
import { BearerTokenError, invalidToken } from '../../../../lib/server/resource/bearer-error.js';
import type { BearerPrincipal } from '../../../../lib/server/resource/principal.js';
import { ResourceProtector } from '../../../../lib/server/resource/resource-protector.js';
import type { AccessTokenValidator } from '../../../../lib/server/resource/validator.js';
import type { ServerRequest } from '../../../../lib/server/http/server-request.js';
import { AUDIENCE, hmacJws, seededRandom, startTestIssuer, type TestIssuer } from './support.js';

const request = (authorization?: string | string[]): ServerRequest => ({
  method: 'GET',
  url: 'https://api.example.com/r',
  headers: authorization === undefined ? {} : { authorization },
});

/** A validator that records what it was asked and answers as told. */
function fake(
  source: 'jwt' | 'storage' | 'introspection',
  answer: (token: string) => BearerPrincipal | undefined | Error,
): AccessTokenValidator & { asked: string[] } {
  const asked: string[] = [];
  return {
    source,
    structured: source === 'jwt',
    asked,
    async validate(token) {
      asked.push(token);
      const result = answer(token);
      if (result instanceof Error) throw result;
      return result;
    },
  };
}
const principal = (token: string, scope = ['read']): BearerPrincipal => ({
  sub: 'alice',
  scope,
  claims: {},
  token,
  source: 'storage',
});
const JWT_SHAPED = 'aGVhZGVy.cGF5bG9hZA.c2ln';

describe('ResourceProtector: validators', () => {
  it('needs at least one validator, and a printable realm', () => {
    const config = expect.objectContaining({ code: 'ERR_OAUTH_RESOURCE_CONFIG' });
    expect(() => new ResourceProtector({})).toThrow(config);
    expect(() => new ResourceProtector({ realm: 'é', storage: () => undefined })).toThrow(config);
  });

  it('a JWT-looking token: JWT validators first, then the others; an opaque one never goes to a JWT validator', async () => {
    const jwt = fake('jwt', () => undefined);
    const storage = fake('storage', () => undefined);
    const introspection = fake('introspection', (t) => principal(t));
    const protector = new ResourceProtector({ validators: [introspection, storage, jwt] });
    expect(protector.validators.map((v) => v.source)).toEqual(['jwt', 'introspection', 'storage']);
    await protector.verifyRequest(request(`Bearer ${JWT_SHAPED}`));
    expect([jwt.asked, introspection.asked, storage.asked]).toEqual([
      [JWT_SHAPED],
      [JWT_SHAPED],
      [],
    ]);
    await protector.verifyRequest(request('Bearer opaque'));
    expect(jwt.asked).toEqual([JWT_SHAPED]);
    expect(introspection.asked).toEqual([JWT_SHAPED, 'opaque']);
  });

  it('built-in order: jwt, storage, introspection', () => {
    const protector = new ResourceProtector({
      introspection: { introspectionEndpoint: 'https://as/i', clientId: 'a', audience: false },
      storage: () => undefined,
      jwt: { issuer: 'https://as', audience: 'x' },
    });
    expect(protector.validators.map((v) => v.source)).toEqual(['jwt', 'storage', 'introspection']);
  });

  it('a validator that recognizes the token and refuses it decides: no one else is asked', async () => {
    const first = fake('storage', () => invalidToken('revoked'));
    const second = fake('introspection', (t) => principal(t));
    const protector = new ResourceProtector({ validators: [first, second] });
    await expect(protector.verifyRequest(request('Bearer abc'))).rejects.toMatchObject({
      reason: 'revoked',
    });
    expect(second.asked).toEqual([]);
  });

  it('a token no validator recognizes is invalid_token (unknown)', async () => {
    const protector = new ResourceProtector({ validators: [fake('storage', () => undefined)] });
    await expect(protector.verifyRequest(request('Bearer abc'))).rejects.toMatchObject({
      error: 'invalid_token',
      reason: 'unknown',
      status: 401,
    });
  });
});

describe('ResourceProtector: scopes', () => {
  const protector = new ResourceProtector({
    validators: [fake('storage', (t) => principal(t, ['read', 'write']))],
  });

  it('every required scope must be granted', async () => {
    await expect(
      protector.verifyRequest(request('Bearer a'), ['read', 'write']),
    ).resolves.toMatchObject({
      sub: 'alice',
    });
    await expect(protector.verifyRequest(request('Bearer a'))).resolves.toBeDefined();
    const err = await protector
      .verifyRequest(request('Bearer a'), ['read', 'admin'])
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      error: 'insufficient_scope',
      status: 403,
      scope: ['read', 'admin'],
    });
  });

  it('a route scope that is not an RFC 6749 scope token is a programmer error', async () => {
    for (const scope of ['', 'a b', 'a"b', 'a\\b']) {
      await expect(protector.verifyRequest(request('Bearer a'), [scope])).rejects.toMatchObject({
        code: 'ERR_OAUTH_SCOPE',
      });
    }
  });

  it('verifyToken: for tokens from elsewhere (a WebSocket handshake)', async () => {
    await expect(protector.verifyToken('a', ['read'])).resolves.toMatchObject({ token: 'a' });
    await expect(protector.verifyToken(undefined)).rejects.toMatchObject({
      error: 'missing_token',
    });
    await expect(protector.verifyToken('')).rejects.toMatchObject({ error: 'missing_token' });
    await expect(protector.verifyToken('Bearer a')).rejects.toMatchObject({
      error: 'invalid_request',
    });
    await expect(protector.verifyToken('a', ['admin'])).rejects.toMatchObject({
      error: 'insufficient_scope',
    });
  });
});

describe('ResourceProtector.authorize: a principal or the response, never a throw', () => {
  const answers: Record<string, () => Error> = {
    network: () => new OAuthNetworkError('https://as.example.com/introspect'),
    timeout: () => new OAuthTimeoutError('https://as.example.com/introspect', 100),
    bug: () => new Error('lookup failed'),
  };
  const protector = new ResourceProtector({
    realm: 'orders',
    validators: [
      fake('storage', (t) => (answers[t] ? answers[t]() : t === 'good' ? principal(t) : undefined)),
    ],
  });

  it.each([
    [undefined, 401, 'Bearer realm="orders"'],
    ['Bearer good', 200, undefined],
    ['Bearer nope', 401, 'error="invalid_token"'],
    ['Bearer a b', 400, 'error="invalid_request"'],
    [['Bearer good', 'Bearer good'], 400, 'error="invalid_request"'],
    ['Bearer network', 502, undefined],
    ['Bearer timeout', 504, undefined],
    ['Bearer bug', 500, undefined],
  ])('%j → %i', async (authorization, status, challenge) => {
    const result = await protector.authorize(request(authorization as string), []);
    if (status === 200) {
      expect(result).toMatchObject({ ok: true, principal: { token: 'good' } });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(status);
    if (challenge) expect(result.response.headers['WWW-Authenticate']).toContain(challenge);
    if (status < 500) expect(result.error).toBeInstanceOf(BearerTokenError);
  });
});

describe('ResourceProtector: 1,000 seeded random Authorization headers', () => {
  let t: TestIssuer;
  beforeAll(async () => {
    t = await startTestIssuer();
  });
  afterAll(() => t.close());

  it('every one ends in a 400, 401 or 403 response, never a throw or a 5xx, and no token is echoed', async () => {
    t.introspection.body = { active: false };
    const protector = new ResourceProtector({
      jwt: { issuer: t.issuer, audience: AUDIENCE, timeout: 2000 },
      storage: (token) =>
        token.startsWith('stored')
          ? { clientId: 'app', scope: 'write', expiresAt: token.length % 2 ? 0 : 9e9 }
          : undefined,
      introspection: { issuer: t.issuer, clientId: 'api', clientSecret: 's', audience: AUDIENCE },
    });
    const random = seededRandom(20261125);
    const headers = await randomHeaders(random, 1000, t);
    const statuses = new Map<number, number>();
    for (const header of headers) {
      const result = await protector.authorize(request(header), ['read']);
      const status = result.ok ? 200 : result.response.status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect([400, 401, 403]).toContain(status);
      if (!result.ok) {
        const text = `${JSON.stringify(result.response)} ${(result.error as Error).message}`;
        for (const value of [header].flat()) {
          const token = String(value).replace(/^\S+\s+/, '');
          if (token.length >= 8) expect(text).not.toContain(token);
        }
      }
    }
    // Every class of answer was exercised.
    expect([...statuses.keys()].sort()).toEqual([400, 401, 403]);
  }, 60_000);
});

/** Headers from a seeded PRNG: garbage, near-misses of the syntax, and JWT-shaped attacks. */
async function randomHeaders(
  random: () => number,
  count: number,
  t: TestIssuer,
): Promise<(string | string[])[]> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chars = (alphabet: string, max: number) =>
    Array.from({ length: 1 + Math.floor(random() * max) }, () => pick([...alphabet])).join('');
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const ANY = `${B64}+/=~. \t"',;:\\\u0000\u007f\u00e9\u2603\ud83d\ude00`;
  const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const valid = await t.mint(t.claims({ scope: 'read' }));
  const narrow = await t.mint(t.claims({ scope: 'write' }));
  const makers: (() => string | string[] | Promise<string | string[]>)[] = [
    () => chars(ANY, 40),
    () => `Bearer ${chars(ANY, 60)}`,
    () =>
      `${pick(['Bearer', 'bearer', 'BEARER', 'Basic', 'DPoP', 'Bearer:', ''])}${pick([' ', '  ', '\t', ''])}${chars(B64, 50)}`,
    () => `Bearer ${chars(B64, 30)}.${chars(B64, 200)}.${chars(B64, 80)}`,
    () =>
      `Bearer ${b64json({ alg: pick(['none', 'RS256', 'HS256', 'ES256', 'PS256', 42, null]), typ: pick(['at+jwt', 'JWT', undefined]), kid: pick(['r1', 'e1', chars(B64, 10), undefined]) })}.${b64json(t.claims({ scope: pick(['read', 'write', 7]), exp: pick([now + 600, now - 600, 'x']), iss: pick([t.issuer, 'https://evil', undefined]) }))}.${chars(B64, 100)}`,
    () =>
      `Bearer ${hmacJws({ alg: 'HS256', typ: 'at+jwt', kid: 'r1' }, t.claims(), JSON.stringify(t.rsa.jwk))}`,
    () => `Bearer ${valid.slice(0, Math.floor(random() * (valid.length - 1)))}`,
    () => `Bearer ${valid}${pick(['=', 'x', '.x', 'AA'])}`,
    () => `Bearer ${narrow}`,
    () => `Bearer stored${chars(B64, 10)}`,
    () => `Bearer ${'a'.repeat(16_000 + Math.floor(random() * 1000))}`,
    () => [`Bearer ${chars(B64, 20)}`, `Bearer ${chars(B64, 20)}`],
    () => [],
  ];
  const out: (string | string[])[] = [];
  for (let i = 0; i < count; i++) out.push(await pick(makers)());
  return out;
}
