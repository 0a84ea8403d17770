/**
 * docs/resource-server.md, run: every code block of the page is a region of
 * test/fixtures/resource-docs.ts (or of the WebSocket gateway fixture), line
 * for line, and each runs here through a whole flow: tokens from oidc-provider
 * (JWT and opaque) and from our own authorization server, the hosted issuers'
 * settings against stand-ins that write their tokens' shapes, and the
 * migration's before and after side by side on the same tokens. The gateway's
 * flows are test/e2e/nest-resource-websocket.e2e-spec.ts.
 */
import { jest } from '@jest/globals';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { readFileSync } from 'node:fs';
import type { OAuth2Client } from '../../lib/core/oauth2/oauth2-client.js';
import { OAuthResourceModule } from '../../lib/index.js';
import { AuthorizationServer } from '../../lib/server/index.js';
import { STORAGES } from '../fixtures/auth-server/storages.js';
import { spawnServer, type ServerProcess } from '../fixtures/child-server.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { moveDateOnly } from '../fixtures/clock.js';
import {
  SHAPES,
  startIssuerStandIns,
  type HostedIssuer,
  type IssuerStandIns,
} from '../fixtures/issuer-standins.js';
import { startOidcProvider, type OidcProviderFixture } from '../fixtures/oidc-provider.js';
import {
  issueResourceTokens,
  JWT_API,
  OPAQUE_API,
  OTHER_JWT_API,
  providerClient,
  serviceTokenFor,
  userTokenFor,
} from '../fixtures/protected-api.js';
import {
  callApi,
  insufficientScope,
  invalidToken,
  noToken,
} from '../fixtures/nest-apps/bearer-calls.js';
import { startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

type Docs = typeof import('../fixtures/resource-docs.js');

const PAGE = 'docs/resource-server.md';
const REDIRECT_URI = 'http://127.0.0.1:1/callback';

/** The page's code blocks: marker name, the file it is checked against, language, code. */
function pageBlocks(): { name: string; file?: string; lang: string; code: string }[] {
  const page = readFileSync(PAGE, 'utf8');
  const blocks = [...page.matchAll(/```(\w*)\n([\s\S]*?)\n```/g)];
  return blocks.map((m) => {
    const before = page.slice(0, m.index);
    const marker = [
      ...before.matchAll(/<!-- ([a-z-]+): begin \(checked against ([^)]+)\) -->/g),
    ].pop();
    const end = marker ? before.indexOf(`<!-- ${marker[1]}: end -->`, marker.index) : -1;
    return {
      name: marker && end < 0 ? marker[1] : '(unmarked)',
      file: marker?.[2],
      lang: m[1],
      code: m[2],
    };
  });
}

function region(file: string, name: string): string {
  const text = readFileSync(file, 'utf8');
  const begin = `// ${name}: begin\n`;
  const start = text.indexOf(begin);
  if (start < 0) throw new Error(`${file} has no region ${name}`);
  return text.slice(start + begin.length, text.indexOf(`// ${name}: end`, start)).trim();
}

/** The environment the page tells the reader to set (the env block), with local values. */
const ENV_BLOCK_KEYS = ['OAUTH_RESOURCE_ISSUER', 'OAUTH_RESOURCE_AUDIENCE'];

describe(PAGE, () => {
  it('every code block is marked and is its fixture region, line for line', () => {
    const blocks = pageBlocks();
    expect(blocks.map((b) => b.name)).toEqual([
      'api',
      'env',
      'with-login',
      'own-server',
      'issuers',
      'introspection',
      'verify-request',
      'guard-hook',
      'websocket',
      'migration-before',
      'migration-after',
    ]);
    for (const block of blocks.filter((b) => b.lang === 'ts')) {
      expect(`${block.name}:\n${block.code}`).toBe(
        `${block.name}:\n${region(block.file!, block.name)}`,
      );
    }
    const env = blocks.find((b) => b.name === 'env')!;
    expect(env.code.split('\n').map((line) => line.split('=')[0])).toEqual(ENV_BLOCK_KEYS);
  });
});

let op: OidcProviderFixture;
let client: OAuth2Client;
let docs: Docs;
const apps: StartedApp[] = [];
const children: ServerProcess[] = [];
const saved: Record<string, string | undefined> = {};

function setEnv(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!(key in saved)) saved[key] = process.env[key];
    process.env[key] = value;
  }
}

/** A module of its own for one flow's app. */
function appModule(imports: DynamicModule['imports'], controllers: Type[], providers: Type[] = []) {
  @Module({})
  class DocsApp {}
  return { module: DocsApp, imports, controllers, providers };
}

