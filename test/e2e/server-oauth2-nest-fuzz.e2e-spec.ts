/**
 * The 1,000 seeded random token-endpoint requests of the core's fuzz suite,
 * through the Nest module on Express and Fastify (Nest's default body
 * parsers, an app with its own catch-all filter and envelope interceptor).
 * Every form body reaches the module and gets a 2xx or an RFC 6749 §5.2
 * error with `no-store` and no echo of what was sent. What the framework
 * refuses before any route runs (a malformed JSON body, on Fastify a
 * multipart body) is a 400 or 415 from it; a method no route has is a 404.
 * Never a 500, never an error logged.
 */
import {
  expectFuzzReach,
  expectRfcAnswer,
  sendFuzzCases,
} from '../fixtures/auth-server/fuzz-cases.js';
import { startNestAuthServer } from '../fixtures/auth-server/nest-server.js';
import { STORAGE_ROWS } from '../fixtures/auth-server/storages.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { PLATFORMS } from '../fixtures/nest-apps/start-app.js';

describe.each(PLATFORMS)('token endpoint fuzzing through the Nest module on %s', (platform) => {
  describe.each(STORAGE_ROWS)('%s storage', (_name, factory) => {
    const suite = useAuthServerSuite(
      factory,
      () => ({}),
      (options) => startNestAuthServer(platform, { ...options, appEnhancers: true }),
    );

    it('answers 1,000 random requests with RFC errors (or the framework 4xx), never a 500', async () => {
      let framework = 0;
      const statuses = await sendFuzzCases(suite.as.issuer, suite.clients, (c, response, text) => {
        if (c.method !== 'GET' && c.method !== 'POST') {
          // No route (or the body parser refused the body first).
          expect([400, 404, 415]).toContain(response.status);
          return;
        }
        const form = c.headers['content-type'].startsWith('application/x-www-form-urlencoded');
        if (response.headers.get('cache-control') !== 'no-store') {
          // Refused by the framework's body parser before any route: only for other media types.
          expect(form).toBe(false);
          expect([400, 415]).toContain(response.status);
          framework++;
          return;
        }
        expectRfcAnswer(c, response, text);
      });
      expect(suite.as.crashes).toEqual([]);
      expectFuzzReach(statuses);
      expect(framework).toBeLessThan(150);
    }, 120_000);
  });
});
