/**
 * Every quirk a preset declares has a test here that fails when the preset's
 * hook for it is removed (the last test checks that none is missing). The
 * behavioural ones run a login through the guards against the provider's
 * fake, which behaves as the provider documents (it refuses what the
 * provider refuses).
 */
import type { OAuth2App, OAuth2Token, OAuthClientOptions } from '../../lib/index.js';
import { presets } from '../../lib/index.js';
import { presetInfos } from '../../scripts/presets-doc.js';
import { FIXTURES } from '../fixtures/provider-fakes/index.js';
import { json } from '../fixtures/provider-fakes/fixture.js';
import { VARIANTS } from '../fixtures/provider-fakes/variants.js';
import { startPresetsHarness, type PresetsHarness } from '../fixtures/provider-fakes/harness.js';

let harness: PresetsHarness;

beforeAll(async () => {
  harness = await startPresetsHarness([...FIXTURES, ...VARIANTS], 'express');
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

/** Logs in; the app's answer as `{ status, user }` (user `undefined` unless 200). */
async function login(name: string): Promise<{ status: number; user: any; body: any; url: URL }> {
  const { last, authorizeUrl } = await harness.login(name);
  const body = JSON.parse(last.body);
  return {
    status: last.status,
    user: last.status === 200 ? body.user : undefined,
    body,
    url: authorizeUrl,
  };
}

/** Logs in and expects success. */
async function user(name: string): Promise<Record<string, any>> {
  const result = await login(name);
  expect(result.status === 200 ? 200 : JSON.stringify(result.body)).toBe(200);
  return result.user;
}

const token = (name: string) => harness.store.tokens.get(name) as OAuth2Token;
const requests = (name: string, route: string) =>
  harness.fakes.log(name).filter((r) => `${r.method} ${r.host} ${r.path}` === route);

/** An API call through the injected client, with the token of the last login. */
async function call(name: string, path: string): Promise<number> {
  const response = await (harness.client(name) as OAuth2App).get(path, { token: token(name) });
  await response.arrayBuffer();
  return response.status;
}

/** A preset option refused at start-up with ERR_OAUTH_PRESET. */
function refuses(build: () => OAuthClientOptions): void {
  let caught: unknown;
  try {
    build();
  } catch (err) {
    caught = err;
  }
  expect((caught as { code?: string })?.code).toBe('ERR_OAUTH_PRESET');
}

/** Every URL an options object names, as strings. */
const urls = (o: OAuthClientOptions) =>
  [o.serverMetadataUrl, o.authorizeUrl, o.accessTokenUrl, o.userinfoEndpoint, o.apiBaseUrl]
    .concat([(o.clientKwargs as { revocationEndpoint?: string })?.revocationEndpoint])
    .filter((u): u is string => typeof u === 'string');

const HOSTILE = [
  'evil.example/x?y=1',
  'user@evil.example',
  'javascript:alert(1)',
  'https://a@b.example',
  '',
];

const QUIRK_TESTS: Record<string, () => Promise<void> | void> = {
  'github-token-response': async () => {
    await user('github');
    expect(token('github').scope).toBe('read:user user:email');
    expect(
      requests('github', 'POST web /login/oauth/access_token').at(-1)?.headers.accept,
    ).toContain('application/json');
  },
  'github-user-emails': async () => {
    expect(await user('github')).toMatchObject({
      email: 'octocat@github.com',
      email_verified: true,
    });
  },
  'google-offline': async () => {
    const result = await login('google-offline');
    expect(result.status).toBe(200);
    expect(Object.fromEntries(result.url.searchParams)).toMatchObject({
      access_type: 'offline',
      prompt: 'consent',
    });
  },
  'google-hosted-domain': async () => {
    const result = await login('google-workspace');
    expect(result.url.searchParams.get('hd')).toBe('example.com');
    expect(result.status).toBe(401);
    expect(result.body.error).toBe('invalid_token');
  },
  'microsoft-tenant-issuer': async () => {
    const result = await login('microsoft');
    expect(result.status).toBe(200);
    expect(result.url.pathname).toContain('/organizations/oauth2/v2.0/authorize');
    expect(result.user.tid).toBe('9122040d-6c67-4c5b-b112-36a304b66dad');
  },
  'gitlab-self-managed': () => {
    const options = presets.gitlab({ baseUrl: 'https://git.example.com/' });
    for (const url of urls(options)) expect(url.startsWith('https://git.example.com/')).toBe(true);
    refuses(() => presets.gitlab({ baseUrl: 'https://a@b.example' }));
  },
  'discord-avatar-hash': async () => {
    expect((await user('discord')).picture).toBe(
      'https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png',
    );
  },
  'facebook-appsecret-proof': async () => {
    await user('facebook');
    expect(await call('facebook', 'me')).toBe(200);
    const proof = requests('facebook', 'GET graph /v24.0/me').at(-1)?.query.get('appsecret_proof');
    expect(proof).toMatch(/^[0-9a-f]{64}$/);
  },
  'facebook-graph-version': () => {
    const options = presets.facebook({ version: 'v21.0' });
    for (const url of urls(options)) expect(url).toContain('/v21.0/');
  },
  'linkedin-locale-object': async () => {
    expect((await user('linkedin')).locale).toBe('en-US');
  },
  'x-pkce-basic': async () => {
    await user('x');
    const sent = requests('x', 'POST api /2/oauth2/token').at(-1)!;
    expect(sent.headers.authorization).toMatch(/^Basic /);
    expect(sent.form.get('code_verifier')).toBeTruthy();
  },
  'twitter-id-str': async () => {
    expect((await user('twitter')).sub).toBe('1180182735193583616');
  },
  'apple-form-post': async () => {
    const result = await login('apple');
    expect(result.url.searchParams.get('response_mode')).toBe('form_post');
    expect(result.status).toBe(200);
  },
  'apple-client-secret': async () => {
    await user('apple');
    const secret = requests('apple', 'POST appleid /auth/token').at(-1)!.form.get('client_secret')!;
    expect(JSON.parse(Buffer.from(secret.split('.')[0], 'base64url').toString())).toMatchObject({
      alg: 'ES256',
      kid: 'KEY1234567',
    });
  },
  'apple-first-login-name': async () => {
    expect(await user('apple')).toMatchObject({ name: 'Jane Appleseed', given_name: 'Jane' });
  },
  'twitch-claims-parameter': async () => {
    expect((await user('twitch')).email).toBe('bazbar@example.com');
  },
  'twitch-client-id-header': async () => {
    await user('twitch');
    expect(await call('twitch', 'users')).toBe(200);
  },
  'reddit-user-agent': async () => {
    await user('reddit');
    expect(await call('reddit', 'api/v1/me')).toBe(200);
  },
  'reddit-permanent': async () => {
    expect((await login('reddit')).url.searchParams.get('duration')).toBe('permanent');
  },
  'dropbox-offline': async () => {
    expect((await login('dropbox')).url.searchParams.get('token_access_type')).toBe('offline');
  },
  'dropbox-rpc-profile': async () => {
    expect((await user('dropbox')).email).toBe('franz@dropbox.com');
  },
  'bitbucket-user-emails': async () => {
    expect((await user('bitbucket')).email).toBe('evan@example.com');
  },
  'atlassian-audience': async () => {
    expect((await login('atlassian')).status).toBe(200);
  },
  'notion-owner-in-token': async () => {
    expect((await user('notion')).sub).toBe('e79a0b74-3aba-4149-9f74-0bb5791a6ee6');
  },
  'notion-version-header': async () => {
    await user('notion');
    expect(await call('notion', 'users/me')).toBe(200);
  },
  'strava-athlete-in-token': async () => {
    expect((await user('strava')).sub).toBe('134815');
  },
  'patreon-fields': async () => {
    expect((await user('patreon')).email).toBe('corgi@example.com');
  },
  'figma-refresh-endpoint': async () => {
    await user('figma');
    const app = harness.client('figma') as OAuth2App;
    await app.client.refreshToken(undefined, { refreshToken: token('figma').refresh_token });
    expect(requests('figma', 'POST api /v1/oauth/refresh')).toHaveLength(1);
  },
  'heroku-api-version': async () => {
    expect((await user('heroku')).email).toBe('username@example.com');
  },
  'zendesk-subdomain': () => {
    expect(presets.zendesk({ subdomain: 'acme' }).accessTokenUrl).toBe(
      'https://acme.zendesk.com/oauth/tokens',
    );
    for (const bad of [...HOSTILE, 'evil.example', undefined])
      refuses(() => presets.zendesk({ subdomain: bad }));
  },
  'mastodon-instance': () => {
    expect(presets.mastodon({ instance: 'mastodon.social' }).accessTokenUrl).toBe(
      'https://mastodon.social/oauth/token',
    );
    for (const bad of HOSTILE) refuses(() => presets.mastodon({ instance: bad }));
    refuses(() => presets.mastodon());
  },
  'lichess-public-client': async () => {
    await user('lichess');
    const sent = requests('lichess', 'POST web /api/token').at(-1)!;
    expect(sent.form.get('client_secret')).toBeNull();
    expect(sent.form.get('code_verifier')).toBeTruthy();
  },
  'lichess-account-email': async () => {
    expect((await user('lichess')).email).toBe('abathur@mail.org');
  },
  'linear-graphql-profile': async () => {
    expect((await user('linear')).email).toBe('karri@linear.example');
  },
  'stripe-connected-account': async () => {
    expect((await user('stripe')).sub).toBe('acct_1032D82eZvKYlo2C');
    expect(requests('stripe', 'GET api /v1/account')).not.toHaveLength(0);
  },
  'hubspot-token-in-path': async () => {
    const profile = await user('hubspot');
    expect(profile.raw.token).toBeUndefined();
    // A failing call names the endpoint without the token.
    const restore = harness.fakes.override('hubspot', 'GET api /oauth/v1/access-tokens/*', () =>
      json({ status: 'error' }, 500),
    );
    try {
      const failed = await login('hubspot');
      expect(failed.status).toBe(502);
      const issued = harness.fakes.lastAccessToken('hubspot')!;
      expect(JSON.stringify(failed.body)).not.toContain(issued);
      expect(harness.app.logger.text()).not.toContain(issued);
      const app = harness.client('hubspot') as OAuth2App;
      const err = await app.profile(token('hubspot')).catch((e: Error) => e);
      expect((err as Error).message).toContain('/oauth/v1/access-tokens/');
      expect((err as Error).message).not.toContain(token('hubspot').access_token);
    } finally {
      restore();
    }
  },
  'mailchimp-no-expiry': async () => {
    await user('mailchimp');
    expect(token('mailchimp').expires_at).toBeUndefined();
    expect(
      await (harness.client('mailchimp') as OAuth2App).profile(token('mailchimp')),
    ).toMatchObject({ dc: 'us1' });
  },
  'mailchimp-oauth-scheme': async () => {
    expect((await user('mailchimp')).sub).toBe('40282173');
  },
  'instagram-data-wrapper': async () => {
    await user('instagram');
    expect(token('instagram')).toMatchObject({ user_id: '8123456789012345', token_type: 'Bearer' });
  },
  'instagram-token-in-query': async () => {
    expect((await user('instagram')).preferred_username).toBe('jayden.b');
  },
  'vk-email-in-token': async () => {
    expect((await user('vk')).email).toBe('lindsey@example.com');
  },
  'vk-api-version': async () => {
    expect((await user('vk')).preferred_username).toBe('lindseystirling');
  },
  'kakao-account': async () => {
    expect(await user('kakao')).toMatchObject({ email: 'sample@sample.com', email_verified: true });
    const mapped = await presets.kakao().profile!(
      {
        id: 1,
        kakao_account: { email: 'x@y.example', is_email_valid: true, is_email_verified: false },
      },
      { access_token: 't' },
    );
    expect(mapped).toEqual({ sub: '1', email: 'x@y.example', email_verified: false });
  },
  'naver-resultcode': async () => {
    const restore = harness.fakes.override('naver', 'GET openapi /v1/nid/me', () =>
      // Not "00": whatever else the answer holds is not a profile to trust.
      json({ resultcode: '024', message: 'Authentication failed', response: { id: '32742776' } }),
    );
    try {
      expect((await login('naver')).status).toBe(502);
    } finally {
      restore();
    }
  },
  'wechat-appid': async () => {
    const result = await login('wechat');
    expect(result.status).toBe(200);
    expect(result.url.hash).toBe('#wechat_redirect');
    expect([...result.url.searchParams.keys()].slice(0, 5)).toEqual([
      'appid',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
    ]);
  },
  'wechat-errcode': async () => {
    const restore = harness.fakes.override('wechat', 'POST api /sns/oauth2/access_token', () =>
      json({ errcode: 40029, errmsg: 'invalid code' }),
    );
    try {
      const result = await login('wechat');
      expect(result.status).toBe(400);
      expect(result.body.error).toBe('invalid_grant');
    } finally {
      restore();
    }
  },
  'wechat-openid': async () => {
    expect((await user('wechat')).name).toBe('Band');
  },
  'weibo-uid': async () => {
    expect((await user('weibo')).sub).toBe('1404376560');
  },
  'weibo-oauth2-scheme': async () => {
    await user('weibo');
    expect(requests('weibo', 'GET api /2/users/show.json').at(-1)?.headers.authorization).toMatch(
      /^OAuth2 /,
    );
  },
  'yandex-oauth-scheme': async () => {
    expect((await user('yandex')).preferred_username).toBe('ivan');
  },
  'slack-authed-user': async () => {
    expect((await user('slack-v2')).sub).toBe('U1234');
    expect(token('slack-v2')).toMatchObject({ token_type: 'user', authed_user: { id: 'U1234' } });
  },
  'tiktok-client-key': async () => {
    const result = await login('tiktok');
    expect(result.status).toBe(200);
    expect(result.url.searchParams.has('client_id')).toBe(false);
  },
  'tiktok-error-object': async () => {
    const restore = harness.fakes.override('tiktok', 'GET api /v2/user/info/', () =>
      json({
        data: { user: { open_id: 'afd97af1-b87b-48b9-ac98-410aghda5344' } },
        error: { code: 'access_token_invalid', message: 'expired', log_id: 'x' },
      }),
    );
    try {
      expect((await login('tiktok')).status).toBe(502);
    } finally {
      restore();
    }
  },
  'okta-domain': () => {
    const options = presets.okta({ domain: 'dev-1.okta.com' });
    expect(options.serverMetadataUrl).toBe(
      'https://dev-1.okta.com/oauth2/default/.well-known/openid-configuration',
    );
    expect(
      presets.okta({ domain: 'dev-1.okta.com', authorizationServerId: null }).accessTokenUrl,
    ).toBe('https://dev-1.okta.com/oauth2/v1/token');
    for (const bad of HOSTILE) refuses(() => presets.okta({ domain: bad }));
  },
  'auth0-domain': async () => {
    expect((await login('auth0')).url.searchParams.get('audience')).toBe('https://api.example.com');
    expect(presets.auth0({ domain: 'a.eu.auth0.com' }).serverMetadataUrl).toBe(
      'https://a.eu.auth0.com/.well-known/openid-configuration',
    );
    for (const bad of HOSTILE) refuses(() => presets.auth0({ domain: bad }));
  },
  'keycloak-realm': () => {
    expect(
      presets.keycloak({ baseUrl: 'https://sso.example.com/auth', realm: 'a b' }).serverMetadataUrl,
    ).toBe('https://sso.example.com/auth/realms/a%20b/.well-known/openid-configuration');
    refuses(() => presets.keycloak({ baseUrl: 'https://sso.example.com' }));
    for (const bad of HOSTILE) refuses(() => presets.keycloak({ baseUrl: bad, realm: 'main' }));
  },
  'cognito-pool': () => {
    const options = presets.cognito({
      domain: 'app.auth.eu-west-1.amazoncognito.com',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbC',
    });
    expect(options.serverMetadataUrl).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/openid-configuration',
    );
    expect(options.accessTokenUrl).toBe(
      'https://app.auth.eu-west-1.amazoncognito.com/oauth2/token',
    );
    refuses(() =>
      presets.cognito({
        domain: 'a.example',
        region: 'evil.example/x',
        userPoolId: 'eu-west-1_AbC',
      }),
    );
    refuses(() =>
      presets.cognito({ domain: 'a.example', region: 'eu-west-1', userPoolId: '../x' }),
    );
  },
  'authentik-slug': () => {
    const options = presets.authentik({ baseUrl: 'https://auth.example.com', slug: 'my app' });
    expect(options.serverMetadataUrl).toBe(
      'https://auth.example.com/application/o/my%20app/.well-known/openid-configuration',
    );
    expect(options.accessTokenUrl).toBe('https://auth.example.com/application/o/token/');
    refuses(() => presets.authentik({ baseUrl: 'https://auth.example.com' }));
  },
  'zitadel-domain': () => {
    expect(presets.zitadel({ domain: 'x.zitadel.cloud' }).userinfoEndpoint).toBe(
      'https://x.zitadel.cloud/oidc/v1/userinfo',
    );
    for (const bad of HOSTILE) refuses(() => presets.zitadel({ domain: bad }));
  },
  'gitea-self-hosted': () => {
    for (const url of urls(presets.gitea({ baseUrl: 'https://git.example.com' }))) {
      expect(url.startsWith('https://git.example.com/')).toBe(true);
    }
  },
  'stackexchange-expires': async () => {
    await user('stackexchange');
    expect(token('stackexchange')).toMatchObject({
      expires_in: 86399,
      expires_at: expect.any(Number),
    });
  },
  'stackexchange-key': async () => {
    expect((await user('stackexchange')).sub).toBe('11683');
  },
  'etsy-api-key': async () => {
    expect((await user('etsy')).email).toBe('maker@example.com');
  },
  'shopify-shop-domain': () => {
    expect(presets.shopify({ shop: 'My-Store' }).accessTokenUrl).toBe(
      'https://my-store.myshopify.com/admin/oauth/access_token',
    );
    for (const bad of [
      'evil.example',
      'my-store.myshopify.com.evil.example',
      'a/b',
      'my-store.myshopify.com/x',
      undefined,
    ]) {
      refuses(() => presets.shopify({ shop: bad }));
    }
  },
  'shopify-associated-user': async () => {
    expect((await user('shopify')).sub).toBe('902541635');
  },
  'paypal-sandbox': () => {
    const options = presets.paypal({ sandbox: true });
    expect(options.authorizeUrl).toBe('https://www.sandbox.paypal.com/signin/authorize');
    expect(options.accessTokenUrl).toBe('https://api-m.sandbox.paypal.com/v1/oauth2/token');
  },
  'quickbooks-realm-id': async () => {
    expect((await user('quickbooks')).realm_id).toBe('1108961100');
  },
  'salesforce-login-host': () => {
    expect(presets.salesforce({ sandbox: true }).accessTokenUrl).toBe(
      'https://test.salesforce.com/services/oauth2/token',
    );
    expect(presets.salesforce({ myDomain: 'acme.my.salesforce.com' }).authorizeUrl).toBe(
      'https://acme.my.salesforce.com/services/oauth2/authorize',
    );
    refuses(() => presets.salesforce({ myDomain: 'https://a@evil.example' }));
  },
  'tumblr-blog-uuid': async () => {
    expect((await user('tumblr')).sub).toBe('t:0aY0xL2Fi1OFJg4YxpmegQ');
  },
  'trello-authorize-params': async () => {
    expect((await user('trello')).sub).toBe('5abbe4b7ddc1b351ef961414');
  },
};

describe('preset quirks, each against the hook that handles it', () => {
  it.each(Object.keys(QUIRK_TESTS))('%s', async (id) => {
    await QUIRK_TESTS[id]();
  });

  it('every quirk a preset declares has a test here', () => {
    const declared = presetInfos().flatMap((info) => info.quirks.map((q) => q.id));
    expect(declared.filter((id) => !(id in QUIRK_TESTS))).toEqual([]);
    expect(Object.keys(QUIRK_TESTS).filter((id) => !declared.includes(id))).toEqual([]);
  });
});