async function start(module: DynamicModule | Type, customize?: Parameters<typeof startApp>[2]) {
  const app = await startApp(module, 'express', customize);
  apps.push(app);
  return app;
}

const suite = useAuthServerSuite(STORAGES[0]);

beforeAll(async () => {
  op = await startOidcProvider({ redirectUris: [REDIRECT_URI], configure: issueResourceTokens });
  client = providerClient(op, 'basic', REDIRECT_URI);
  setEnv({
    OAUTH_RESOURCE_ISSUER: op.issuer,
    OAUTH_RESOURCE_AUDIENCE: JWT_API,
    GOOGLE_CLIENT_ID: 'docs-google-client',
    GOOGLE_CLIENT_SECRET: 'docs-google-secret',
    AUTH_ISSUER: op.issuer,
    AUTH_JWKS_URI: `${op.issuer}/jwks`,
    API_AUDIENCE: JWT_API,
  });
  docs = await import('../fixtures/resource-docs.js');
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await Promise.all(children.map((c) => c.stop()));
  await op?.close();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});
afterEach(() => {
  jest.useRealTimers();
  for (const app of apps) expect(app.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
});

describe('the page’s flows', () => {
  it('protect a route: the environment configures OAuthResourceModule; alice reads, may not write', async () => {
    const app = await start(docs.ApiModule);
    const alice = (await userTokenFor(client, JWT_API)).access_token;
    expect(await callApi(app.url, alice)).toMatchObject({
      status: 200,
      body: { customer: 'alice', client: op.clients.basic.clientId, scope: ['api:read'] },
    });
    expect(await callApi(app.url, alice, '/orders', { method: 'POST' })).toEqual(
      insufficientScope('api:read api:write'),
    );
    const writer = await serviceTokenFor(client, JWT_API, 'api:read api:write');
    expect(await callApi(app.url, writer, '/orders', { method: 'POST' })).toMatchObject({
      status: 201,
      body: { created: true, customer: op.clients.basic.clientId },
    });
    expect(await callApi(app.url, undefined)).toEqual(noToken());
  });

  it('with login: OAuthModule with a client and resource; the realm from code, the rest from the environment', async () => {
    const app = await start(docs.AppModule);
    expect((await callApi(app.url, await serviceTokenFor(client, JWT_API))).status).toBe(200);
    expect(await callApi(app.url, undefined)).toEqual(noToken('orders'));
  });

  it('our own authorization server: its tokens through OAUTH_ACCESS_TOKEN_LOOKUP', async () => {
    const app = await start(docs.OwnServerApiModule, (builder) =>
      builder.overrideProvider(AuthorizationServer).useValue(suite.as.server),
    );
    const { clientId, secret } = suite.clients.specs.post;
    const res = await suite.as.post('/token', {
      grant_type: 'client_credentials',
      scope: 'api:read',
      client_id: clientId,
      client_secret: secret!,
    });
    const { access_token: token } = (await res.json()) as { access_token: string };
    expect(await callApi(app.url, token)).toMatchObject({
      status: 200,
      body: { client: clientId, scope: ['api:read'] },
    });
    // A token of oidc-provider is not this server's.
    expect(await callApi(app.url, await serviceTokenFor(client, JWT_API))).toEqual(
      invalidToken('The access token is not valid'),
    );
  });

  describe('hosted issuers’ settings, against stand-ins writing their tokens’ shapes', () => {
    let standIns: IssuerStandIns;
    beforeAll(async () => {
      standIns = await startIssuerStandIns();
    });
    afterAll(async () => {
      await standIns?.close();
    });

    it.each<[HostedIssuer, string | undefined]>([
      ['auth0', 'spa-client'],
      ['keycloak', 'web-app'],
      ['entra', SHAPES.entra.access.azp as string],
      ['okta', undefined],
      ['cognito', '1example23456789'],
    ])('%s: its access token is accepted, its ID token refused', async (issuer, clientId) => {
      const app = await start(
        appModule(
          [OAuthResourceModule.forRoot({ ...docs[issuer], fetch: standIns.fetch })],
          [docs.OrdersController],
        ),
      );
      expect(await callApi(app.url, await standIns.accessToken(issuer))).toEqual({
        status: 200,
        challenge: null,
        cacheControl: null,
        body: {
          customer: SHAPES[issuer].access.sub,
          client: clientId,
          scope: expect.arrayContaining(['api:read']),
        },
      });
      expect(await callApi(app.url, await standIns.idToken(issuer))).toMatchObject({
        status: 401,
        body: { error: 'invalid_token' },
      });
    });
  });

  it('introspection: opaque tokens, the environment’s client, a revoked token works 30 s more at most', async () => {
    setEnv({
      OAUTH_RESOURCE_INTROSPECTION_CLIENT_ID: op.clients.basic.clientId,
      OAUTH_RESOURCE_INTROSPECTION_CLIENT_SECRET: op.clients.basic.clientSecret!,
    });
    const app = await start(
      appModule(
        [ConfigModule.forRoot({ isGlobal: true }), OAuthResourceModule.forRoot(docs.opaqueTokens)],
        [docs.OrdersController],
      ),
    );
    delete process.env.OAUTH_RESOURCE_INTROSPECTION_CLIENT_ID;
    delete process.env.OAUTH_RESOURCE_INTROSPECTION_CLIENT_SECRET;
    const caller = providerClient(op, 'post');
    const token = await serviceTokenFor(caller, OPAQUE_API);
    expect(await callApi(app.url, token)).toMatchObject({
      status: 200,
      body: { client: op.clients.post.clientId },
    });
    await caller.revokeToken(undefined, { token, tokenTypeHint: 'access_token' });
    expect((await callApi(app.url, token)).status).toBe(200);
    moveDateOnly(30_000);
    expect(await callApi(app.url, token)).toEqual(invalidToken('The access token is not active'));
  });

  it('verifyRequest in a handler: the principal, or the RFC 6750 answer with its headers', async () => {
    const app = await start(
      appModule(
        [ConfigModule.forRoot({ isGlobal: true }), OAuthResourceModule.forRoot()],
        [docs.ReportsController],
      ),
    );
    const token = await serviceTokenFor(client, JWT_API);
    expect(await callApi(app.url, token, '/reports')).toMatchObject({
      status: 200,
      body: { report: 'monthly', for: op.clients.basic.clientId },
    });
    expect(await callApi(app.url, undefined, '/reports')).toEqual(noToken());
  });

  it('extending the guard: partners pass, other clients get 403', async () => {
    const app = await start(
      appModule(
        [ConfigModule.forRoot({ isGlobal: true }), OAuthResourceModule.forRoot()],
        [docs.PartnersController],
        [docs.PartnerGuard],
      ),
    );
    docs.PARTNERS.push(op.clients.basic.clientId);
    const partner = await serviceTokenFor(client, JWT_API);
    expect(await callApi(app.url, partner, '/partners/stock')).toMatchObject({
      status: 200,
      body: { partner: op.clients.basic.clientId, stock: 42 },
    });
    const other = providerClient(op, 'post');
    expect(
      (await callApi(app.url, await serviceTokenFor(other, JWT_API), '/partners/stock')).status,
    ).toBe(403);
    expect(await callApi(app.url, undefined, '/partners/stock')).toEqual(noToken());
  });

  it('migration: passport-jwt + jwks-rsa and @RequireOAuth answer the same tokens alike; ours refuses more', async () => {
    // jwks-rsa cannot be loaded under Jest: the passport app runs in a child process.
    const passport = await spawnServer({
      command: process.execPath,
      args: [
        '--import',
        './test/fixtures/ts-loader/register.mjs',
        'test/fixtures/resource-docs-passport.ts',
      ],
      ready: /listening on \d+/,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    children.push(passport);
    const before = { url: `http://127.0.0.1:${/listening on (\d+)/.exec(passport.output())![1]}` };
    const after = await start(docs.MigratedApiModule);
    const alice = (await userTokenFor(client, JWT_API)).access_token;
    const expected = { sub: 'alice', scope: ['api:read'] };
    expect(await callApi(before.url, alice, '/me')).toMatchObject({ status: 200, body: expected });
    expect(await callApi(after.url, alice, '/me')).toMatchObject({ status: 200, body: expected });
    const foreign = await serviceTokenFor(client, OTHER_JWT_API);
    expect((await callApi(before.url, foreign, '/me')).status).toBe(401);
    expect(await callApi(after.url, foreign, '/me')).toEqual(
      invalidToken('The access token is meant for another resource'),
    );
    // An ID token: the right issuer, a valid signature; refused for what it is.
    const idToken = (await userTokenFor(client, JWT_API)).id_token!;
    expect(await callApi(after.url, idToken, '/me')).toEqual(
      invalidToken('The token is not an access token'),
    );
  });
});
