/**
 * Every preset logs in through the Nest guards against a fake of its
 * provider (fixtures written from the provider's public API docs, served on
 * 127.0.0.1), and `@OAuthUser()` and the injected client's `profile()` give
 * the documented user, field by field.
 */
import { presetInfo } from '../../lib/presets/define-preset.js';
import { FIXTURES } from '../fixtures/provider-fakes/index.js';
import {
  presetOf,
  startPresetsHarness,
  type PresetsHarness,
} from '../fixtures/provider-fakes/harness.js';
import { PLATFORMS } from '../fixtures/nest-apps/start-app.js';

const PROFILE_FIELDS = [
  'sub',
  'name',
  'email',
  'email_verified',
  'picture',
  'preferred_username',
  'profile',
];

describe.each(PLATFORMS)('presets against their provider fakes on %s', (platform) => {
  let harness: PresetsHarness;

  beforeAll(async () => {
    harness = await startPresetsHarness(FIXTURES, platform);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it.each(FIXTURES.map((f) => [f.name, f] as const))(
    '%s: a full login gives the documented profile',
    async (name, fixture) => {
      const info = presetInfo(presetOf(fixture))!;
      const { last, authorizeUrl } = await harness.login(name);
      expect(last.status === 200 ? 200 : `HTTP ${last.status}: ${last.body.slice(0, 400)}`).toBe(
        200,
      );
      const { user } = JSON.parse(last.body) as { user: Record<string, unknown> };
      const { raw, ...claims } = user;
      for (const [field, value] of Object.entries(fixture.expected)) {
        expect([field, claims[field]]).toEqual([field, value]);
      }
      expect(claims).toEqual(fixture.expected);
      expect(raw).toEqual(fixture.raw ?? expect.any(Object));
      // The declared profile fields are exactly the ones this documented user fills
      // (variants such as Slack's v2 flow fill their own subset).
      const filled = PROFILE_FIELDS.filter((f) => f in claims).sort();
      if (name === fixture.preset) expect(filled).toEqual([...info.fields].sort());
      else expect(info.fields).toEqual(expect.arrayContaining(filled));
      // PKCE as declared.
      if (info.protocol !== 'oauth1') {
        expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe(info.pkce || null);
      }
      // The injected client's profile(token) gives the same profile later on.
      const later = await fetch(`${harness.app.url}/profile/${name}`);
      expect(later.status).toBe(200);
      const again = ((await later.json()) as { user: Record<string, unknown> }).user;
      expect(again).toEqual({ ...fixture.expected, raw: expect.any(Object) });
    },
  );
});
