// The GitHub preset against a local server that behaves like GitHub (Enterprise Server layout):
// the token endpoint wants client_secret_post, answers a form unless asked for JSON and reports
// errors with HTTP 200; /user hides a private e-mail, /user/emails lists it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { OAuthError } from '../../../lib/core/errors.js';
import { OAuth2Client } from '../../../lib/core/oauth2/oauth2-client.js';
import { createGitHubProfile, github } from '../../../lib/presets/github.preset.js';

const CLIENT_ID = 'Iv1.8a61f9b3a7aba766';
const CLIENT_SECRET = 'gh-secret-1e4f0c2b9d';
const CODE = 'gh-code-7d0a6e';
const ACCESS_TOKEN = 'gho_16C7e42F292c6912E7710c838347Ae178B4a';

let server: Server;
let base: string;
const seen: { accept?: string; authorization?: string; body?: URLSearchParams }[] = [];
let emailsStatus = 200;
const sockets = new Set<Socket>();

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    // No keep-alive: no client socket outlives the test file.
    res.setHeader('connection', 'close');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const body = new URLSearchParams(await readBody(req));
      seen.push({ accept: req.headers.accept, authorization: req.headers.authorization, body });
      const ok =
        body.get('client_id') === CLIENT_ID &&
        body.get('client_secret') === CLIENT_SECRET &&
        body.get('code') === CODE;
      const payload = ok
        ? { access_token: ACCESS_TOKEN, token_type: 'bearer', scope: 'read:user,user:email' }
        : {
            error: 'bad_verification_code',
            error_description: 'The code passed is incorrect or expired.',
            error_uri: 'https://docs.github.com/apps/troubleshooting',
          };
      // Like GitHub: 200 either way; JSON only when asked for.
      if ((req.headers.accept ?? '').includes('application/json')) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(payload));
      } else {
        res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
        res.end(new URLSearchParams(payload as unknown as Record<string, string>).toString());
      }
      return;
    }
    if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"message":"Requires authentication"}');
      return;
    }
    if (url.pathname === '/api/v3/user') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ login: 'octocat', id: 583231, name: null, email: null }));
    } else if (url.pathname === '/api/v3/user/emails') {
      res.writeHead(emailsStatus, { 'content-type': 'application/json' });
      res.end(
        emailsStatus === 200
          ? JSON.stringify([
              { email: 'old@example.com', verified: false, primary: false, visibility: null },
              { email: 'octocat@github.com', verified: true, primary: true, visibility: 'private' },
            ])
          : '{"message":"Not Found"}',
      );
    } else {
      res.writeHead(404).end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function clientFor(options: ReturnType<typeof github>): OAuth2Client {
  return new OAuth2Client({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    tokenEndpoint: options.accessTokenUrl,
    ...(options.clientKwargs as object),
  });
}

describe('github preset against a GitHub-like server', () => {
  const options = github({ enterpriseUrl: '' });

  it('exchanges a code: credentials in the body, JSON asked for', async () => {
    const preset = github({ enterpriseUrl: base });
    const client = clientFor(preset);
    const token = await client.fetchToken(preset.accessTokenUrl, { code: CODE });
    expect(token.access_token).toBe(ACCESS_TOKEN);
    expect(token.scope).toBe('read:user,user:email');
    const request = seen.at(-1)!;
    expect(request.accept).toContain('application/json');
    expect(request.authorization).toBeUndefined();
    expect(request.body?.get('grant_type')).toBe('authorization_code');
    expect(options.authorizeUrl).toBe('https://github.com/login/oauth/authorize');
  });

  it('reads an HTTP 200 error answer as an OAuthError without leaking the code or secret', async () => {
    const preset = github({ enterpriseUrl: base });
    const client = clientFor(preset);
    const failure = client.fetchToken(preset.accessTokenUrl, { code: 'wrong-code-123' });
    await expect(failure).rejects.toBeInstanceOf(OAuthError);
    const err = (await failure.catch((e: unknown) => e)) as OAuthError;
    expect(err.error).toBe('bad_verification_code');
    expect(err.status).toBe(200);
    expect(err.message).not.toContain('wrong-code-123');
    expect(err.message).not.toContain(CLIENT_SECRET);
  });

  it('completes a private e-mail from /user/emails with the user token', async () => {
    const preset = github({ enterpriseUrl: base });
    const user = await (
      await fetch(`${base}/api/v3/user`, {
        headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
      })
    ).json();
    const claims = await preset.profile!(user, { access_token: ACCESS_TOKEN });
    expect(claims).toEqual({
      sub: '583231',
      name: 'octocat',
      preferred_username: 'octocat',
      email: 'octocat@github.com',
      email_verified: true,
    });
  });

  it('marks a public e-mail as verified only when /user/emails says so', async () => {
    const profile = createGitHubProfile({ apiUrl: `${base}/api/v3` });
    const verified = await profile(
      { id: 1, login: 'octocat', email: 'octocat@github.com' },
      { access_token: ACCESS_TOKEN },
    );
    expect(verified.email_verified).toBe(true);
    const unverified = await profile(
      { id: 1, login: 'octocat', email: 'old@example.com' },
      { access_token: ACCESS_TOKEN },
    );
    expect(unverified).toMatchObject({ email: 'old@example.com', email_verified: false });
  });

  it('logs the user in without an e-mail when /user/emails is refused (no user:email scope)', async () => {
    emailsStatus = 404;
    try {
      const profile = createGitHubProfile({ apiUrl: `${base}/api/v3` });
      const claims = await profile(
        { id: 583231, login: 'octocat', email: null },
        { access_token: ACCESS_TOKEN },
      );
      expect(claims).toEqual({ sub: '583231', name: 'octocat', preferred_username: 'octocat' });
    } finally {
      emailsStatus = 200;
    }
  });

  it('gives up quickly on an unreachable API instead of failing the login', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const profile = createGitHubProfile({
      apiUrl: `http://127.0.0.1:${port}/api/v3`,
      timeout: 500,
    });
    const claims = await profile({ id: 7, login: 'x', email: null }, { access_token: 'tok' });
    expect(claims).toEqual({ sub: '7', name: 'x', preferred_username: 'x' });
  });
});
