/**
 * docs/typeorm.md, run on a real PostgreSQL: the migration commands of the
 * page (its CLI data source file and bash lines, against the built
 * `nestjs-oauth/typeorm`) create the schema and then find nothing missing;
 * the Nest module and the registration script register a client (secret
 * printed once, stored as a hash); the plain-DataSource server takes
 * openid-client (a certified relying party) through a whole login, UserInfo
 * and a refresh with that client. The page's other blocks are the code of
 * test/fixtures/typeorm-docs/ (line for line after the imports, and the same
 * imported names).
 */
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import * as oidc from 'openid-client';
import { hashClientSecret, hashToken } from '../../../lib/server/oauth2/index.js';
import { freePort } from '../../fixtures/child-server.js';
import { buildSubpath, files } from '../../fixtures/package-graph.js';
import { sharedPostgres } from '../../fixtures/typeorm-databases.js';

const OUT = 'test/.artifacts/typeorm-docs';
const PAGE = 'docs/typeorm.md';
const FIXTURES = 'test/fixtures/typeorm-docs';
const CALLBACK = 'https://printer.example.com/callback';

/** The page's blocks of one language. */
function blocks(lang: 'ts' | 'bash'): string[] {
  const page = readFileSync(PAGE, 'utf8');
  return [...page.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) =>
    m[1].trimEnd(),
  );
}

function fixtureCode(file: string): string {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  const begin = text.indexOf('// docs: begin\n') + '// docs: begin\n'.length;
  return text.slice(begin, text.indexOf('// docs: end')).trimEnd();
}

/** The code after the import section (everything after the first blank line). */
const body = (code: string) => code.slice(code.indexOf('\n\n') + 2);

/** `name from module` for each imported name, the fixture's paths mapped to the package's. */
function importedNames(code: string): string[] {
  const head = code.slice(0, code.indexOf('\n\n'));
  return [...head.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)]
    .flatMap(([, names, from]) => {
      const spec = from
        .replace('../../../lib/typeorm/index.js', 'nestjs-oauth/typeorm')
        .replace('../../../lib/server/index.js', 'nestjs-oauth/server');
      return names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .map((n) => `${n} from ${spec}`);
    })
    .sort();
}

let databaseUrl: string;
let client: { clientId: string; clientSecret: string };

beforeAll(async () => {
  const pg = await sharedPostgres();
  databaseUrl = await pg.createDatabase('typeorm_docs');
  // The package as published (for the CLI, which runs outside jest): the typeorm subpath, built.
  buildSubpath(OUT, 'lib/typeorm/index.ts');
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  writeFileSync(`${OUT}/id-token-key.pem`, key.export({ type: 'pkcs8', format: 'pem' }));
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    OAUTH2_CLIENT_SECRET_KEY: 'q3b8Hh0V2mN7xYzK4pL6rT9wE1sD5fG8jA2cV0bN3mQ',
    ID_TOKEN_KEY_FILE: `${OUT}/id-token-key.pem`,
  });
}, 120_000);

afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  for (const name of [
    'DATABASE_URL',
    'OAUTH2_CLIENT_SECRET_KEY',
    'ID_TOKEN_KEY_FILE',
    'ISSUER',
    'PORT',
  ]) {
    delete process.env[name];
  }
});

it('shows the fixtures’ code: the Nest module, the registration script, the plain server', () => {
  const ts = blocks('ts');
  expect(ts).toHaveLength(4);
  const pairs: [string, string][] = [
    [ts[0], fixtureCode('oauth-storage.module.ts')],
    [ts[1], fixtureCode('register-client.ts')],
    [ts[2], fixtureCode('plain-server.ts')],
  ];
  for (const [page, fixture] of pairs) {
    expect(body(page)).toBe(body(fixture));
    expect(importedNames(page)).toEqual(importedNames(fixture));
    expect(importedNames(page).length).toBeGreaterThan(0);
  }
});

