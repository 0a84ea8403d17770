/**
 * Runs the README's quick start (test/fixtures/quick-start.ts) as written,
 * configured by environment variables only: a whole login against a local
 * stand-in for github.com (real HTTP on 127.0.0.1; github.com URLs are sent
 * there, as DNS would), the token kept in the express-session session, then
 * `repos()` calling the API with it.
 */
import { readFileSync } from 'node:fs';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { AppModule } from '../fixtures/quick-start.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import { startGitHubStandIn, type GitHubStandIn } from '../fixtures/nest-apps/github-standin.js';

/** The fixture's code between its markers, without prettier-ignore comments. */
function fixtureCode(): string {
  const text = readFileSync('test/fixtures/quick-start.ts', 'utf8');
  const body = text.slice(
    text.indexOf('// quick start: begin\n') + '// quick start: begin\n'.length,
    text.indexOf('// quick start: end'),
  );
  return body.replace(/^\/\/ prettier-ignore\n/gm, '').trim();
}

/** The README quick start's TypeScript block. */
function readmeBlock(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  return section.slice(
    section.indexOf('```ts\n') + 6,
    section.indexOf('\n```', section.indexOf('```ts\n')),
  );
}

/** The names a file imports from `module` (a regular expression on the module specifier). */
function importedNames(code: string, module: RegExp): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
    if (!module.test(m[2])) continue;
    names.push(
      ...m[1]
        .split(',')
        .map((n) => n.trim().replace(/^type\s+/, ''))
        .filter(Boolean),
    );
  }
  return names.sort();
}

let github: GitHubStandIn;
let app: INestApplication;
let url: string;
const realFetch = globalThis.fetch;
const saved: Record<string, string | undefined> = {};

function setEnv(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
}

beforeAll(async () => {
  github = await startGitHubStandIn();
  // github.com and api.github.com resolve to the stand-in, for the app and the browser alike.
  globalThis.fetch = github.fetch;
  setEnv({
    GITHUB_CLIENT_ID: github.clientId,
    GITHUB_CLIENT_SECRET: github.clientSecret,
    GITHUB_REDIRECT_URI: '/auth/callback/github',
    GOOGLE_CLIENT_ID: 'quick-start-google-id',
    GOOGLE_CLIENT_SECRET: 'quick-start-google-secret',
    OAUTH_SECRET: 'nL8v3mGqkR2tYw5zXc7bPa9dFh4jKs6e0uIoQ1rT-Y_',
    SESSION_SECRET: 'quick-start-session-secret-Zq7Lm2Nx8Vb4',
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  await app?.close();
  await github?.close();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('README quick start', () => {
  it('logs in with GitHub, keeps the token in the session, and calls repos() with it', async () => {
    const browser = new BrowserClient({ fetch: github.fetch });
    const login = await browser.request(`${url}/auth/login/github`);
    expect(login.status).toBe(302);
    const authorize = new URL(login.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(
      'https://github.com/login/oauth/authorize',
    );
    expect(authorize.searchParams.get('client_id')).toBe(github.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${url}/auth/callback/github`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');

    // GitHub approves and sends the browser back; the callback answers the user's profile.
    const back = await browser.follow(login);
    expect(back.last.url).toMatch(new RegExp(`^${url}/auth/callback/github\\?code=`));
    expect(back.last.status).toBe(200);
    expect(JSON.parse(back.last.body)).toEqual({
      sub: String(github.user.id),
      name: github.user.name,
      preferred_username: github.user.login,
      email: 'octocat@github.com',
      email_verified: true,
      raw: github.user,
    });
    // The code was exchanged the way GitHub wants it: credentials in the body, JSON asked for.
    const [exchange] = github.tokenRequests;
    expect(exchange.accept).toBe('application/json');
    expect(exchange.authorization).toBeUndefined();
    expect(exchange.form).toMatchObject({
      client_id: github.clientId,
      client_secret: github.clientSecret,
    });
    // express-session set its cookie when the handler stored the token.
    expect(browser.jar.all(url).map((c) => c.name)).toEqual(['connect.sid']);

    // A later request: fetchToken finds the token in the session; the API gets it as a bearer.
    const repos = await browser.request(`${url}/auth/repos`);
    expect(repos.status).toBe(200);
    expect(JSON.parse(repos.body)).toEqual(github.repos);
    expect(github.apiCalls.at(-1)).toEqual({
      path: '/user/repos',
      authorization: `Bearer ${github.issued[0]}`,
    });
  });

  it('answers repos() with 401 for a browser without a session, and a bad callback with 400', async () => {
    const res = await fetch(`${url}/auth/repos`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      statusCode: 401,
      error: 'missing_token',
      message: 'No access token is available',
    });
    expect((await fetch(`${url}/auth/callback/github?code=x`)).status).toBe(400);
    expect((await fetch(`${url}/auth/login/nope`, { redirect: 'manual' })).status).toBe(404);
  });

  it('is what the README shows, line for line, with the same imports', () => {
    const block = readmeBlock();
    expect(block.slice(block.indexOf('@Controller')).trim()).toBe(fixtureCode());
    const fixture = readFileSync('test/fixtures/quick-start.ts', 'utf8');
    expect(importedNames(block, /^nestjs-oauth$/)).toEqual(
      importedNames(fixture, /lib\/index\.js$/),
    );
    expect(importedNames(block, /^@nestjs\/common$/)).toEqual(
      importedNames(fixture, /^@nestjs\/common$/),
    );
  });

  it('names express-session in the install line', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(
      'npm install nestjs-oauth @nestjs/config @nestjs/event-emitter express-session',
    );
  });
});
