/**
 * Benchmark 7: a protected route (issue 14). Requests per second of one
 * route that needs a valid RS256 JWT access token with scope `read`, served
 * by six servers, each in its own process (`protected-route.server.ts`),
 * loaded one at a time from this process. On `node:http`:
 *
 * - ours: `ResourceProtector.authorize()` (RFC 9068 checks, JWKS from the
 *   issuer's metadata through the clients' `JwksCache`);
 * - `passport-jwt` + `jwks-rsa` (`passportJwtSecret`, cached keys), the usual
 *   Nest choice, with the same issuer, audience, algorithm and scope check;
 * - the same route unprotected (the floor);
 *
 * and the same three as a Nest app on Express (`protected-route.nest.ts`):
 * `@RequireOAuth('read')`, `@UseGuards(AuthGuard('jwt'))` of `@nestjs/passport`
 * with passport-jwt + jwks-rsa, and the unprotected Nest route.
 *
 * Every request carries the same token over keep-alive connections at a fixed
 * concurrency and must get a 200. Also measured: each server's CPU time per
 * request (read from the server process, so the load generator's work is
 * not in it) and the validation alone, without HTTP.
 *
 * Target (issue 14): ours beats passport-jwt in requests/s, on node:http and in Nest.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  check,
  compare,
  median,
  runConcurrently,
  type BenchOptions,
  type BenchResult,
} from './harness.js';

const AUDIENCE = 'https://api.example.com';
const KINDS = ['ours', 'passport', 'open', 'nest-ours', 'nest-passport', 'nest-open'] as const;
type Kind = (typeof KINDS)[number];
const NAMES: Record<Kind, string> = {
  ours: 'nestjs-oauth',
  passport: 'passport-jwt + jwks-rsa',
  open: 'unprotected route',
  'nest-ours': 'nestjs-oauth @RequireOAuth (Nest)',
  'nest-passport': "@nestjs/passport AuthGuard('jwt') + jwks-rsa (Nest)",
  'nest-open': 'unprotected Nest route',
};

/** The issuer: metadata and JWK set on 127.0.0.1, and an RS256 access token it "issued". */
async function startIssuer(): Promise<{ issuer: string; token: string; close(): Promise<void> }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
  let url = '';
  const server = createServer((req, res) => {
    const body =
      req.url === '/jwks'
        ? { keys: [jwk] }
        : {
            issuer: url,
            jwks_uri: `${url}/jwks`,
            id_token_signing_alg_values_supported: ['RS256'],
          };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ scope: 'read write', client_id: 'bench-client', jti: 'bench' })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'bench-1' })
    .setIssuer(url)
    .setAudience(AUDIENCE)
    .setSubject('alice')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { issuer: url, token, close };
}

/** A server process and its command channel. */
interface ServerProcess {
  url: string;
  /** Sends a command line and reads the JSON answer. */
  ask(command: string): Promise<{ us: number }>;
  stop(): Promise<void>;
}

