/**
 * 1,000 random token-endpoint requests (seeded: the same ones every run):
 * random parameter sets, repeated and oversized parameters, malformed
 * encodings, wrong content types, junk Basic credentials and assertions. Each
 * gets a 2xx or an RFC 6749 §5.2 error (400, 401, 405) with `no-store`,
 * never a 500, a crash, or an echo of what was sent.
 */
import {
  expectFuzzReach,
  expectRfcAnswer,
  sendFuzzCases,
} from '../fixtures/auth-server/fuzz-cases.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { STORAGE_ROWS } from '../fixtures/auth-server/storages.js';

describe.each(STORAGE_ROWS)('token endpoint fuzzing, %s storage', (_name, factory) => {
  const suite = useAuthServerSuite(factory);

  it('answers 1,000 random requests with RFC errors, never a 500', async () => {
    const statuses = await sendFuzzCases(suite.as.issuer, suite.clients, expectRfcAnswer);
    expect(suite.as.crashes).toEqual([]);
    expectFuzzReach(statuses);
  }, 120_000);
});
