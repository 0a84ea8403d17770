/**
 * Boots the README's quick start (test/fixtures/quick-start.ts) with only
 * environment variables, as a user would: the module starts, the login route
 * redirects to GitHub, and the injected client refuses to call without a token.
 */
import { readFileSync } from 'node:fs';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { AppModule } from '../fixtures/quick-start.js';

/** The fixture's code between its markers, without prettier-ignore comments. */
function fixtureCode(): string {
  const text = readFileSync('test/fixtures/quick-start.ts', 'utf8');
  const body = text.slice(
    text.indexOf('// quick start: begin\n') + '// quick start: begin\n'.length,
    text.indexOf('// quick start: end'),
  );
  return body.replace(/^\/\/ prettier-ignore\n/gm, '').trim();
}

/** The README quick start's TypeScript block, without its import lines. */
function readmeCode(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = section.slice(
    section.indexOf('```ts\n') + 6,
    section.indexOf('\n```', section.indexOf('```ts\n')),
  );
  return block.slice(block.indexOf('@Controller')).trim();
}

const ENV = {
  GITHUB_CLIENT_ID: 'quick-start-github-id',
  GITHUB_CLIENT_SECRET: 'quick-start-github-secret',
  GITHUB_REDIRECT_URI: '/auth/callback/github',
  GOOGLE_CLIENT_ID: 'quick-start-google-id',
  GOOGLE_CLIENT_SECRET: 'quick-start-google-secret',
  OAUTH_SECRET: 'quick-start-state-secret-0123456789abcdef',
};

describe('README quick start', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    Object.assign(process.env, ENV);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    for (const key of Object.keys(ENV)) delete process.env[key];
  });

  it('redirects the login route to GitHub with the client id from the environment, state and PKCE', async () => {
    const res = await fetch(`${url}/auth/login/github`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(
      'https://github.com/login/oauth/authorize',
    );
    expect(location.searchParams.get('client_id')).toBe(ENV.GITHUB_CLIENT_ID);
    expect(location.searchParams.get('redirect_uri')).toBe(`${url}/auth/callback/github`);
    expect(location.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
  });

  it('answers a callback without state with 400, and an unknown provider with 404', async () => {
    const bad = await fetch(`${url}/auth/callback/github?code=x`);
    expect(bad.status).toBe(400);
    expect((await fetch(`${url}/auth/login/nope`, { redirect: 'manual' })).status).toBe(404);
  });

  it('answers an API route with 401 when fetchToken finds no token for this request', async () => {
    const res = await fetch(`${url}/auth/repos`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'missing_token' });
  });

  it('is what the README shows, line for line', () => {
    expect(readmeCode()).toBe(fixtureCode());
  });
});
