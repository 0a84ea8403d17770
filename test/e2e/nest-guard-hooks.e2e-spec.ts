/**
 * Guards users extend, and per-login parameters (issues 19 and 12), on
 * Express and Fastify against oidc-provider: static guard options, the
 * module's `authorizeParams(name, request)` hook, a query allow-list,
 * overridden `getClientName` / `getAuthorizeParams` / `handleResult` /
 * `handleError`, a per-login redirect URI.
 */
import { readFileSync } from 'node:fs';
import { BrowserClient } from '../fixtures/browser-client.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';
import { GuardHooksAppModule } from '../fixtures/nest-apps/guard-hooks.app.js';
import { addCodeClient, opClientOptions } from '../fixtures/nest-apps/login.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const SECRET = 'guard-hooks-state-secret-0123456789abcdefXYZ';
const CLIENT_SECRET = 'guard-hooks-client-secret-0123456789abcdef';

describe.each(PLATFORMS)('extended guards and per-login parameters, on %s', (platform) => {
  let op: OidcProviderFixture;
  let started: StartedApp;
  const hookCalls: { name: string; request: unknown }[] = [];

  beforeAll(async () => {
    op = await startOidcProvider();
    const clientId = `hooks-${platform}`;
    started = await startApp(
      GuardHooksAppModule.with({
        secret: SECRET,
        clients: {
          // Its own redirect URI is not registered: each route's guard gives this login's.
          op: opClientOptions(op, clientId, CLIENT_SECRET, { redirectUri: '/not/registered' }),
          down: {
            clientId: 'down',
            serverMetadataUrl: 'http://127.0.0.1:9/.well-known/openid-configuration',
            redirectUri: '/hooks/callback',
          },
        },
        authorizeParams: (name, request) => {
          hookCalls.push({ name, request });
          const acr = request.headers['x-acr'];
          return typeof acr === 'string' ? { acr_values: acr } : undefined;
        },
      }),
      platform,
    );
    await addCodeClient(op, clientId, CLIENT_SECRET, [`${started.url}/hooks/callback`]);
  });

  afterAll(async () => {
    await started?.close();
    await op?.close();
  });

  it('adds the guard options, the module hook and the allowed query parameters, nothing else', async () => {
    const query = new URLSearchParams({
      login_hint: 'bob@example.com',
      max_age: '120',
      scope: 'openid email',
      ui_locales: 'de', // not allowed: the guard's own value stays
      state: 'attacker-state', // never: the library's
      redirect_uri: 'https://evil.example/cb',
      prompt: 'none',
    });
    const hop = await new BrowserClient().request(`${started.url}/hooks/consent?${query}`, {
      headers: { 'x-acr': 'urn:mace:incommon:iap:silver' },
    });
    expect(hop.status).toBe(302);
    const sent = new URL(hop.location!).searchParams;
    expect(
      Object.fromEntries(
        [...sent].filter(([k]) => !['state', 'nonce', 'code_challenge'].includes(k)),
      ),
    ).toEqual({
      response_type: 'code',
      client_id: `hooks-${platform}`,
      redirect_uri: `${started.url}/hooks/callback`,
      scope: 'openid email',
      code_challenge_method: 'S256',
      prompt: 'consent',
      ui_locales: 'fr-CA',
      acr_values: 'urn:mace:incommon:iap:silver',
      login_hint: 'bob@example.com',
      max_age: '120',
    });
    expect(sent.get('state')).not.toBe('attacker-state');
    expect(hookCalls.at(-1)!.name).toBe('op');
    expect(
      (hookCalls.at(-1)!.request as { headers: Record<string, string> }).headers['x-acr'],
    ).toBe('urn:mace:incommon:iap:silver');
  });

  it('refuses a malformed allowed parameter with 400, before anything is saved', async () => {
    for (const bad of [
      'max_age=soon',
      'login_hint=a&login_hint=b',
      `login_hint=${'x'.repeat(513)}`,
    ]) {
      const hop = await new BrowserClient().request(`${started.url}/hooks/consent?${bad}`);
      expect(hop.status).toBe(400);
      expect(JSON.parse(hop.body).message).toMatch(
        /^Invalid login parameter (max_age|login_hint)$/,
      );
      expect(hop.headers.getSetCookie()).toEqual([]);
    }
  });

  it('runs an overridden login guard: client from the tenant, its hint and redirect URI, its errors', async () => {
    const browser = new BrowserClient();
    const hop = await browser.request(`${started.url}/hooks/tenant/acme/login`);
    expect(hop.status).toBe(302);
    const sent = new URL(hop.location!).searchParams;
    expect(sent.get('login_hint')).toBe('alice@acme.example');
    expect(sent.get('redirect_uri')).toBe(`${started.url}/hooks/callback`);
    // An unknown tenant names no client: 404 before the hooks run.
    expect((await browser.request(`${started.url}/hooks/tenant/other/login`)).status).toBe(404);
    // A provider that cannot be reached: the overridden handleError answers.
    const down = await browser.request(`${started.url}/hooks/tenant/down/login`);
    expect(down.status).toBe(400);
    expect(JSON.parse(down.body).message).toBe('The tenant login could not start');

    // The callback guard's handleResult asks the provider with the token just obtained.
    const { callback } = await browser.loginAtProvider(hop.location!, { requestCallback: true });
    expect(callback!.last.status).toBe(200);
    expect(JSON.parse(callback!.last.body)).toEqual({ name: 'op', sub: TEST_USER.sub });
  });

  it('answers 403 when handleResult says no, and handleError answers the overridden way', async () => {
    const browser = new BrowserClient();
    const hop = await browser.request(`${started.url}/hooks/consent`);
    const { callback } = await browser.loginAtProvider(hop.location!, {
      requestCallback: true,
      username: 'bob',
    });
    expect(callback!.last.status).toBe(403);

    const forged = await browser.request(`${started.url}/hooks/callback?code=x&state=forged`);
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ message: 'Sign-in failed: start again' });
  });

  it('logged nothing as an error', () => {
    expect(started.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});

describe('docs/nest.md', () => {
  it('shows these guards as the example of extending a guard, line for line', () => {
    const docs = readFileSync('docs/nest.md', 'utf8');
    const begin = docs.indexOf('<!-- guard extension: begin');
    const open = docs.indexOf('```ts\n', begin) + '```ts\n'.length;
    const block = docs.slice(open, docs.indexOf('\n```', open)).trim();
    const fixture = readFileSync('test/fixtures/nest-apps/guard-hooks.app.ts', 'utf8');
    const code = fixture
      .slice(
        fixture.indexOf("/** Logs in through the tenant's client"),
        fixture.indexOf("@Controller('hooks')"),
      )
      .trim();
    expect(block).toBe(code);
  });
});
