/**
 * 1,000 random token-endpoint requests (seeded: the same ones every run):
 * random parameter sets, repeated and oversized parameters, malformed
 * encodings, wrong content types, junk Basic credentials and assertions. Each
 * gets a 2xx or an RFC 6749 §5.2 error (400, 401, 405) with `no-store`,
 * never a 500, a crash, or an echo of what was sent.
 */
import { seededRandom, type SeededRandom } from '../unit/core/oauth1/seeded-random.js';
import type { TestClients } from '../fixtures/auth-server/clients.js';
import { basicAuth } from '../fixtures/auth-server/raw-flow.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { STORAGE_ROWS } from '../fixtures/auth-server/storages.js';

const ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);
const NAMES = [
  'grant_type',
  'code',
  'redirect_uri',
  'code_verifier',
  'client_id',
  'client_secret',
  'refresh_token',
  'scope',
  'username',
  'password',
  'assertion',
  'client_assertion',
  'client_assertion_type',
];
const GRANTS = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'password',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'implicit',
  'token',
];

interface Case {
  method: string;
  headers: Record<string, string>;
  body: string;
  values: string[];
}

function junkJwt(rnd: SeededRandom): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return rnd.pick([
    `${part({ alg: rnd.pick(['none', 'HS256', 'RS256', 'ES256', '', 42]) })}.${part({
      iss: rnd.pick(['basic-client', 'rs256-client', 'secret-jwt-client', rnd.text(5)]),
      sub: rnd.pick(['basic-client', 'rs256-client', 'secret-jwt-client', rnd.text(5)]),
      aud: rnd.pick(['http://127.0.0.1', rnd.text(8)]),
      exp: rnd.pick([0, 9e15, 'soon', Math.floor(Date.now() / 1000) + 30]),
      jti: rnd.pick([rnd.text(6), undefined, 7]),
    })}.${Buffer.from(rnd.text(20)).toString('base64url')}`,
    `${rnd.text(4)}.${rnd.text(4)}.${rnd.text(4)}`,
    'a.b.c.d.e',
  ]);
}

function makeCase(rnd: SeededRandom, clients: TestClients): Case {
  const values: string[] = [];
  const value = (name: string): string => {
    const v = rnd.pick([
      () =>
        name === 'grant_type' || rnd.next() < 0.3 ? rnd.pick(GRANTS) : rnd.text(rnd.int(0, 40)),
      () =>
        rnd.pick(['basic-client', 'public-client', 'rs256-client', 'secret-jwt-client', 'nobody']),
      () => clients.specs.post.secret!,
      () => junkJwt(rnd),
      () => 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      () => rnd.text(rnd.int(100, 300)),
      () => 'x'.repeat(rnd.pick([43, 129, 20_000])),
      () => '',
    ])();
    values.push(v);
    return v;
  };
  const pairs: [string, string][] = [];
  if (rnd.next() < 0.9)
    pairs.push(['grant_type', rnd.next() < 0.7 ? rnd.pick(GRANTS) : value('grant_type')]);
  for (let i = rnd.int(0, 7); i > 0; i--) {
    const name = rnd.next() < 0.9 ? rnd.pick(NAMES) : rnd.text(rnd.int(1, 12));
    pairs.push([name, value(name)]);
    if (rnd.next() < 0.1) pairs.push([name, value(name)]);
  }
  let body = new URLSearchParams(pairs).toString();
  const encoding = rnd.int(0, 9);
  if (encoding === 0) body = pairs.map(([n, v]) => `${n}=${v}`).join('&'); // unencoded
  if (encoding === 1) body = `${body}&%ZZ=%E0%A4%A&=&&==`;
  const headers: Record<string, string> = {
    'content-type':
      rnd.next() < 0.85
        ? rnd.pick([
            'application/x-www-form-urlencoded',
            'application/x-www-form-urlencoded; charset=UTF-8',
          ])
        : rnd.pick(['application/json', 'text/plain', 'multipart/form-data; boundary=x']),
  };
  if (encoding === 2) body = JSON.stringify(Object.fromEntries(pairs));
  const basic = clients.specs.basic;
  const auth = rnd.int(0, 6);
  if (auth <= 1) headers.authorization = basicAuth(basic.clientId, basic.secret!).authorization;
  if (auth === 2) {
    headers.authorization = `Basic ${Buffer.from(rnd.text(rnd.int(0, 30))).toString('base64')}`;
  }
  if (auth === 3) {
    headers.authorization = rnd.pick(['Basic', 'Basic !!!', 'Bearer abc', 'Basic Og==', 'DPoP x']);
  }
  if (auth === 4) headers.authorization = basicAuth(basic.clientId, rnd.text(10)).authorization;
  const method = rnd.next() < 0.95 ? 'POST' : rnd.pick(['GET', 'PUT', 'DELETE', 'PATCH']);
  return { method, headers, body, values };
}

describe.each(STORAGE_ROWS)('token endpoint fuzzing, %s storage', (_name, factory) => {
  const suite = useAuthServerSuite(factory);

  it('answers 1,000 random requests with RFC errors, never a 500', async () => {
    const rnd = seededRandom(0x7013);
    const cases = Array.from({ length: 1000 }, () => makeCase(rnd, suite.clients));
    const statuses = new Map<number, number>();
    for (let i = 0; i < cases.length; i += 25) {
      await Promise.all(
        cases.slice(i, i + 25).map(async (c) => {
          const response = await fetch(`${suite.as.issuer}/token`, {
            method: c.method,
            headers: c.headers,
            body: c.method === 'GET' ? undefined : c.body,
          });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const text = await response.text();
          expect([200, 400, 401, 405]).toContain(response.status);
          expect(response.headers.get('cache-control')).toBe('no-store');
          const body = JSON.parse(text) as Record<string, unknown>;
          if (response.status !== 200) {
            expect(ERRORS).toContain(body.error);
            const description = String(body.error_description ?? '');
            for (const value of c.values) {
              // Parameter and grant names may be named by a description; anything else sent may not.
              if (value.length >= 12 && !NAMES.includes(value) && !GRANTS.includes(value)) {
                expect(description).not.toContain(value);
              }
            }
          }
        }),
      );
    }
    expect(suite.as.crashes).toEqual([]);
    // The cases reach past the first checks: client authentication failures and some successes.
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect(statuses.get(401)).toBeGreaterThan(100);
    expect(statuses.get(200)).toBeGreaterThan(0);
  }, 120_000);
});
