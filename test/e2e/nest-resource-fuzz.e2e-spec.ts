/**
 * Issue 14 through Nest: 1,000 seeded random `Authorization` headers to a
 * route protected by `@RequireOAuth('api:read')`, on Express and Fastify,
 * trusting a real authorization server (oidc-provider: JWT validation and
 * introspection together): every answer is a 400, 401 or 403 with an RFC 6750
 * challenge, never a 5xx; no token comes back, nothing is logged as an error.
 */
import { startOidcProvider, type OidcProviderFixture } from '../fixtures/oidc-provider.js';
import { issueResourceTokens, JWT_API, OPAQUE_API } from '../fixtures/protected-api.js';
import {
  authorizationHeaders,
  fuzzAuthorization,
  issueFuzzTokens,
  type FuzzTokens,
} from '../fixtures/bearer-fuzz.js';
import { ProtectedApiAppModule } from '../fixtures/nest-apps/protected-api.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

let op: OidcProviderFixture;
let tokens: FuzzTokens;

beforeAll(async () => {
  op = await startOidcProvider({ configure: issueResourceTokens });
  tokens = await issueFuzzTokens(op);
});
afterAll(async () => {
  await op?.close();
});

describe.each(PLATFORMS)('1,000 random Authorization headers through Nest, on %s', (platform) => {
  let app: StartedApp;

  beforeAll(async () => {
    app = await startApp(
      ProtectedApiAppModule.with({
        resource: {
          issuer: op.issuer,
          audience: JWT_API,
          timeout: 5000,
          introspection: {
            clientId: op.clients.basic.clientId,
            clientSecret: op.clients.basic.clientSecret,
            audience: OPAQUE_API,
          },
        },
      }),
      platform,
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('4xx only, never a 5xx, never an echo, nothing logged as an error', async () => {
    const next = authorizationHeaders(platform === 'express' ? 14 : 15, tokens);
    const statuses = await fuzzAuthorization(`${app.url}/orders`, 1000, next);
    expect([...statuses.keys()].filter((s) => s !== 431).sort()).toEqual([400, 401, 403]);
    expect(op.serverErrors).toEqual([]);
    expect(app.logger.lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    for (const token of [tokens.jwtRead, ...tokens.others]) {
      expect(app.logger.text()).not.toContain(token);
    }
  }, 120_000);
});
