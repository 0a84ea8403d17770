/**
 * 1,000 seeded random Authorization headers over real HTTP to an API that
 * trusts a real authorization server (oidc-provider: JWT validation and
 * introspection together): every answer is a 400, 401 or 403 with an RFC 6750
 * challenge, never a 5xx or a crash, and no token comes back.
 */
import { ResourceProtector } from '../../lib/server/resource/resource-protector.js';
import { startOidcProvider, type OidcProviderFixture } from '../fixtures/oidc-provider.js';
import {
  issueResourceTokens,
  JWT_API,
  OPAQUE_API,
  startProtectedApi,
  type ProtectedApi,
} from '../fixtures/protected-api.js';
import {
  authorizationHeaders,
  fuzzAuthorization,
  issueFuzzTokens,
} from '../fixtures/bearer-fuzz.js';

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

it('1,000 random Authorization headers: 4xx only, never a 5xx, never an echo', async () => {
  const next = authorizationHeaders(14, await issueFuzzTokens(op));
  const statuses = await fuzzAuthorization(`${api.url}/orders`, 1000, next);
  expect(api.failures).toEqual([]);
  expect(op.serverErrors).toEqual([]);
  expect([...statuses.keys()].filter((s) => s !== 431).sort()).toEqual([400, 401, 403]);
}, 120_000);
