/**
 * Where the normalized profile comes from: for OpenID Connect presets the
 * validated ID token, completed from UserInfo only when it lacks what the
 * scope asked for, and only when UserInfo names the same user; `profile()`
 * later on refreshes an expired token first.
 */
import type { OAuth2App, OAuth2Token } from '../../lib/index.js';
import { json } from '../fixtures/provider-fakes/fixture.js';
import { google, microsoft } from '../fixtures/provider-fakes/providers/identity.fixtures.js';
import { spotify } from '../fixtures/provider-fakes/providers/media.fixtures.js';
import { twitter } from '../fixtures/provider-fakes/providers/social.fixtures.js';
import { startPresetsHarness, type PresetsHarness } from '../fixtures/provider-fakes/harness.js';

let harness: PresetsHarness;

beforeAll(async () => {
  harness = await startPresetsHarness([google, microsoft, spotify, twitter], 'express');
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

const userinfoCalls = (name: string, route: string) =>
  harness.fakes.log(name).filter((r) => `${r.method} ${r.host} ${r.path}` === route).length;

describe('the normalized profile', () => {
  it('takes an ID token that has the asked-for claims as it is (no UserInfo call)', async () => {
    harness.fakes.clearLogs();
    const { last } = await harness.login('google');
    expect(last.status).toBe(200);
    expect(JSON.parse(last.body).user.raw).toMatchObject({
      iss: expect.any(String),
      aud: 'google-client-id',
    });
    expect(userinfoCalls('google', 'GET openidconnect /v1/userinfo')).toBe(0);
  });

  it('completes an ID token without e-mail from UserInfo (ID token claims win)', async () => {
    harness.fakes.clearLogs();
    const { last } = await harness.login('microsoft');
    const { user } = JSON.parse(last.body);
    expect(user).toMatchObject({
      email: 'AbeLi@microsoft.com',
      tid: '9122040d-6c67-4c5b-b112-36a304b66dad',
    });
    expect(user.raw).toMatchObject({ family_name: 'Lincoln', ver: '2.0' });
    expect(userinfoCalls('microsoft', 'GET graph /oidc/userinfo')).toBe(1);
  });

  it('refuses a UserInfo answer about another user than the ID token (401)', async () => {
    const restore = harness.fakes.override('microsoft', 'GET graph /oidc/userinfo', () =>
      json({ sub: 'someone-else', email: 'mallory@evil.example' }),
    );
    try {
      const { last } = await harness.login('microsoft');
      expect(last.status).toBe(401);
      expect(JSON.parse(last.body).error).toBe('invalid_token');
      expect(last.body).not.toContain('mallory');
    } finally {
      restore();
    }
  });

  it("profile() refreshes an expired token first, then maps the provider's answer", async () => {
    await harness.login('spotify');
    const stored = harness.store.tokens.get('spotify') as OAuth2Token;
    const expired = { ...stored, expires_at: Math.floor(Date.now() / 1000) - 10 };
    harness.fakes.clearLogs();
    const profile = await (harness.client('spotify') as OAuth2App).profile(expired);
    expect(profile).toMatchObject({ sub: 'majalind', raw: { id: 'majalind', product: 'premium' } });
    const grants = harness.fakes
      .log('spotify')
      .map((r) => r.form.get('grant_type'))
      .filter(Boolean);
    expect(grants).toEqual(['refresh_token']);
  });

  it('OAuth 1: profile() signs the profile call with the token credentials', async () => {
    await harness.login('twitter');
    const profile = await harness
      .client('twitter')
      .profile(harness.store.tokens.get('twitter') as never);
    expect(profile).toMatchObject({ sub: '1180182735193583616', preferred_username: 'TwitterAPI' });
  });
});
