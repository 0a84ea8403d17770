/**
 * 1,000 hostile `Authorization` headers (seeded, so every run sends the same
 * ones): a validly signed protected-resource request, then one mutation of
 * its header. Each must be refused with the status and oauth_problem its
 * mutation calls for (RFC 5849 §3.2: 400 for a malformed request, 401 for
 * credentials that do not check out), as an OAuth1ProviderError (never
 * another exception, which an app would turn into a 500), and without any
 * secret in the answer.
 */
import { percentEncode } from '../../../../lib/core/oauth1/percent-encode.js';
import { mutate, type Outcome } from '../../../fixtures/oauth1-header-mutations.js';
import type { ServerRequest } from '../../../../lib/server/http/server-request.js';
import { OAuth1ProviderError } from '../../../../lib/server/oauth1/index.js';
import { seededRandom } from '../../core/oauth1/seeded-random.js';
import {
  CLIENTS,
  URLS,
  client,
  issueAccessToken,
  makeProvider,
  toServerRequest,
  type TestProvider,
} from './support.js';

const CASES = 1000;
let t: TestProvider;
let token: { oauth_token: string; oauth_token_secret: string };
beforeAll(async () => {
  t = makeProvider();
  token = await issueAccessToken(t);
});

it(`refuses ${CASES} mutated Authorization headers with the right status, never anything else`, async () => {
  const random = seededRandom(0x5849);
  const secrets = [
    CLIENTS.a.clientSecret,
    percentEncode(CLIENTS.a.clientSecret),
    token.oauth_token_secret,
  ];
  const seen = new Map<string, number>();
  const wrong: string[] = [];
  const c = client();
  for (let i = 0; i < CASES; i++) {
    const valid: ServerRequest = toServerRequest(
      c.sign('GET', `${URLS.resource}?page=${i}`, {
        token,
        nonce: `fuzz-nonce-${i}`,
        timestamp: t.clock.now,
      }),
    );
    const mutation = mutate(String(valid.headers.authorization), random);
    const kind = mutation.kind.replace(/ of .*/, '');
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
    let outcome: unknown;
    try {
      await t.provider.verifyRequest({ ...valid, headers: { authorization: mutation.header } });
      outcome = 'accepted';
    } catch (err) {
      outcome = err;
    }
    const label = `#${i} ${mutation.kind}: ${JSON.stringify(mutation.header)}`;
    if (!(outcome instanceof OAuth1ProviderError)) {
      wrong.push(`${label} -> ${outcome instanceof Error ? outcome.stack : String(outcome)}`);
      continue;
    }
    const got: Outcome = [outcome.response.status, outcome.problem];
    if (!mutation.expected.some(([s, p]) => s === got[0] && p === got[1])) {
      wrong.push(`${label} -> ${got.join(' ')}`);
    }
    const text = `${outcome.message} ${outcome.response.body}`;
    if (secrets.some((secret) => text.includes(secret))) wrong.push(`${label} -> leaks a secret`);
    if (!/^oauth_problem=/.test(outcome.response.body ?? '')) wrong.push(`${label} -> body`);
  }
  expect(wrong).toEqual([]);
  // Every kind of mutation was tried many times.
  for (const count of seen.values()) expect(count).toBeGreaterThan(50);
  expect(seen.size).toBe(10);
  // And the unmutated request still passes: the mutations, not the setup, were refused.
  const control = toServerRequest(c.sign('GET', URLS.resource, { token, timestamp: t.clock.now }));
  await expect(t.provider.verifyRequest(control)).resolves.toMatchObject({ user: { id: 'alice' } });
});
