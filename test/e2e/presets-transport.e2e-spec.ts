/**
 * Every call a preset makes goes through the client's transport (issue 11
 * item 6, issue 12): GitHub's `/user/emails` is read with the configured
 * `fetch`, and a body that trickles is cut at the client's `timeout`, so the
 * callback answers in time and the app closes.
 */
import type { FetchLike } from '../../lib/core/http/fetcher.js';
import { github } from '../fixtures/provider-fakes/providers/developer.fixtures.js';
import { startPresetsHarness, type PresetsHarness } from '../fixtures/provider-fakes/harness.js';
import { PLATFORMS } from '../fixtures/nest-apps/start-app.js';

const TIMEOUT = 400;

describe.each(PLATFORMS)('preset calls through the client on %s', (platform) => {
  let harness: PresetsHarness;
  const seen: string[] = [];
  const recordingFetch: FetchLike = (input, init) => {
    seen.push(new URL(input instanceof Request ? input.url : input).pathname);
    return fetch(input, init);
  };

  beforeAll(async () => {
    harness = await startPresetsHarness([github], platform, () => ({
      fetch: recordingFetch,
      timeout: TIMEOUT,
    }));
  });

  afterAll(async () => {
    const started = Date.now();
    await harness?.close();
    // No socket of a cut-off body keeps the app or the fake open.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reads /user/emails with the configured fetch', async () => {
    seen.length = 0;
    const { last } = await harness.login('github');
    expect(last.status).toBe(200);
    expect(JSON.parse(last.body).user.email).toBe('octocat@github.com');
    expect(seen).toEqual(
      expect.arrayContaining([
        '/github/web/login/oauth/access_token',
        '/github/api/user',
        '/github/api/user/emails',
      ]),
    );
  });

  it("cuts a trickling /user/emails body at the client's timeout and logs in without the e-mail", async () => {
    const restore = harness.fakes.override('github', 'GET api /user/emails', () => ({
      body: JSON.stringify([{ email: 'slow@example.com', primary: true, verified: true }]).padEnd(
        4000,
      ),
      headers: { 'content-type': 'application/json' },
      trickle: 20,
    }));
    try {
      const started = Date.now();
      const { last } = await harness.login('github');
      const elapsed = Date.now() - started;
      expect(last.status).toBe(200);
      const { user } = JSON.parse(last.body);
      expect(user).toMatchObject({ sub: '583231', preferred_username: 'octocat' });
      expect(user.email).toBeUndefined();
      // The 4000-byte body would take 80 s; the client gives up after its timeout.
      expect(elapsed).toBeLessThan(TIMEOUT * 2 + 1500);
    } finally {
      restore();
    }
  }, 10_000);
});
