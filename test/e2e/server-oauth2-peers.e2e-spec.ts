/**
 * Our authorization server, served on node:http, driven by three client
 * libraries no one here wrote the server for: openid-client 6, oauth4webapi 3
 * and this library's own OAuth2Client. Every grant and client authentication
 * method; each library validates the ID tokens itself. Runs on every storage
 * of `STORAGES`.
 */
import { describePeerFlows } from '../fixtures/auth-server/peer-flows.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { STORAGE_ROWS } from '../fixtures/auth-server/storages.js';

describe.each(STORAGE_ROWS)('authorization server on the %s storage', (_name, factory) => {
  describePeerFlows(useAuthServerSuite(factory));
});
