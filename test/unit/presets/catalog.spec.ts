// The preset catalogue: every preset is declared through definePreset, has a provider fake, and
// docs/presets.md shows the tables generated from the current definitions.
import { readFileSync } from 'node:fs';
import { presets } from '../../../lib/presets/index.js';
import { presetInfo } from '../../../lib/presets/define-preset.js';
import { generatePresetsDoc, presetInfos, PRESETS_DOC } from '../../../scripts/presets-doc.js';
import { FIXTURES } from '../../fixtures/provider-fakes/index.js';

const ISSUE_17 = [
  'google',
  'github',
  'gitlab',
  'microsoft',
  'apple',
  'x',
  'twitter',
  'facebook',
  'instagram',
  'linkedin',
  'discord',
  'slack',
  'spotify',
  'twitch',
  'reddit',
  'dropbox',
  'bitbucket',
  'atlassian',
  'notion',
  'zoom',
  'strava',
  'patreon',
  'salesforce',
  'shopify',
  'okta',
  'auth0',
  'keycloak',
  'cognito',
  'authentik',
  'zitadel',
  'yahoo',
  'yandex',
  'vk',
  'line',
  'kakao',
  'naver',
  'wechat',
  'weibo',
  'douban',
  'figma',
  'box',
  'coinbase',
  'paypal',
  'stripe',
  'tumblr',
  'trello',
  'xero',
  'quickbooks',
  'hubspot',
  'mailchimp',
  'heroku',
  'digitalocean',
  'vercel',
  'netlify',
  'gitea',
  'amazon',
  'epicgames',
  'battlenet',
];

describe('preset catalogue', () => {
  const infos = presetInfos();

  it('has at least 70 presets, every one named in issue 17 among them', () => {
    expect(infos.length).toBeGreaterThanOrEqual(70);
    expect(infos.map((i) => i.name)).toEqual(expect.arrayContaining(ISSUE_17));
  });

  it('declares every preset through definePreset, under its own name', () => {
    for (const [name, fn] of Object.entries(presets)) {
      expect([name, presetInfo(fn)?.name]).toEqual([name, name]);
    }
  });

  it('declares for each preset its docs, PKCE, refresh, fields and unique quirk ids', () => {
    const ids = infos.flatMap((i) => i.quirks.map((q) => q.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const info of infos) {
      expect(new URL(info.docs).protocol).toBe('https:');
      expect(info.fields).toContain('sub');
      expect(typeof info.refresh).toBe('boolean');
      for (const q of info.quirks) expect(q.id.startsWith(`${info.name}-`)).toBe(true);
      if (info.protocol === 'oauth1') expect(info.pkce).toBe(false);
    }
  });

  it('has a provider fake for every preset, each citing public documentation', () => {
    const covered = new Set(FIXTURES.map((f) => f.preset));
    expect(infos.map((i) => i.name).filter((n) => !covered.has(n))).toEqual([]);
    for (const fixture of FIXTURES) {
      expect(fixture.docs.length).toBeGreaterThan(0);
      for (const url of fixture.docs) expect(new URL(url).protocol).toBe('https:');
    }
  });

  it('docs/presets.md shows the tables of the current definitions (npm run docs:presets)', async () => {
    expect(readFileSync(PRESETS_DOC, 'utf8')).toBe(await generatePresetsDoc());
  });
});
