/**
 * docs/oauth1-provider.md's code, run: the page's block is the code of
 * test/fixtures/oauth1-provider-docs.ts (checked line for line), which is
 * booted on 127.0.0.1 behind a simulated TLS proxy (enforceSsl on) and taken
 * through a whole OAuth 1.0a login by this library's OAuth1Client, a browser's
 * consent form post included.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { OAuth1Client } from '../../lib/core/oauth1/oauth1-client.js';

/** The page's node:http block from `interface User` to its last line before `server.listen`. */
function docsCode(): string {
  const page = readFileSync('docs/oauth1-provider.md', 'utf8');
  const start = page.indexOf('```ts\n', page.indexOf('<!-- oauth1 node server: begin')) + 6;
  const block = page.slice(start, page.indexOf('\n```', start));
  return block.slice(block.indexOf('interface User'), block.indexOf('\n\nserver.listen(')).trim();
}

function fixtureCode(): string {
  const text = readFileSync('test/fixtures/oauth1-provider-docs.ts', 'utf8');
  return text
    .slice(
      text.indexOf('// docs: begin\n') + '// docs: begin\n'.length,
      text.indexOf('// docs: end'),
    )
    .trim();
}

const SECRET = 'docs-printer-secret-0123456789';
let server: Server;
let url: string;
let origin: string;

beforeAll(async () => {
  process.env.PRINTER_CLIENT_SECRET = SECRET;
  ({ server } = await import('../fixtures/oauth1-provider-docs.js'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  origin = `https://127.0.0.1:${port}`;
  process.env.PUBLIC_ORIGIN = origin;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  delete process.env.PRINTER_CLIENT_SECRET;
  delete process.env.PUBLIC_ORIGIN;
});

/** What the TLS proxy does: https://127.0.0.1:<port> in, plain HTTP to the app. */
const viaProxy: typeof fetch = (input, init) => {
  const target = String(input instanceof Request ? input.url : input);
  return fetch(target.replace(origin, url), { ...init, redirect: 'manual' });
};

it('the page shows the fixture code, line for line', () => {
  expect(docsCode()).toBe(fixtureCode());
});

it('runs a whole OAuth 1.0a login and a signed API call against the documented provider', async () => {
  const client = new OAuth1Client({
    clientId: 'printer',
    clientSecret: SECRET,
    redirectUri: 'https://printer.example.com/ready',
    fetch: viaProxy,
  });
  const requestToken = await client.fetchRequestToken(`${origin}/oauth/request_token`);
  expect(requestToken.oauth_callback_confirmed).toBe('true');

  // The browser: the consent page, then its form post.
  const consent = await viaProxy(client.createAuthorizationUrl(`${origin}/oauth/authorize`));
  const page = await consent.text();
  expect(page).toContain('printer asks for photos');
  const hidden = /name="oauth_token" value="([^"]+)"/.exec(page)![1]!;
  const decision = await viaProxy(`${origin}/oauth/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ oauth_token: hidden, confirm: 'yes' }),
  });
  expect(decision.status).toBe(302);
  client.parseAuthorizationResponse(decision.headers.get('location')!);

  const token = await client.fetchAccessToken(`${origin}/oauth/access_token`);
  expect(token.user_id).toBe('jane');
  const photos = await client.get(`${origin}/api/photos`);
  expect(await photos.json()).toEqual({ owner: 'jane', photos: ['vacation.jpg'] });

  // And refusals are answered, not crashed on: unsigned, then over plain http.
  const unsigned = await viaProxy(`${origin}/api/photos`);
  expect(unsigned.status).toBe(400);
  expect(await unsigned.text()).toMatch(/^oauth_problem=parameter_absent&/);
  process.env.PUBLIC_ORIGIN = url;
  const plain = await client.get(`${url}/api/photos`);
  process.env.PUBLIC_ORIGIN = origin;
  expect(plain.status).toBe(400);
  expect(await plain.text()).toMatch(/^oauth_problem=insecure_transport&/);
});
