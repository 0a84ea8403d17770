/**
 * nodeHttpFetch() against a real peer, oidc-provider: docs/oauth2-client.md's
 * example run as written (only the package import pointed at the sources)
 * through a whole OpenID Connect login (discovery, authorization code + PKCE,
 * ID token with the JWK set, UserInfo, a rotating refresh), the scripted
 * browser on nodeHttpFetch too; then over TLS (a self-signed certificate made
 * with openssl, in front of the same provider): accepted with its CA given
 * to the agent, refused as an OAuthNetworkError without it; an https -> http
 * redirect followed as fetch follows it.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { OAuthNetworkError } from '../../lib/core/errors.js';
import { nodeHttpFetch } from '../../lib/core/http/node-http-fetch.js';
import { OAuth2Client } from '../../lib/core/oauth2/oauth2-client.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import { markedBlock } from '../fixtures/docs-blocks.js';
import { failure } from '../fixtures/rejection.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
  type RecordedRequest,
} from '../fixtures/oidc-provider.js';

const DIR = 'test/.artifacts/node-http-fetch';
const CALLBACK = 'https://app.example/callback';

let op: OidcProviderFixture;

beforeAll(async () => {
  op = await startOidcProvider({ redirectUris: [CALLBACK] });
  mkdirSync(DIR, { recursive: true });
});
afterAll(async () => {
  rmSync(DIR, { recursive: true, force: true });
  await op?.close();
});
afterEach(() => expect(op.serverErrors).toEqual([]));

/** The requests to `path` since `mark`. */
const calls = (mark: number, path: string): RecordedRequest[] =>
  op.requests.slice(mark).filter((r) => r.path === path);

describe('docs/oauth2-client.md: the nodeHttpFetch example, through a whole login', () => {
  let client: OAuth2Client;

  beforeAll(async () => {
    const block = markedBlock('docs/oauth2-client.md', 'node-http-fetch');
    const source = block.replace("from 'nestjs-oauth'", "from '../../../lib/index.js'");
    expect(source).not.toMatch(/from 'nestjs-oauth/);
    const file = `${DIR}/example.ts`;
    writeFileSync(file, `${source}\nexport { client };\n`);
    Object.assign(process.env, {
      CLIENT_ID: op.clients.basic.clientId,
      CLIENT_SECRET: op.clients.basic.clientSecret,
      ISSUER: op.issuer,
    });
    try {
      ({ client } = await import(pathToFileURL(`${process.cwd()}/${file}`).href));
    } finally {
      for (const name of ['CLIENT_ID', 'CLIENT_SECRET', 'ISSUER']) delete process.env[name];
    }
  });

  it('code + PKCE, ID token, UserInfo and a rotating refresh, every call on node:http', async () => {
    const mark = op.requests.length;
    await client.loadServerMetadata();
    const flow = client.createAuthorizationUrl(undefined, { prompt: 'consent' });
    // The browser on nodeHttpFetch too: manual redirects, several Set-Cookie headers.
    const browser = new BrowserClient({ fetch: nodeHttpFetch() });
    const { callbackUrl } = await browser.loginAtProvider(flow.url);
    expect(callbackUrl.startsWith(`${CALLBACK}?`)).toBe(true);

    const token = await client.fetchToken(undefined, { authorizationResponse: callbackUrl });
    expect(token.userinfo).toMatchObject({ sub: TEST_USER.sub, nonce: flow.nonce });
    expect(token.refresh_token).toEqual(expect.any(String));

    const profile = await client.userinfo();
    expect(profile).toMatchObject({ sub: TEST_USER.sub, email: TEST_USER.email });

    const refreshed = await client.refreshToken();
    expect(refreshed.access_token).not.toBe(token.access_token);
    expect(refreshed.refresh_token).not.toBe(token.refresh_token);
    expect(refreshed.userinfo?.sub).toBe(TEST_USER.sub);
    expect(client.token).toBe(refreshed);

    // Every back-channel call went out on node:http: undici would have sent `user-agent: node`.
    const backChannel = [
      ...calls(mark, '/.well-known/openid-configuration'),
      ...calls(mark, '/jwks'),
      ...calls(mark, '/token'),
      ...calls(mark, '/me'),
    ];
    expect(backChannel.map((r) => r.path).sort()).toEqual(
      ['/.well-known/openid-configuration', '/jwks', '/me', '/token', '/token'].sort(),
    );
    for (const r of backChannel) expect(r.headers['user-agent']).toBeUndefined();
    expect(calls(mark, '/token').map((r) => r.body?.grant_type)).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
  });
});

describe('over TLS', () => {
  let tls: Server;
  let ca: string;
  let origin: string;

  beforeAll(async () => {
    const key = `${DIR}/key.pem`;
    const cert = `${DIR}/cert.pem`;
    execFileSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    ca = readFileSync(cert, 'utf8');
    // TLS in front of the provider: every request is passed on as it came.
    tls = createHttpsServer({ key: readFileSync(key), cert: ca }, (req, res) => {
      if (req.url === '/downgrade') {
        res.writeHead(302, { location: op.discoveryUrl });
        return void res.end();
      }
      const upstream = httpRequest(
        `${op.issuer}${req.url}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    tls.listen(0, '127.0.0.1');
    await once(tls, 'listening');
    origin = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    tls?.closeAllConnections();
    await new Promise((r) => tls?.close(r));
  });

  const confidential = (fetch: ReturnType<typeof nodeHttpFetch>) =>
    new OAuth2Client({
      clientId: op.clients.basic.clientId,
      clientSecret: op.clients.basic.clientSecret,
      scope: 'api:read',
      fetch,
    });

  it('with the CA given to the agent: a token over https, introspected over https', async () => {
    const fetch = nodeHttpFetch({ agent: { https: new HttpsAgent({ ca, keepAlive: true }) } });
    const c = confidential(fetch);
    const token = await c.fetchToken(`${origin}/token`);
    expect(token.access_token).toEqual(expect.any(String));
    expect(
      await c.introspectToken(`${origin}/token/introspection`, { token: token.access_token }),
    ).toMatchObject({ active: true, client_id: op.clients.basic.clientId });
  });

  it('follows an https -> http redirect, as fetch does (for calls that follow redirects)', async () => {
    const fetch = nodeHttpFetch({ agent: { https: new HttpsAgent({ ca }) } });
    const res = await fetch(`${origin}/downgrade`);
    expect(res).toMatchObject({ status: 200, redirected: true, url: op.discoveryUrl });
    expect(await res.json()).toMatchObject({ issuer: op.issuer });
  });

  it('the default agents verify the certificate: a self-signed one is an OAuthNetworkError', async () => {
    const mark = op.requests.length;
    const c = confidential(nodeHttpFetch());
    const err = await failure(() => c.fetchToken(`${origin}/token`));
    expect(err).toBeInstanceOf(OAuthNetworkError);
    expect(err.message).toContain(`${origin}/token`);
    expect(err.cause).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(calls(mark, '/token')).toEqual([]);
  });
});
