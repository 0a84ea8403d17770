/**
 * The test fixtures themselves, proven with raw `fetch` (no library code):
 * the OpenID provider, the scripted browser and the fault server.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SignJWT,
  createRemoteJWKSet,
  decodeProtectedHeader,
  importJWK,
  importPKCS8,
  jwtVerify,
} from 'jose';
import {
  BrowserClient,
  CookieJar,
  parseForms,
  parseSetCookie,
} from '../fixtures/browser-client.js';
import {
  FAULT_ACCESS_TOKEN,
  FAULT_ROUTES,
  refreshedToken,
  startFaultServer,
  type FaultServer,
} from '../fixtures/fault-server.js';
import {
  DEFAULT_REDIRECT_URI,
  PRIVATE_KEY_CLIENTS,
  TEST_USER,
  startOidcProvider,
  type FixtureClient,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';

const b64url = (buf: Buffer): string => buf.toString('base64url');
const s256 = (verifier: string): string => b64url(createHash('sha256').update(verifier).digest());
const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;
/** RFC 6749 §2.3.1 / Appendix B: application/x-www-form-urlencoded. */
const formEncode = (v: string): string => new URLSearchParams({ v }).toString().slice(2);

async function postForm(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('oidc-provider fixture', () => {
  let op: OidcProviderFixture;
  const appCallback = 'http://127.0.0.1:1/app/callback';

  beforeAll(async () => {
    op = await startOidcProvider({ redirectUris: [appCallback], extraParams: ['ui_locales_hint'] });
  });
  afterAll(() => op?.close());
  afterEach(() => expect(op.serverErrors).toEqual([]));

  it('serves a discovery document for its 127.0.0.1 issuer', async () => {
    expect(op.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(op.discoveryUrl);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, any>;
    expect(doc.issuer).toBe(op.issuer);
    expect(doc.token_endpoint).toBe(`${op.issuer}/token`);
    expect(doc.authorization_response_iss_parameter_supported).toBe(true);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining([
        'client_secret_basic',
        'client_secret_post',
        'client_secret_jwt',
        'private_key_jwt',
        'none',
      ]),
    );
    for (const key of ['introspection_endpoint', 'revocation_endpoint', 'userinfo_endpoint']) {
      expect(doc[key]).toMatch(new RegExp(`^${op.issuer}/`));
    }
    const jwks = (await (await fetch(doc.jwks_uri)).json()) as { keys: any[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([op.signingKid]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('exposes one client per auth method, with the caller redirect URI first', () => {
    const methods = Object.values(op.clients).map((c) => c.authMethod);
    expect(new Set(methods)).toEqual(
      new Set([
        'client_secret_basic',
        'client_secret_post',
        'client_secret_jwt',
        'private_key_jwt',
        'none',
      ]),
    );
    expect(op.clients.basic.metadata.redirect_uris).toEqual([appCallback, DEFAULT_REDIRECT_URI]);
    expect(op.clients.basicSpecial).toMatchObject({
      clientId: 'id:with space',
      clientSecret: 's3cr3t+/=:%',
    });
    expect(Buffer.byteLength(op.clients.secretJwt.clientSecret ?? '')).toBeGreaterThanOrEqual(32);
    for (const name of Object.values(PRIVATE_KEY_CLIENTS)) {
      const client = op.clients[name];
      expect(client.privateJwk).toMatchObject({ kid: client.kid, alg: client.signingAlg });
      expect(client.privateJwk).toHaveProperty('d');
      expect(client.privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    }
  });

  it('drives a code flow with PKCE through the browser client, then exchanges the code', async () => {
    const browser = new BrowserClient();
    const client = op.clients.public;
    const verifier = b64url(randomBytes(32));
    const state = b64url(randomBytes(16));
    const nonce = b64url(randomBytes(16));
    const auth = new URL(`${op.issuer}/auth`);
    auth.search = new URLSearchParams({
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: appCallback,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: s256(verifier),
      code_challenge_method: 'S256',
    }).toString();

    const login = await browser.loginAtProvider(auth);
    const callback = new URL(login.callbackUrl);
    expect(`${callback.origin}${callback.pathname}`).toBe(appCallback);
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('iss')).toBe(op.issuer); // RFC 9207
    const code = callback.searchParams.get('code');
    expect(code).toEqual(expect.any(String));
    // login page, then consent page, were shown and submitted
    const posts = login.hops.filter((h) => h.method === 'POST');
    expect(posts).toHaveLength(2);
    // the callback itself was not requested (port 1 would refuse it)
    expect(login.hops.every((h) => new URL(h.url).origin === op.issuer)).toBe(true);

    const token = await postForm(`${op.issuer}/token`, {
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: appCallback,
      client_id: client.clientId,
      code_verifier: verifier,
    });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(token.body.refresh_token).toEqual(expect.any(String));
    const jwks = createRemoteJWKSet(new URL(`${op.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(token.body.id_token, jwks, {
      issuer: op.issuer,
      audience: client.clientId,
    });
    expect(protectedHeader.kid).toBe(op.signingKid);
    expect(payload).toMatchObject({ ...TEST_USER, nonce });

    const me = await fetch(`${op.issuer}/me`, {
      headers: { authorization: `Bearer ${token.body.access_token}` },
    });
    expect(await me.json()).toEqual(TEST_USER);

    // The session cookie is kept: a second authorization skips login and consent.
    const again = await browser.loginAtProvider(auth);
    expect(again.hops.filter((h) => h.method === 'POST')).toHaveLength(0);
    expect(new URL(again.callbackUrl).searchParams.get('code')).not.toBe(code);
  });

  it('refuses a public client without PKCE', async () => {
    const auth = new URL(`${op.issuer}/auth`);
    auth.search = new URLSearchParams({
      client_id: op.clients.public.clientId,
      response_type: 'code',
      redirect_uri: appCallback,
      scope: 'openid',
      state: 'xyz',
    }).toString();
    const nav = await new BrowserClient().navigate(auth, {
      stopAt: (u) => u.origin !== op.issuer,
    });
    const cb = new URL(nav.stoppedAt!);
    expect(cb.searchParams.get('error')).toBe('invalid_request');
    expect(cb.searchParams.get('error_description')).toMatch(/PKCE/i);
  });

  it('reports a denied consent as access_denied at the callback', async () => {
    const auth = new URL(`${op.issuer}/auth`);
    auth.search = new URLSearchParams({
      client_id: op.clients.basic.clientId,
      response_type: 'code',
      redirect_uri: appCallback,
      scope: 'openid',
      state: 'deny-me',
    }).toString();
    const { callbackUrl } = await new BrowserClient().loginAtProvider(auth, { consent: false });
    const cb = new URL(callbackUrl);
    expect(cb.searchParams.get('error')).toBe('access_denied');
    expect(cb.searchParams.get('state')).toBe('deny-me');
  });

  it('issues client_credentials tokens with HTTP Basic, form-encoding special characters', async () => {
    const { basic: plain, basicSpecial } = op.clients;
    const ok = await postForm(
      `${op.issuer}/token`,
      { grant_type: 'client_credentials', scope: 'api:read' },
      { authorization: basic(plain.clientId, plain.clientSecret!) },
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', scope: 'api:read' });

    const special = await postForm(
      `${op.issuer}/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic(basicSpecial.clientId, basicSpecial.clientSecret!) },
    );
    expect(special.status).toBe(200);

    // Without the form encoding RFC 6749 §2.3.1 asks for, the provider refuses it.
    const raw = `Basic ${Buffer.from(`${basicSpecial.clientId}:${basicSpecial.clientSecret}`).toString('base64')}`;
    const refused = await postForm(
      `${op.issuer}/token`,
      { grant_type: 'client_credentials' },
      { authorization: raw },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_request');

    const wrong = await postForm(
      `${op.issuer}/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic(plain.clientId, 'not-the-secret') },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
  });

  it('records token requests (headers and body)', async () => {
    op.requests.length = 0;
    await postForm(`${op.issuer}/token`, {
      grant_type: 'client_credentials',
      client_id: op.clients.post.clientId,
      client_secret: op.clients.post.clientSecret!,
      custom_param: 'kept',
    });
    const tokenCall = op.requests.find((r) => r.path === '/token');
    expect(tokenCall).toMatchObject({
      method: 'POST',
      status: 200,
      body: { client_id: op.clients.post.clientId, custom_param: 'kept' },
    });
    expect(tokenCall?.headers.authorization).toBeUndefined();
  });

  async function assertion(client: FixtureClient, key: CryptoKey | Uint8Array, kid?: string) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ jti: b64url(randomBytes(12)) })
      .setProtectedHeader({ alg: client.signingAlg!, ...(kid ? { kid } : {}) })
      .setIssuer(client.clientId)
      .setSubject(client.clientId)
      .setAudience(`${op.issuer}/token`)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key);
  }

  it('accepts client_secret_jwt (HS256) assertions', async () => {
    const client = op.clients.secretJwt;
    const jwt = await assertion(client, new TextEncoder().encode(client.clientSecret));
    const res = await postForm(`${op.issuer}/token`, {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jwt,
    });
    expect(res.status).toBe(200);
  });

  describe.each(Object.entries(PRIVATE_KEY_CLIENTS))('private_key_jwt %s', (_alg, name) => {
    it.each(['jwk', 'pem'])(
      'accepts an assertion signed with the exported %s key',
      async (form) => {
        const client = op.clients[name];
        const key =
          form === 'jwk'
            ? ((await importJWK(client.privateJwk!, client.signingAlg)) as CryptoKey)
            : await importPKCS8(client.privatePem!, client.signingAlg!);
        const jwt = await assertion(client, key, form === 'jwk' ? client.kid : undefined);
        expect(decodeProtectedHeader(jwt).alg).toBe(client.signingAlg);
        const res = await postForm(`${op.issuer}/token`, {
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: jwt,
        });
        expect(res).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
      },
    );
  });

  it('registers a client at run time', async () => {
    const added = await op.addClient({
      client_id: 'late-client',
      client_secret: 'late-client-secret-0123456789',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    });
    expect(op.clients['late-client']).toBe(added);
    const res = await postForm(
      `${op.issuer}/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic('late-client', 'late-client-secret-0123456789') },
    );
    expect(res.status).toBe(200);
  });

  it('requests the app callback when asked, following the app redirects', async () => {
    const app = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/callback') {
        res
          .writeHead(302, { location: '/home', 'set-cookie': 'session=app-1; Path=/; HttpOnly' })
          .end();
      } else {
        res.end(`home with ${req.headers.cookie ?? 'no cookie'}`);
      }
    });
    app.listen(0, '127.0.0.1');
    await new Promise((r) => app.once('listening', r));
    const appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    try {
      await op.addClient({
        client_id: 'app-with-callback',
        client_secret: 'app-with-callback-secret-0123456789',
        redirect_uris: [`${appOrigin}/callback`],
      });
      const auth = new URL(`${op.issuer}/auth`);
      auth.search = new URLSearchParams({
        client_id: 'app-with-callback',
        response_type: 'code',
        redirect_uri: `${appOrigin}/callback`,
        scope: 'openid',
        state: 'st',
      }).toString();
      const browser = new BrowserClient();
      const result = await browser.loginAtProvider(auth, { requestCallback: true });
      expect(new URL(result.callbackUrl).pathname).toBe('/callback');
      expect(result.callback?.hops.map((h) => [new URL(h.url).pathname, h.status])).toEqual([
        ['/callback', 302],
        ['/home', 200],
      ]);
      expect(result.callback?.last.body).toBe('home with session=app-1');
      // the provider's cookies stayed with the provider's port
      expect(browser.jar.all(appOrigin).map((c) => c.name)).toEqual(['session']);
      expect(browser.jar.all(op.issuer).length).toBeGreaterThan(0);
    } finally {
      app.closeAllConnections();
      await new Promise((r) => app.close(r));
    }
  });

  it('rotates its signing key behind the same issuer, keeping sessions and tokens', async () => {
    const cc = await postForm(
      `${op.issuer}/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic(op.clients.basic.clientId, op.clients.basic.clientSecret!) },
    );
    const before = op.signingKid;
    const after = await op.rotateKeys();
    expect(after).not.toBe(before);
    expect(op.signingKid).toBe(after);
    const jwks = (await (await fetch(`${op.issuer}/jwks`)).json()) as { keys: any[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([after]);

    // the token issued before the rotation is still active
    const introspection = await postForm(
      `${op.issuer}/token/introspection`,
      { token: cc.body.access_token },
      { authorization: basic(op.clients.basic.clientId, op.clients.basic.clientSecret!) },
    );
    expect(introspection.body).toMatchObject({
      active: true,
      client_id: op.clients.basic.clientId,
    });

    // a code flow after the rotation yields an ID token signed with the new kid
    const client = op.clients.basic;
    const auth = new URL(`${op.issuer}/auth`);
    auth.search = new URLSearchParams({
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: appCallback,
      scope: 'openid',
      state: 's',
    }).toString();
    const { callbackUrl } = await new BrowserClient().loginAtProvider(auth);
    const token = await postForm(
      `${op.issuer}/token`,
      {
        grant_type: 'authorization_code',
        code: new URL(callbackUrl).searchParams.get('code')!,
        redirect_uri: appCallback,
      },
      { authorization: basic(client.clientId, client.clientSecret!) },
    );
    expect(token.status).toBe(200);
    expect(decodeProtectedHeader(token.body.id_token).kid).toBe(after);
  });
});

describe('browser client', () => {
  let server: Server;
  let origin: string;
  const seen: Array<{ path: string; cookie?: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      seen.push({ path: url.pathname, cookie: req.headers.cookie });
      switch (url.pathname) {
        case '/set':
          res.setHeader('set-cookie', [
            'root=1; Path=/',
            'scoped=2; Path=/app',
            'gone=3; Path=/; Max-Age=0',
            'old=4; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
            'sec=5; Path=/; Secure; HttpOnly; SameSite=Lax',
          ]);
          res.end('ok');
          return;
        case '/delete':
          res.setHeader('set-cookie', 'root=; Path=/; Max-Age=0');
          res.end('ok');
          return;
        case '/loop':
          res.writeHead(302, { location: '/loop' }).end();
          return;
        case '/r1':
          res.writeHead(302, { location: '/r2', 'set-cookie': 'hop=1; Path=/' }).end();
          return;
        case '/r2':
          res.writeHead(303, { location: 'http://127.0.0.1:1/outside?code=abc' }).end();
          return;
        case '/form':
          res.setHeader('content-type', 'text/html');
          res.end(
            '<form method="post" action="/submit"><input type="hidden" name="a" value="x &amp; y">' +
              '<input name="b"><input type="checkbox" name="c" value="on"></form>',
          );
          return;
        case '/submit': {
          let body = '';
          req.on('data', (c) => (body += c));
          req.on('end', () => res.writeHead(302, { location: `/done?${body}` }).end());
          return;
        }
        default:
          res.end(url.search);
      }
    });
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('keeps cookies per host:port, honouring Path, Max-Age and Expires', async () => {
    const browser = new BrowserClient();
    await browser.request(`${origin}/set`);
    expect(browser.jar.headerFor(`${origin}/`)).toBe('root=1; sec=5');
    expect(browser.jar.headerFor(`${origin}/app/x`)).toBe('scoped=2; root=1; sec=5');
    expect(browser.jar.headerFor(`${origin}/application`)).toBe('root=1; sec=5');
    // another port on the same host sees none of them
    expect(browser.jar.headerFor('http://127.0.0.1:1/')).toBeUndefined();
    // a non-loopback http origin does not get the Secure cookie
    browser.jar.setCookies('http://example.test/', ['s=1; Secure', 'p=2']);
    expect(browser.jar.headerFor('http://example.test/')).toBe('p=2');

    await browser.request(`${origin}/app/echo`);
    expect(seen.at(-1)?.cookie).toBe('scoped=2; root=1; sec=5');
    await browser.request(`${origin}/delete`);
    await browser.request(`${origin}/echo`);
    expect(seen.at(-1)?.cookie).toBe('sec=5');
  });

  it('parses Set-Cookie attributes', () => {
    const url = new URL('http://127.0.0.1:9/a/b/c');
    expect(parseSetCookie('n=v', url)).toMatchObject({ name: 'n', value: 'v', path: '/a/b' });
    expect(
      parseSetCookie('n=v; Max-Age=10; Expires=Thu, 01 Jan 1970 00:00:00 GMT', url, 1000)?.expires,
    ).toBe(11000);
    expect(parseSetCookie('novalue', url)).toBeUndefined();
    const jar = new CookieJar();
    jar.setCookies(url, ['n=1; Max-Age=-1']);
    expect(jar.all(url)).toEqual([]);
  });

  it('follows redirects by hand, returns every hop and stops before a refused URL', async () => {
    const browser = new BrowserClient();
    const nav = await browser.navigate(`${origin}/r1`, { stopAt: (u) => u.origin !== origin });
    expect(nav.hops.map((h) => [new URL(h.url).pathname, h.status])).toEqual([
      ['/r1', 302],
      ['/r2', 303],
    ]);
    expect(nav.stoppedAt).toBe('http://127.0.0.1:1/outside?code=abc');
    expect(seen.find((s) => s.path === '/r2')?.cookie).toBe('hop=1');
    await expect(browser.navigate(`${origin}/loop`, { maxRedirects: 3 })).rejects.toThrow(
      /too many redirects \(3\)/,
    );
  });

  it('submits forms with their hidden fields and decoded entities', async () => {
    const browser = new BrowserClient();
    const page = await browser.request(`${origin}/form`);
    expect(parseForms(page.body, page.url)).toEqual([
      { action: `${origin}/submit`, method: 'POST', fields: { a: 'x & y', b: '' } },
    ]);
    const nav = await browser.submitForm(page, { b: 'typed' });
    expect(nav.last.body).toBe('?a=x+%26+y&b=typed');
  });
});

describe('fault server', () => {
  let faults: FaultServer;
  beforeAll(async () => {
    faults = await startFaultServer({ refreshDelay: 20 });
  });
  afterAll(() => faults?.close());

  const call = async (
    route: string,
    form: Record<string, string> = { grant_type: 'authorization_code' },
  ) => {
    const res = await fetch(faults.url(route), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('serves each fault', async () => {
    expect(await call(FAULT_ROUTES.error500Json)).toMatchObject({
      status: 500,
      type: 'application/json',
    });
    expect(await call(FAULT_ROUTES.html500)).toMatchObject({
      status: 500,
      type: expect.stringMatching(/^text\/html/),
    });
    const malformed = await call(FAULT_ROUTES.malformedJson);
    expect(() => JSON.parse(malformed.text)).toThrow(SyntaxError);
    const jsonAsHtml = await call(FAULT_ROUTES.jsonAsHtml);
    expect(jsonAsHtml.type).toMatch(/^text\/html/);
    expect(JSON.parse(jsonAsHtml.text).access_token).toBe(FAULT_ACCESS_TOKEN);
    const form = await call(FAULT_ROUTES.form);
    expect(Object.fromEntries(new URLSearchParams(form.text))).toMatchObject({
      access_token: FAULT_ACCESS_TOKEN,
      token_type: 'bearer',
      expires_in: '3600',
    });
    expect(JSON.parse((await call(FAULT_ROUTES.noAccessToken)).text)).not.toHaveProperty(
      'access_token',
    );
  });

  it('echoes the credentials it got in its invalid_grant description', async () => {
    const res = await call(FAULT_ROUTES.invalidGrant, {
      grant_type: 'authorization_code',
      code: 'the-code-1234',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('the-code-1234'),
    });
  });

  it('counts refreshes, delays them and echoes Authorization at the resource', async () => {
    faults.reset();
    const started = Date.now();
    const [a, b] = await Promise.all([
      call(FAULT_ROUTES.refresh, { grant_type: 'refresh_token', refresh_token: 'r' }),
      call(FAULT_ROUTES.refresh, { grant_type: 'refresh_token', refresh_token: 'r' }),
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(faults.counters.refresh).toBe(2);
    expect([JSON.parse(a.text), JSON.parse(b.text)]).toEqual(
      expect.arrayContaining([refreshedToken(1), refreshedToken(2)]),
    );
    const echoed = await fetch(faults.url(FAULT_ROUTES.resource), {
      headers: { authorization: 'Bearer abc' },
    });
    expect(await echoed.json()).toEqual({ authorization: 'Bearer abc', method: 'GET' });
    expect(faults.requests.at(-1)).toMatchObject({ path: FAULT_ROUTES.resource, method: 'GET' });
  });

  it('hangs on the hang route until closed, and close() destroys the socket', async () => {
    const server = await startFaultServer();
    const pending = fetch(server.url(FAULT_ROUTES.hang), { method: 'POST', body: 'x' });
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(server.hanging).toBe(1);
    const closing = Date.now();
    await server.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(await outcome).toBe('failed');
  });
});
