// definePreset: hosts and baseUrls, declared PKCE / client auth / revocation, normalized claims,
// and the helpers that check instance options.
import type { OAuth2Client } from '../../../lib/core/oauth2/oauth2-client.js';
import { presets } from '../../../lib/presets/index.js';
import { definePreset, normalizeClaims, presetInfo } from '../../../lib/presets/define-preset.js';
import {
  dnsLabel,
  fillHost,
  instanceUrl,
  mergePreset,
  siteUrl,
} from '../../../lib/presets/preset.util.js';

const errorCode = (run: () => unknown): unknown => {
  try {
    run();
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
  return undefined;
};

describe('definePreset', () => {
  const demo = definePreset<'auth' | 'api'>({
    name: 'demo',
    title: 'Demo',
    docs: 'https://demo.example/docs',
    protocol: 'oauth2',
    hosts: { auth: 'https://auth.demo.example', api: 'https://api.demo.example' },
    pkce: 'S256',
    clientAuth: 'client_secret_post',
    scope: 'read',
    refresh: true,
    fields: ['sub', 'name'],
    quirks: [{ id: 'demo-quirk', summary: 'a quirk' }],
    endpoints: (h) => ({
      authorizeUrl: `${h.auth}/authorize`,
      accessTokenUrl: `${h.auth}/token`,
      revocationEndpoint: `${h.auth}/revoke`,
      userinfoEndpoint: `${h.api}/me`,
    }),
    profile: (user) => ({ sub: user.id, name: user.name, email: '', picture: null, extra: 0 }),
  });

  it('builds options from the definition, hosts overridable with baseUrls', () => {
    expect(demo()).toMatchObject({
      authorizeUrl: 'https://auth.demo.example/authorize',
      codeChallengeMethod: 'S256',
      clientKwargs: {
        scope: 'read',
        tokenEndpointAuthMethod: 'client_secret_post',
        revocationEndpoint: 'https://auth.demo.example/revoke',
      },
    });
    const moved = demo({ baseUrls: { api: 'http://127.0.0.1:9/demo/api/' } });
    expect(moved.userinfoEndpoint).toBe('http://127.0.0.1:9/demo/api/me');
    expect(moved.accessTokenUrl).toBe('https://auth.demo.example/token');
  });

  it('refuses a baseUrls host the preset does not have, or that is not an http(s) URL', () => {
    expect(errorCode(() => demo({ baseUrls: { nope: 'https://x.example' } as never }))).toBe(
      'ERR_OAUTH_PRESET',
    );
    expect(errorCode(() => demo({ baseUrls: { api: 'javascript:alert(1)' } }))).toBe(
      'ERR_OAUTH_PRESET',
    );
    expect(errorCode(() => demo({ baseUrls: { api: 'https://u:p@x.example' } }))).toBe(
      'ERR_OAUTH_PRESET',
    );
  });

  it('describes itself for the docs table', () => {
    expect(presetInfo(demo)).toMatchObject({
      name: 'demo',
      protocol: 'oauth2',
      pkce: 'S256',
      clientAuth: 'client_secret_post',
      refresh: true,
      revoke: true,
      hosts: ['auth', 'api'],
      quirks: [{ id: 'demo-quirk' }],
    });
    expect(presetInfo(() => ({}))).toBeUndefined();
  });

  it('normalizes the mapping: string sub, empty values dropped, other claims kept', async () => {
    const mapped = await demo().profile!({ id: 42, name: 'Ada' }, { access_token: 't' });
    expect(mapped).toEqual({ sub: '42', name: 'Ada', extra: 0 });
    await expect(
      Promise.resolve(demo().profile!({ name: 'no id' }, { access_token: 't' })),
    ).rejects.toThrow('no user id');
    await expect(
      Promise.resolve(demo().profile!([] as never, { access_token: 't' })),
    ).rejects.toThrow('not a JSON object');
    expect(normalizeClaims({ sub: 'a', email_verified: 'true', picture: 7 }, 'x')).toEqual({
      sub: 'a',
      email_verified: true,
    });
  });

  it("runs a caller's complianceFix after the preset's, never instead of it", () => {
    const order: string[] = [];
    const merged = mergePreset(
      { complianceFix: () => void order.push('preset') },
      { complianceFix: () => void order.push('caller') },
    );
    (merged.complianceFix as (client: OAuth2Client) => void)({} as OAuth2Client);
    expect(order).toEqual(['preset', 'caller']);
    // The Facebook preset keeps its appsecret_proof hook under a caller's fix.
    const hooks: string[] = [];
    const client = {
      clientSecret: 's',
      registerComplianceHook: (name: string) => hooks.push(name),
    };
    presets.facebook({ complianceFix: () => void hooks.push('mine') }).complianceFix!(
      client as never,
    );
    expect(hooks).toEqual(['protectedRequest', 'mine']);
  });
});

describe('instance options', () => {
  it('siteUrl takes a host name or an http(s) URL, nothing else', () => {
    expect(siteUrl('dev-1.okta.com', 'd')).toBe('https://dev-1.okta.com');
    expect(siteUrl('https://sso.example.com/auth/', 'd')).toBe('https://sso.example.com/auth');
    expect(siteUrl('http://127.0.0.1:8080', 'd')).toBe('http://127.0.0.1:8080');
    for (const bad of [
      '',
      ' ',
      'a b',
      'u@h.example',
      'https://u:p@h.example',
      'h.example?x',
      'h.example#f',
      'ftp://h.example',
      'javascript:alert(1)',
      42,
    ]) {
      expect([bad, errorCode(() => siteUrl(bad, 'd'))]).toEqual([bad, 'ERR_OAUTH_PRESET']);
    }
  });

  it('instanceUrl needs the option unless baseUrls filled the host', () => {
    expect(instanceUrl('https://{domain}', 'x.example', 'd')).toBe('https://x.example');
    expect(instanceUrl('http://127.0.0.1:1/okta/org', undefined, 'd')).toBe(
      'http://127.0.0.1:1/okta/org',
    );
    expect(errorCode(() => instanceUrl('https://{domain}', undefined, 'd'))).toBe(
      'ERR_OAUTH_PRESET',
    );
  });

  it('dnsLabel and fillHost keep an option inside its host', () => {
    expect(fillHost('https://{subdomain}.zendesk.com', 'subdomain', 'Acme', 's')).toBe(
      'https://acme.zendesk.com',
    );
    expect(fillHost('http://127.0.0.1:1/z', 'subdomain', undefined, 's')).toBe(
      'http://127.0.0.1:1/z',
    );
    for (const bad of ['a.b', 'a/b', '-a', 'a-', '', 'a'.repeat(64), undefined]) {
      expect(errorCode(() => dnsLabel(bad, 's'))).toBe('ERR_OAUTH_PRESET');
    }
  });
});
