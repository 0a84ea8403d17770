// The sample in a real browser (Debian's Chromium, headless, via playwright-core), on Express
// and on Fastify: sign in at the local OpenID provider (this library's OAuth2ServerModule, with
// its own login and consent pages), see the claims, force a refresh, log out. One screenshot per
// step goes to test/.artifacts/sample-browser/<platform>/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startSample, type RunningSample } from '../../sample/sample.js';
import { SessionStore } from '../../sample/session.store.js';

const CHROMIUM = '/usr/bin/chromium';

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe.each(['express', 'fastify'] as const)('sample app in Chromium, on %s', (platform) => {
  const ARTIFACTS = join(process.cwd(), 'test', '.artifacts', 'sample-browser', platform);
  let sample: RunningSample;
  let context: BrowserContext;
  let page: Page;
  let firstExpiry: string;
  const logs: string[] = [];
  /** Tokens seen during the test, which must never show up on a page or in a log line. */
  const secrets: string[] = [];
  // Collects the app's log lines: to check the refresh listener, and that no secret is logged.
  const logger = {
    log: (message: unknown, context?: unknown) => logs.push(`${context}: ${message}`),
    warn: (message: unknown, context?: unknown) => logs.push(`WARN ${context}: ${message}`),
    error: (message: unknown, context?: unknown) => logs.push(`ERROR ${context}: ${message}`),
  };

  /** The rendered text of the first match, trimmed. */
  async function text(selector: string): Promise<string> {
    return (await page.locator(selector).first().innerText()).trim();
  }

  /** The browser's session cookie, as a `Cookie` header. */
  async function sessionCookie(): Promise<string> {
    const cookie = (await context.cookies(sample.url)).find((c) => c.name === 'sample_session');
    return `sample_session=${cookie?.value}`;
  }

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    sample = await startSample({ platform, port: 0, oidcPort: 0, logger });
    // A phone-sized viewport: the pages must work there.
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await sample?.close();
  });

  it('lists the local provider on the start page', async () => {
    await page.goto(sample.url);
    await expect(page.locator('h1').textContent()).resolves.toBe('Sign in');
    const buttons = page.locator('a[data-provider]');
    await expect(buttons.count()).resolves.toBe(1);
    await expect(buttons.first().textContent()).resolves.toContain('Local OpenID provider');
    const viewport = await page.locator('meta[name=viewport]').getAttribute('content');
    expect(viewport).toContain('width=device-width');
    await shot('1-start');
  });

  it('signs in and consents at the provider, and lands back with the claims', async () => {
    await page.click('a[data-provider=local]');
    await page.waitForURL((url) => url.origin === sample.issuer && url.pathname === '/authorize');
    await expect(page.locator('h1').textContent()).resolves.toContain('Sign in to continue');
    await shot('2-provider-login');

    // The login in progress keeps its state in the library's cookie: HttpOnly, SameSite=Lax,
    // so no script of the app's pages can read it.
    const state = (await context.cookies(sample.url)).find((c) =>
      c.name.startsWith('oauth_local_'),
    );
    expect(state).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    const appPage = await context.newPage();
    await appPage.goto(sample.url);
    expect(await appPage.evaluate(() => document.cookie)).not.toContain('oauth_');
    await appPage.close();

    // A wrong password is refused on the provider's page.
    await page.fill('#login', 'alice');
    await page.fill('#password', 'not-the-password');
    await page.click('button[type=submit]:has-text("Sign in")');
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('Wrong username');

    await page.fill('#password', 'wonderland');
    await page.click('button[type=submit]:has-text("Sign in")');
    await page.waitForSelector('text=Allow nestjs-oauth sample?');
    await expect(page.locator('main').textContent()).resolves.toContain('your e-mail address');
    await shot('3-provider-consent');

    await page.click('button:has-text("Allow")');
    await page.waitForURL(`${sample.url}`);
    await expect(text('[data-testid=user-name]')).resolves.toBe('Alice Liddell');
    expect(await text('[data-claim=email]')).toBe('alice@example.com');
    expect(await text('[data-claim=email_verified]')).toBe('true');
    expect(await text('[data-claim=sub]')).toBe('alice');
    const scopes = (await text('[data-testid=scopes]'))!.split(' ');
    expect(scopes).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    firstExpiry = (await text('[data-testid=expires-at]'))!;
    expect(Date.parse(firstExpiry)).toBeGreaterThan(Date.now());
    await expect(text('[data-testid=refresh-count]')).resolves.toBe('0');
    await shot('4-signed-in');
  });

  it('calls the UserInfo API with the injected client, and never shows a token', async () => {
    const api = await text('[data-testid=api-result]');
    expect(api).toContain('"email": "alice@example.com"');
    expect(api).toContain('"name": "Alice Liddell"');
    const cookies = await context.cookies(sample.url);
    const cookie = cookies.find((c) => c.name === 'sample_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The tokens the app holds for this browser appear nowhere on the page.
    const session = sample.app
      .get(SessionStore)
      .get({ headers: { cookie: `sample_session=${cookie!.value}` } });
    const token = session!.token as Record<string, string>;
    expect(token.access_token).toEqual(expect.any(String));
    expect(token.refresh_token).toEqual(expect.any(String));
    expect(token.id_token).toMatch(/^eyJ/);
    secrets.push(token.access_token, token.refresh_token, token.id_token);
    const content = await page.content();
    for (const secret of secrets) expect(content).not.toContain(secret);
    expect(content).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it('forces a refresh: new expiry, counted by the oauth.token.updated listener', async () => {
    // Expiry has a one-second resolution: let a second pass so the new one differs.
    await page.waitForTimeout(1100);
    await page.click('button:has-text("Refresh token")');
    await page.waitForSelector('text=The access token was refreshed.');
    await expect(text('[data-testid=refresh-count]')).resolves.toBe('1');
    const secondExpiry = (await text('[data-testid=expires-at]'))!;
    expect(Date.parse(secondExpiry)).toBeGreaterThan(Date.parse(firstExpiry));
    // The API call still works with the refreshed (and rotated) token.
    await expect(text('[data-testid=api-result]')).resolves.toContain('alice@example.com');
    expect(
      logs.some((l) => /"local" token refreshed \(expires .*refresh token rotated\)/.test(l)),
    ).toBe(true);
    const refreshed = sample.app
      .get(SessionStore)
      .get({ headers: { cookie: await sessionCookie() } })!.token as Record<string, string>;
    expect(refreshed.refresh_token).not.toBe(secrets[1]);
    secrets.push(refreshed.access_token, refreshed.refresh_token);
    const content = await page.content();
    for (const secret of secrets) expect(content).not.toContain(secret);
    await shot('5-refreshed');
  });

  it('logs out: the login buttons are back and the session is gone', async () => {
    await page.click('button:has-text("Log out")');
    await page.waitForSelector('text=You are signed out.');
    await expect(page.locator('a[data-provider=local]').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('user-name').count()).resolves.toBe(0);
    const cookies = await context.cookies(sample.url);
    expect(cookies.find((c) => c.name === 'sample_session')).toBeUndefined();
    await shot('6-logged-out');
  });

  it('shows access_denied when the user denies consent at the provider', async () => {
    await page.click('a[data-provider=local]');
    await page.fill('#login', 'bob');
    await page.fill('#password', 'builder');
    await page.click('button[type=submit]:has-text("Sign in")');
    await page.waitForSelector('text=Allow nestjs-oauth sample?');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${sample.url}callback/local`)),
      page.click('button:has-text("Deny")'),
    ]);
    expect(response.status()).toBe(400);
    expect(await text('[data-testid=error-code]')).toBe('access_denied');
    await shot('7-denied');
    await page.click('a:has-text("Back to the start")');
    await expect(page.locator('a[data-provider=local]').isVisible()).resolves.toBe(true);
  });

  it('shows a clear 400 page for a forged callback, and no secret anywhere in the logs', async () => {
    const response = await page.goto(
      `${sample.url}callback/local?code=forged-code-123&state=forged`,
    );
    expect(response?.status()).toBe(400);
    expect(await text('[data-testid=error-code]')).toBe('mismatching_state');
    await expect(page.locator('main').textContent()).resolves.not.toContain('forged-code-123');
    await shot('8-forged-callback');
    const unknown = await page.goto(`${sample.url}login/nope`);
    expect(unknown?.status()).toBe(404);
    const logText = logs.join('\n');
    expect(logText).not.toContain('forged-code-123');
    expect(logText).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    for (const secret of secrets) expect(logText).not.toContain(secret);
  });
});

describe('sample app with a real provider configured', () => {
  let withGithub: RunningSample;
  const saved = { id: process.env.GITHUB_CLIENT_ID, secret: process.env.GITHUB_CLIENT_SECRET };

  beforeAll(async () => {
    process.env.GITHUB_CLIENT_ID = 'Iv1.sample-test-id';
    process.env.GITHUB_CLIENT_SECRET = 'sample-test-secret';
    withGithub = await startSample({ port: 0, oidcPort: 0, logger: false });
  });

  afterAll(async () => {
    for (const [key, value] of [
      ['GITHUB_CLIENT_ID', saved.id],
      ['GITHUB_CLIENT_SECRET', saved.secret],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await withGithub?.close();
  });

  it('offers a GitHub button when GITHUB_CLIENT_ID is set, and redirects to GitHub with it', async () => {
    const home = await (await fetch(withGithub.url)).text();
    expect(home).toContain('data-provider="github"');
    expect(home).toContain('Sign in with GitHub');
    const response = await fetch(`${withGithub.url}login/github`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(
      'https://github.com/login/oauth/authorize',
    );
    expect(location.searchParams.get('client_id')).toBe('Iv1.sample-test-id');
    expect(location.searchParams.get('scope')).toBe('read:user user:email');
    expect(location.searchParams.get('redirect_uri')).toBe(`${withGithub.url}callback/github`);
    expect(location.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(location.toString()).not.toContain('sample-test-secret');
  });
});
