/**
 * Benchmark auth-server: our authorization server against oidc-provider 9 (a certified
 * OpenID provider), both in this process on node:http with in-memory storage,
 * driven by the same client code:
 *
 * - token endpoint requests/s: `client_credentials` with `client_secret_basic`
 *   (an opaque access token stored by the server);
 * - whole code-flow logins/s: the authorization request of a user already
 *   signed in who already consented (PKCE S256, nonce, scope `openid`), the
 *   redirect with the code, and the code exchange (access, refresh and RS256
 *   ID token).
 *
 * A third side runs our server on the TypeORM storage over SQLite
 * (better-sqlite3, in memory), against the same oidc-provider (in memory).
 */
import { DataSource } from 'typeorm';
import { createCodeChallenge } from '../lib/core/oauth2/pkce.js';
import { randomToken } from '../lib/core/util/random.js';
import { MemoryOAuth2ServerStorage } from '../lib/server/oauth2/index.js';
import {
  OAUTH2_SERVER_ENTITIES,
  TypeOrmOAuth2ServerCache,
  TypeOrmOAuth2ServerStorage,
} from '../lib/typeorm/index.js';
import { BrowserClient } from '../test/fixtures/browser-client.js';
import { DEFAULT_REDIRECT_URI, startOidcProvider } from '../test/fixtures/oidc-provider.js';
import { startBenchAuthServer } from './auth-server.js';
import {
  check,
  compare,
  interleavedBlocks,
  median,
  repeat,
  type BenchOptions,
  type BenchResult,
  type Comparison,
  type Contender,
} from './harness.js';

const PEER = 'oidc-provider';
const OURS = 'nestjs-oauth (memory)';
const OURS_SQLITE = 'nestjs-oauth (TypeORM, SQLite)';
const CLIENT_ID = 'bench-client';
const CLIENT_SECRET = 'bench-client-secret-0123456789-abcdefghij';

/** One server as the driver sees it. */
interface Side {
  name: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  browser: BrowserClient;
}

const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

async function tokenRequest(
  side: Side,
  form: Record<string, string>,
): Promise<Record<string, unknown>> {
  const response = await fetch(side.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as Record<string, unknown>;
  check(
    response.status === 200,
    `${side.name}: token endpoint answered ${response.status} ${JSON.stringify(body.error)}`,
  );
  return body;
}

async function clientCredentials(side: Side): Promise<void> {
  const body = await tokenRequest(side, { grant_type: 'client_credentials' });
  check(typeof body.access_token === 'string', `${side.name}: no access token`);
}

/** Authorization request → code (the browser holds the peer's session cookie) → code exchange. */
async function login(side: Side): Promise<void> {
  const verifier = randomToken(32);
  const state = randomToken(16);
  const url = new URL(side.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: DEFAULT_REDIRECT_URI,
    scope: 'openid',
    state,
    nonce: randomToken(16),
    code_challenge: createCodeChallenge(verifier, 'S256'),
    code_challenge_method: 'S256',
  }).toString();
  const { callbackUrl } = await side.browser.loginAtProvider(url);
  const callback = new URL(callbackUrl);
  const code = callback.searchParams.get('code');
  check(
    code && callback.searchParams.get('state') === state,
    `${side.name}: no code in ${callback.search}`,
  );
  const body = await tokenRequest(side, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: DEFAULT_REDIRECT_URI,
    code_verifier: verifier,
  });
  check(
    typeof body.id_token === 'string' && typeof body.refresh_token === 'string',
    `${side.name}: the code exchange returned no ID token or refresh token`,
  );
}

const client = {
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  redirectUris: [DEFAULT_REDIRECT_URI],
  allowedScopes: ['openid'],
  allowedGrantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
};

/**
 * Runs the auth-server benchmark.
 * @param options - `quick` for a smoke run
 * @returns requests/s and logins/s, ours (memory, SQLite) against oidc-provider
 */
