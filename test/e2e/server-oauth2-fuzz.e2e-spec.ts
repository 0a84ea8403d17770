/**
 * 1,000 random token-endpoint requests (seeded: the same ones every run):
 * random parameter sets, repeated and oversized parameters, malformed
 * encodings, wrong content types, junk Basic credentials and assertions. Each
 * gets a 2xx or an RFC 6749 §5.2 error (400, 401, 405) with `no-store`,
 * never a 500, a crash, or an echo of what was sent.
 */
import { seededRandom } from '../unit/core/oauth1/seeded-random.js';
import { expectRfcRefusal, makeCase } from '../fixtures/auth-server/fuzz-cases.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { STORAGE_ROWS } from '../fixtures/auth-server/storages.js';

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
          if (response.status !== 200) expectRfcRefusal(body, c);
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
