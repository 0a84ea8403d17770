/**
 * docs/authorization-server.md, run: its TypeScript block is the code of
 * test/fixtures/auth-server/docs-app.ts (checked line for line), its
 * environment block names exactly the settings the app is started with, and
 * the app (configured from the environment only) is taken through whole
 * logins on Express and Fastify by another Nest app of this library
 * (`OAuthModule`, `OAuthLoginGuard`, `OAuthCallbackGuard`, an injected client
 * calling UserInfo), in a scripted browser: the login-and-consent page, a
 * wrong password, a denial, `prompt=none`.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AuthServerModule } from '../fixtures/auth-server/docs-app.js';
import { freePort } from '../fixtures/child-server.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import { LoginAppModule, opClientOptions } from '../fixtures/nest-apps/login.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const PAGE = 'docs/authorization-server.md';

/** The page's fenced blocks of a language, in order. */
function docsBlocks(language: string): string[] {
  const page = readFileSync(PAGE, 'utf8');
  return [...page.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```', 'g'))].map(
    (m) => m[1],
  );
}

/** The fixture's code between its markers, with the library's import path as a user writes it. */
function fixtureCode(): string {
  const text = readFileSync('test/fixtures/auth-server/docs-app.ts', 'utf8');
  return text
    .slice(
      text.indexOf('// docs: begin\n') + '// docs: begin\n'.length,
      text.indexOf('// docs: end'),
    )
    .replace("'../../../lib/index.js'", "'nestjs-oauth'")
    .trim();
}

it('the page shows the fixture code, line for line', () => {
  const app = docsBlocks('ts').find((block) => block.includes('class OAuthServerController'));
  expect(app?.trim()).toBe(fixtureCode());
});

describe.each(PLATFORMS)('the documented authorization server on %s', (platform) => {
  const password = `wonder-${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const saved: Record<string, string | undefined> = {};
  let server: StartedApp;
  let client: StartedApp;
  let issuer: string;

  beforeAll(async () => {
    const port = await freePort();
    const clientPort = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      OAUTH2_PROVIDER_ISSUER: issuer,
      // As a .env file holds a PEM: one line, \n escapes.
      OAUTH2_PROVIDER_KEYS: generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString()
        .replace(/\n/g, '\\n'),
      MY_APP_CLIENT_SECRET: clientSecret,
      MY_APP_REDIRECT_URI: `http://127.0.0.1:${clientPort}/auth/callback/op`,
      ALICE_PASSWORD: password,
    };
    // The page's environment block names exactly these settings.
    const names = docsBlocks('sh')
      .find((block) => block.includes('OAUTH2_PROVIDER_ISSUER'))
      ?.split('\n')
      .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
      .filter(Boolean);
    expect(names?.sort()).toEqual(Object.keys(env).sort());
    for (const [key, value] of Object.entries(env)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    server = await startApp(AuthServerModule, platform, (b) => b, { port });
    client = await startApp(
      LoginAppModule.with({
        oauth: {
          secret: randomBytes(32).toString('base64url'),
          clients: {
            op: opClientOptions(
              { issuer, discoveryUrl: `${issuer}/.well-known/openid-configuration` },
              'my-app',
              clientSecret,
            ),
          },
        },
      }),
      platform,
      (b) => b,
      { port: clientPort },
    );
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  /** From the client app's login route to the authorization server's page. */
  async function startLogin(browser: BrowserClient) {
    const navigation = await browser.navigate(`${client.url}/auth/login/op`);
    const page = navigation.last;
    expect(page.url.startsWith(`${issuer}/oauth/authorize?`)).toBe(true);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.body).toContain('my-app asks for openid, email, profile.');
    return page;
  }

  it('logs in with the library’s Nest login guards, then calls UserInfo with the token', async () => {
    const browser = new BrowserClient();
    const page = await startLogin(browser);
    // A wrong password shows the page again, still for the same request.
    const again = await browser.submitForm(page, {
      username: 'alice',
      password: 'not-it',
      confirm: 'yes',
    });
    expect(again.last.status).toBe(200);
    expect(again.last.body).toContain('Wrong username or password.');
    const done = await browser.submitForm(again.last, {
      username: 'alice',
      password,
      confirm: 'yes',
    });
    expect(done.hops.map((h) => h.status)).toEqual([303, 200]);
    const result = JSON.parse(done.last.body) as { user: Record<string, unknown> };
    expect(result.user).toMatchObject({
      iss: issuer,
      sub: 'alice',
      aud: 'my-app',
      name: 'Alice Liddell',
      email: 'alice@example.com',
    });
    // The injected client finds the session's token and calls the module's UserInfo route.
    const me = await browser.request(`${client.url}/injected/me`);
    expect(JSON.parse(me.body)).toEqual({
      sub: 'alice',
      name: 'Alice Liddell',
      email: 'alice@example.com',
      email_verified: true,
    });
    expect(server.logger.text()).not.toContain(password);
    expect(client.logger.text()).not.toContain(password);
  });

  it('sends access_denied back when the user denies', async () => {
    const browser = new BrowserClient();
    const page = await startLogin(browser);
    const denied = await browser.submitForm(page, { confirm: 'no' });
    expect(denied.hops[0].status).toBe(303);
    const callback = new URL(denied.hops[0].location!);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('iss')).toBe(issuer);
    expect(denied.last.status).toBe(400); // the client app's callback reports it
  });

  it('answers prompt=none with login_required, and an unknown client with a 400', async () => {
    const browser = new BrowserClient();
    const page = await startLogin(browser);
    const url = new URL(page.url);
    url.searchParams.set('prompt', 'none');
    const none = await browser.request(url);
    expect(none.status).toBe(303);
    expect(new URL(none.location!).searchParams.get('error')).toBe('login_required');
    url.searchParams.set('client_id', 'nobody');
    const unknown = await browser.request(url);
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: 'invalid_client' });
  });
});