it('generates the migration with the page’s commands, runs it, and then finds nothing missing', () => {
  const [dataSourceFile] = blocks('ts').slice(3);
  writeFileSync(
    `${OUT}/dist/data-source.js`,
    dataSourceFile.replace("from 'nestjs-oauth/typeorm'", "from 'nestjs-oauth-under-test/typeorm'"),
  );
  const commands = blocks('bash')
    .flatMap((b) => b.split('\n'))
    .filter((line) => line.startsWith('npx typeorm '));
  expect(commands).toHaveLength(3);
  const cli = resolve('node_modules/typeorm/cli.js');
  const typeorm = (line: string) =>
    execFileSync(process.execPath, [cli, ...line.replace('npx typeorm ', '').split(' ')], {
      cwd: OUT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
  const [generate, run, check] = commands;
  // Before anything ran, the check fails: the tables are missing.
  expect(() => typeorm(check)).toThrow();
  typeorm(generate);
  const migrations = files(`${OUT}/dist/migrations`);
  expect(migrations).toHaveLength(1);
  const sql = readFileSync(migrations[0], 'utf8');
  for (const table of ['oauth2_clients', 'oauth2_grants', 'oauth2_tokens', 'oauth2_cache']) {
    expect(sql).toContain(`CREATE TABLE "${table}"`);
  }
  expect(sql).toMatch(/CREATE UNIQUE INDEX "idx_oauth2_tokens_access_token_hash"/);
  expect(typeorm(run)).toMatch(/Migration .*OAuth2Server.* has been\s+executed successfully/);
  typeorm(check); // exits 0: the schema matches the entities
});

it('registers a client through the Nest module: the secret printed once, only its hash stored', async () => {
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => {
    printed.push(String(line));
  });
  try {
    await import('../../fixtures/typeorm-docs/register-client.js');
  } finally {
    log.mockRestore();
  }
  expect(printed).toHaveLength(1);
  const [, clientId, clientSecret] = /^client_id=(\S+)\nclient_secret=(\S+)$/.exec(printed[0])!;
  client = { clientId, clientSecret };
  const pg = await import('pg');
  const db = new pg.default.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query('SELECT * FROM oauth2_clients');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      client_id: clientId,
      client_secret_hash: hashClientSecret(clientSecret),
      client_name: 'Photo printer',
    });
    expect(JSON.stringify(rows)).not.toContain(clientSecret);
  } finally {
    await db.end();
  }
});

it('serves a whole login, UserInfo and a refresh from the plain-DataSource server', async () => {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  Object.assign(process.env, { ISSUER: issuer, PORT: String(port) });
  const { httpServer, dataSource } =
    (await import('../../fixtures/typeorm-docs/plain-server.js')) as {
      httpServer: Server;
      dataSource: DataSource;
    };
  try {
    if (!httpServer.listening) await new Promise((done) => httpServer.once('listening', done));
    const config = await oidc.discovery(
      new URL(issuer),
      client.clientId,
      {},
      oidc.ClientSecretBasic(client.clientSecret),
      { execute: [oidc.allowInsecureRequests] },
    );
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });
    const redirect = await fetch(url, { redirect: 'manual' });
    expect(redirect.status).toBe(303);
    const callback = new URL(redirect.headers.get('location')!);
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    expect(tokens.claims()).toMatchObject({ sub: 'alice', iss: issuer, aud: client.clientId });
    expect(await oidc.fetchUserInfo(config, tokens.access_token, 'alice')).toEqual({
      sub: 'alice',
      name: 'Alice Liddell',
    });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // Reuse of the rotated refresh token: refused.
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    const dump = JSON.stringify(
      await Promise.all(
        ['oauth2_clients', 'oauth2_grants', 'oauth2_tokens', 'oauth2_cache'].map((t) =>
          dataSource.query(`SELECT * FROM ${t}`),
        ),
      ),
    );
    for (const value of [
      tokens.access_token,
      tokens.refresh_token!,
      refreshed.access_token,
      refreshed.refresh_token!,
      callback.searchParams.get('code')!,
      client.clientSecret,
    ]) {
      expect(dump).not.toContain(value);
    }
    expect(dump).toContain(hashToken(refreshed.access_token));
  } finally {
    await new Promise((done) => httpServer.close(done));
    await dataSource.destroy();
  }
});
