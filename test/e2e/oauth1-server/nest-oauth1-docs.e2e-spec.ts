/**
 * docs/oauth1-provider.md's Nest app, run as written (only the package import
 * is pointed at the sources) on Express and on Fastify, behind a simulated
 * TLS proxy (`OAUTH1_PROVIDER_ORIGIN`, enforceSsl on): a whole OAuth 1.0a
 * login by this library's OAuth1Client — the consent page's form filled in as
 * a browser would — then a signed API call, a denial, and refusals.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { OAuth1Client } from '../../../lib/core/oauth1/oauth1-client.js';
import { markedBlock } from '../../fixtures/docs-blocks.js';
import { proxyFetch } from '../../fixtures/oauth1-provider-app.js';
import { PLATFORMS, startApp, type StartedApp } from '../../fixtures/nest-apps/start-app.js';

const DIR = 'test/.artifacts/oauth1-nest-docs';
const ORIGIN = 'https://photos.example.net';
const SECRET = 'docs-printer-secret-0123456789';

/** The signed-in user, where Passport would put it (a guard: it sees the request @Req() gives). */
const signedIn = {
  canActivate: (context: { switchToHttp(): { getRequest(): { user?: unknown } } }) => {
    context.switchToHttp().getRequest().user = { id: 'jane' };
    return true;
  },
};

@Module({})
class DocsTestModule {}

let AppModule: Type;
beforeAll(async () => {
  const block = markedBlock('docs/oauth1-provider.md', 'oauth1 nest app');
  const source = block.replace("from 'nestjs-oauth';", "from '../../../lib/index.js';");
  expect(source).not.toBe(block);
  mkdirSync(DIR, { recursive: true });
  writeFileSync(`${DIR}/app.module.ts`, source);
  process.env.PRINTER_CLIENT_SECRET = SECRET;
  process.env.OAUTH1_PROVIDER_ORIGIN = ORIGIN;
  ({ AppModule } = await import(pathToFileURL(`${process.cwd()}/${DIR}/app.module.ts`).href));
});
afterAll(() => {
  rmSync(DIR, { recursive: true, force: true });
  delete process.env.PRINTER_CLIENT_SECRET;
  delete process.env.OAUTH1_PROVIDER_ORIGIN;
});

describe.each(PLATFORMS)('the documented Nest provider, on %s', (platform) => {
  let started: StartedApp;
  let viaProxy: typeof fetch;

  beforeAll(async () => {
    const module: DynamicModule = {
      module: DocsTestModule,
      imports: [AppModule],
      providers: [{ provide: APP_GUARD, useValue: signedIn }],
    };
    started = await startApp(module, platform);
    // The TLS proxy: https://photos.example.net in, plain HTTP to the app.
    viaProxy = proxyFetch(ORIGIN, started.url);
  });
  afterAll(() => started?.close());

  const newClient = () =>
    new OAuth1Client({
      clientId: 'printer',
      clientSecret: SECRET,
      redirectUri: 'https://printer.example.com/ready',
      fetch: viaProxy,
    });

  /** The browser at the consent page: reads the form, posts it with `confirm`. */
  async function consent(client: OAuth1Client, confirm: 'yes' | 'no'): Promise<Response> {
    const page = await viaProxy(client.createAuthorizationUrl(`${ORIGIN}/oauth/authorize`));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('printer asks for photos');
    const hidden = /name="oauth_token" value="([^"]+)"/.exec(html)![1]!;
    return viaProxy(`${ORIGIN}/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ oauth_token: hidden, confirm }),
    });
  }

  it('runs a whole OAuth 1.0a login and a signed API call', async () => {
    const client = newClient();
    const requestToken = await client.fetchRequestToken(`${ORIGIN}/oauth/request_token`);
    expect(requestToken.oauth_callback_confirmed).toBe('true');
    const decision = await consent(client, 'yes');
    expect(decision.status).toBe(302);
    client.parseAuthorizationResponse(decision.headers.get('location')!);
    const token = await client.fetchAccessToken(`${ORIGIN}/oauth/access_token`);
    expect(token.user_id).toBe('jane');
    const photos = await client.get(`${ORIGIN}/api/photos`);
    expect(await photos.json()).toEqual({ owner: 'jane', photos: ['vacation.jpg'] });
  });

  it('a denial sends the client denied=; refusals are answered, not crashed on', async () => {
    const client = newClient();
    await client.fetchRequestToken(`${ORIGIN}/oauth/request_token`);
    const decision = await consent(client, 'no');
    expect(decision.status).toBe(302);
    expect(new URL(decision.headers.get('location')!).searchParams.get('denied')).toBeTruthy();

    const unsigned = await viaProxy(`${ORIGIN}/api/photos`);
    expect(unsigned.status).toBe(400);
    expect(await unsigned.text()).toMatch(/^oauth_problem=parameter_absent&/);
    const forged = await viaProxy(`${ORIGIN}/oauth/authorize?oauth_token=forged-000000`);
    expect(forged.status).toBe(401);
    expect(started.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(started.logger.text()).not.toContain(SECRET);
  });
});
