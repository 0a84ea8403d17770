/**
 * 1,000 seeded random Authorization headers over real HTTP to an API that
 * trusts a real authorization server (oidc-provider: JWT validation and
 * introspection together): every answer is a 400, 401 or 403 with an RFC 6750
 * challenge, never a 5xx or a crash, and no token comes back.
 */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { OAuth2Client } from '../../lib/core/oauth2/oauth2-client.js';
import { ResourceProtector } from '../../lib/server/resource/resource-protector.js';
import { startOidcProvider, type OidcProviderFixture } from '../fixtures/oidc-provider.js';
import {
  issueResourceTokens,
  JWT_API,
  OPAQUE_API,
  OTHER_JWT_API,
  startProtectedApi,
  type ProtectedApi,
  serviceTokenFor,
} from '../fixtures/protected-api.js';
import { hmacJws, seededRandom } from '../unit/server/resource/support.js';

let op: OidcProviderFixture;
let api: ProtectedApi;

beforeAll(async () => {
  op = await startOidcProvider({ configure: issueResourceTokens });
  api = await startProtectedApi(
    new ResourceProtector({
      jwt: { issuer: op.issuer, audience: JWT_API, timeout: 5000 },
      introspection: {
        issuer: op.issuer,
        clientId: op.clients.basic.clientId,
        clientSecret: op.clients.basic.clientSecret,
        audience: OPAQUE_API,
        timeout: 5000,
      },
    }),
  );
});
afterAll(async () => {
  await api?.close();
  await op?.close();
});

/** One GET with a raw header value (node:http sends what fetch would refuse to). */
function get(
  path: string,
  authorization: string | string[],
): Promise<{ status: number; text: string; challenge?: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, api.url);
    const req = httpRequest(url, { headers: { authorization } as OutgoingHttpHeaders }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, text, challenge: res.headers['www-authenticate'] }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

it('1,000 random Authorization headers: 4xx only, never a 5xx, never an echo', async () => {
  const client = new OAuth2Client({
    clientId: op.clients.post.clientId,
    clientSecret: op.clients.post.clientSecret,
    tokenEndpointAuthMethod: 'client_secret_post',
    serverMetadataUrl: op.discoveryUrl,
  });
  const token = (resource: string, scope: string) => serviceTokenFor(client, resource, scope);
  const real = {
    jwtWrite: await token(JWT_API, 'api:write'),
    jwtOther: await token(OTHER_JWT_API, 'api:read'),
    opaqueWrite: await token(OPAQUE_API, 'api:write'),
    jwtRead: await token(JWT_API, 'api:read'),
  };
  const jwks = (await (await fetch(`${op.issuer}/jwks`)).json()) as { keys: object[] };

  const random = seededRandom(14);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chars = (alphabet: string, max: number) =>
    Array.from({ length: 1 + Math.floor(random() * max) }, () => pick([...alphabet])).join('');
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // Only what may travel in an HTTP header value: visible ASCII, space, tab, and latin-1.
  const VISIBLE = `${B64}+/=~.!#$%&'*^|\`"(),;:<>?@[]{}\\ \t\u00e9\u00ff`;
  const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = JSON.parse(Buffer.from(real.jwtRead.split('.')[1], 'base64url').toString());
  const makers: (() => string | string[])[] = [
    () => chars(VISIBLE, 60).trim() || 'x',
    () =>
      `${pick(['Bearer', 'bearer', 'Basic', 'DPoP', 'MAC', 'Bearer,'])} ${chars(VISIBLE, 80)}`.trim(),
    () => `Bearer ${chars(B64, 40)}`,
    () => `Bearer ${chars(B64, 30)}.${chars(B64, 150)}.${chars(B64, 300)}`,
    () =>
      `Bearer ${b64json({ alg: pick(['none', 'RS256', 'HS256', 'ES256', 'RS512']), typ: pick(['at+jwt', 'JWT', undefined]), kid: pick([op.signingKid, chars(B64, 12)]) })}.${b64json({ ...claims, iss: pick([op.issuer, `${op.issuer}/`, 'https://evil.example.com']), exp: pick([claims.exp, 1, 'x']) })}.${chars(B64, 342)}`,
    () =>
      `Bearer ${hmacJws({ alg: 'HS256', typ: 'at+jwt', kid: op.signingKid }, claims, JSON.stringify(pick(jwks.keys)))}`,
    () => `Bearer ${pick([real.jwtWrite, real.jwtOther, real.opaqueWrite])}`,
    () => `Bearer ${real.jwtRead.slice(0, 1 + Math.floor(random() * (real.jwtRead.length - 2)))}`,
    () => `Bearer ${real.jwtRead}${pick(['x', '=', '.', 'AAAA'])}`,
    () => `Bearer ${'A'.repeat(12_000 + Math.floor(random() * 4_000))}`,
    () => [`Bearer ${real.jwtRead}`, `Bearer ${chars(B64, 20)}`],
  ];

  const statuses = new Map<number, number>();
  for (let i = 0; i < 1000; i++) {
    const header = pick(makers)();
    const res = await get('/orders', header);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    expect([400, 401, 403, 431]).toContain(res.status);
    if (res.status !== 431) expect(res.challenge).toMatch(/^Bearer realm="api"/);
    for (const value of [header].flat()) {
      const sent = value.replace(/^\S+\s+/, '');
      if (sent.length >= 12) expect(res.text).not.toContain(sent);
    }
  }
  expect(api.failures).toEqual([]);
  expect(op.serverErrors).toEqual([]);
  expect([...statuses.keys()].filter((s) => s !== 431).sort()).toEqual([400, 401, 403]);
}, 120_000);
