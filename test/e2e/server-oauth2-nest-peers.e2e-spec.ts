/**
 * The authorization server through the Nest module (OAuth2ServerModule and
 * a controller with the endpoint decorators), on Express and Fastify, in an
 * app with a catch-all exception filter and an envelope interceptor of its
 * own: openid-client 6, oauth4webapi 3 and this library's OAuth2Client run
 * every grant and client authentication method end to end, each validating
 * the ID tokens itself. Runs on every storage of `STORAGES`.
 */
import { PLATFORMS } from '../fixtures/nest-apps/start-app.js';
import { startNestAuthServer } from '../fixtures/auth-server/nest-server.js';
import { describePeerFlows } from '../fixtures/auth-server/peer-flows.js';
import { STORAGE_ROWS } from '../fixtures/auth-server/storages.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';

describe.each(PLATFORMS)('OAuth2ServerModule on %s', (platform) => {
  describe.each(STORAGE_ROWS)('%s storage', (_name, factory) => {
    describePeerFlows(
      useAuthServerSuite(
        factory,
        () => ({}),
        (options) => startNestAuthServer(platform, { ...options, appEnhancers: true }),
      ),
    );
  });
});