export async function benchAuthServer(options: BenchOptions = {}): Promise<BenchResult> {
  const quick = options.quick ?? false;
  const requests = quick ? 40 : 3000;
  const logins = quick ? 20 : 800;
  const block = quick ? 10 : 200;
  const concurrency = 8;
  const warmup = quick ? 5 : 200;

  const op = await startOidcProvider({
    record: false,
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [DEFAULT_REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        response_types: ['code'],
        scope: 'openid offline_access',
      },
    ],
  });
  const memory = await startBenchAuthServer(new MemoryOAuth2ServerStorage({ clients: [client] }));
  const dataSource = await new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: [...OAUTH2_SERVER_ENTITIES],
    synchronize: true,
  }).initialize();
  const sqliteStorage = new TypeOrmOAuth2ServerStorage(dataSource);
  await sqliteStorage.registerClient(client);
  const sqlite = await startBenchAuthServer(sqliteStorage, {
    replayCache: new TypeOrmOAuth2ServerCache(dataSource),
  });
  try {
    const side = (name: string, authorizationEndpoint: string, tokenEndpoint: string): Side => ({
      name,
      authorizationEndpoint,
      tokenEndpoint,
      browser: new BrowserClient(),
    });
    const sides = [
      side(OURS, memory.server.endpoints.authorization, memory.server.endpoints.token),
      side(PEER, `${op.issuer}/auth`, `${op.issuer}/token`),
      side(OURS_SQLITE, sqlite.server.endpoints.authorization, sqlite.server.endpoints.token),
    ];
    // The peer's user signs in and consents once; every later authorization request redirects at once.
    for (const s of sides) await login(s);

    const cpu: Record<string, number> = {};
    const measure = async (label: string, op: (s: Side) => Promise<void>, total: number) => {
      const contenders: Contender[] = sides.map((s) => ({ name: s.name, run: () => op(s) }));
      for (const c of contenders) await repeat(warmup, c.run);
      const cpuMs = new Map<string, number[]>();
      const msPerOp = await interleavedBlocks(contenders, total, block, concurrency, cpuMs);
      // Process CPU per operation: the client's share is the same code on every side.
      for (const [name, ms] of cpuMs) cpu[`CPU per ${label}, ${name} (ms)`] = median(ms);
      return new Map([...msPerOp].map(([name, ms]) => [name, ms.map((x) => 1000 / x)]));
    };
    const cc = await measure('token request', clientCredentials, requests);
    const flows = await measure('login', login, logins);
    check(memory.serverErrors === 0 && sqlite.serverErrors === 0, 'our server answered 5xx');
    check(op.serverErrors.length === 0, 'oidc-provider reported server errors');

    const rows: Comparison[] = [];
    const row = (metric: string, unit: string, rates: Map<string, number[]>, ours: string) => {
      const o = rates.get(ours)!;
      const p = rates.get(PEER)!;
      rows.push(
        compare(
          `${metric}${ours === OURS_SQLITE ? ', ours on SQLite' : ''}`,
          unit,
          'higher',
          median(o),
          PEER,
          median(p),
          ours === OURS ? { target: '≥ 1× oidc-provider', met: (r) => r >= 1 } : undefined,
          { ours: o.length, peer: p.length },
        ),
      );
    };
    row('token endpoint, client_credentials', 'req/s', cc, OURS);
    row('code-flow logins', 'logins/s', flows, OURS);
    row('token endpoint, client_credentials', 'req/s', cc, OURS_SQLITE);
    row('code-flow logins', 'logins/s', flows, OURS_SQLITE);
    return {
      id: 'auth-server',
      title: '10. Authorization server throughput (ours vs oidc-provider, node:http, in process)',
      rows,
      facts: {
        requestsPerSide: requests,
        loginsPerSide: logins,
        concurrency,
        ...cpu,
      },
      notes: [
        'a login: authorization request of a signed-in user who already consented (PKCE S256, nonce), redirect with the code, code exchange (access + refresh + RS256 ID token)',
        'both servers keep everything in memory; the SQLite rows run ours on TypeORM over better-sqlite3 (in memory) against the same in-memory oidc-provider',
        'every response is checked (200, the tokens present); rates are medians of blocks of interleaved requests at the given concurrency',
        "CPU per operation is the whole process (driver and server); the driver is the same code for every side, so the differences are the servers'",
      ],
      quick,
    };
  } finally {
    await memory.close();
    await sqlite.close();
    await op.close();
    await dataSource.destroy();
  }
}