async function startServerProcess(
  kind: Kind,
  issuer: string,
  token: string,
): Promise<ServerProcess> {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  const script = here.replace(/protected-route\.bench\.(ts|js)$/, `protected-route.server.$1`);
  const loader = fileURLToPath(new URL('./ts-loader.mjs', import.meta.url));
  const args = [...(fromSource ? ['--import', loader] : []), script, kind, issuer, AUDIENCE, token];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, number>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the ${kind} server exited: ${stderr.trim().slice(0, 500)}`);
    return JSON.parse(value) as Record<string, number>;
  };
  const { port } = await next();
  return {
    url: `http://127.0.0.1:${port}/orders`,
    async ask(command) {
      child.stdin.write(`${command}\n`);
      return (await next()) as { us: number };
    },
    async stop() {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** One keep-alive GET (node:http is lighter than fetch, so the servers dominate); must be a 200. */
function getOk(url: string, token: string, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`answered ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Runs benchmark 7.
 * @param options - `quick` for a smoke run
 * @returns requests/s of each server, server CPU per request, and the validation time alone
 * @see https://www.rfc-editor.org/rfc/rfc9068.html#section-4
 */
export async function benchProtectedRoute(options: BenchOptions = {}): Promise<BenchResult> {
  const quick = options.quick ?? false;
  const total = quick ? 60 : 20_000;
  const block = quick ? 20 : 1_000;
  const concurrency = quick ? 4 : 16;
  const verifyRounds = quick ? 2 : 40;
  const issuer = await startIssuer();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const servers = new Map<Kind, ServerProcess>();
  try {
    const started = await Promise.allSettled(
      KINDS.map((kind) => startServerProcess(kind, issuer.issuer, issuer.token)),
    );
    started.forEach((s, i) => s.status === 'fulfilled' && servers.set(KINDS[i], s.value));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const rps = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
    const cpu = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
    const load = (kind: Kind, n: number) =>
      runConcurrently(n, concurrency, () => getOk(servers.get(kind)!.url, issuer.token, agent));

    // Warm-up: JIT, sockets, each side's key cache.
    for (const kind of KINDS) await load(kind, quick ? 10 : 2_000);
    // Interleaved blocks, order rotating each round.
    for (let done = 0, round = 0; done < total; done += block, round++) {
      for (let i = 0; i < KINDS.length; i++) {
        const kind = KINDS[(i + round) % KINDS.length];
        const server = servers.get(kind)!;
        const cpu0 = (await server.ask('cpu')).us;
        const t0 = performance.now();
        await load(kind, block);
        const ms = performance.now() - t0;
        const cpu1 = (await server.ask('cpu')).us;
        rps.get(kind)!.push((block * 1000) / ms);
        cpu.get(kind)!.push((cpu1 - cpu0) / block);
      }
    }

    // The validation alone, in each server process, in interleaved blocks of 100.
    const verify = new Map<Kind, number[]>([
      ['ours', []],
      ['passport', []],
    ]);
    for (let round = 0; round < verifyRounds; round++) {
      for (const kind of round % 2
        ? (['passport', 'ours'] as const)
        : (['ours', 'passport'] as const)) {
        verify.get(kind)!.push((await servers.get(kind)!.ask('verify 100')).us);
      }
    }
    check(verify.get('ours')!.length === verifyRounds, 'validations timed');

    const med = (m: Map<Kind, number[]>, k: Kind) => median(m.get(k)!);
    const blocks = total / block;
    const samples = { ours: blocks, peer: blocks };
    /** Requests/s against passport-jwt (the target) and the open route, and CPU per request. */
    const routeRows = (label: string, ours: Kind, passport: Kind, open: Kind) => [
      compare(
        `${label}requests/s, concurrency ${concurrency}`,
        'req/s',
        'higher',
        med(rps, ours),
        NAMES[passport],
        med(rps, passport),
        { target: '> 1× passport-jwt', met: (r) => r > 1 },
        samples,
      ),
      compare(
        `${label}requests/s, concurrency ${concurrency}`,
        'req/s',
        'higher',
        med(rps, ours),
        NAMES[open],
        med(rps, open),
        undefined,
        samples,
      ),
      compare(
        `${label}server CPU per request`,
        'µs/req',
        'lower',
        med(cpu, ours),
        NAMES[passport],
        med(cpu, passport),
        undefined,
        samples,
      ),
    ];
    return {
      id: 'protected-route',
      title: '7. Protected route (RS256 JWT access token, node:http and Nest on Express)',
      rows: [
        ...routeRows('', 'ours', 'passport', 'open'),
        ...routeRows('Nest: ', 'nest-ours', 'nest-passport', 'nest-open'),
        compare(
          'validation alone (no HTTP)',
          'µs/token',
          'lower',
          med(verify, 'ours'),
          NAMES.passport,
          med(verify, 'passport'),
          undefined,
          { ours: verifyRounds, peer: verifyRounds },
        ),
      ],
      facts: {
        requestsPerServer: total,
        concurrency,
        'passport-jwt requests/s': med(rps, 'passport'),
        'unprotected requests/s': med(rps, 'open'),
        'unprotected server CPU per request (µs)': med(cpu, 'open'),
        'Nest passport-jwt requests/s': med(rps, 'nest-passport'),
        'Nest unprotected requests/s': med(rps, 'nest-open'),
        'Nest unprotected server CPU per request (µs)': med(cpu, 'nest-open'),
      },
      notes: [
        'each server runs alone in its own process while it is measured; the load generator is this process (node:http, keep-alive)',
        'one token, as a client sends it for its lifetime; both sides verify the RS256 signature on every request (neither caches verdicts)',
        'ours also checks typ at+jwt, iat/nbf, sub, client_id, jti and cnf, which passport-jwt does not; both check iss, aud, exp, RS256 and the scope',
        'the Nest apps run on @nestjs/platform-express; a refusal would be a 401/403 from each guard, and every measured request is a 200',
      ],
      quick,
    };
  } finally {
    agent.destroy();
    await Promise.all([...servers.values()].map((s) => s.stop()));
    await issuer.close();
  }
}
