/**
 * One server of benchmark 7, run in its own process by
 * `protected-route.bench.ts`: `node protected-route.server.js <kind> <issuer> <audience>`
 * where kind is `ours`, `passport` or `open` (plain `node:http`), or
 * `nest-ours`, `nest-passport` or `nest-open` (a Nest app, `protected-route.nest.ts`).
 *
 * It serves `GET /orders` (scope `read`) on 127.0.0.1 and answers commands,
 * one per stdin line, with one JSON line on stdout:
 * - on start: `{"port":N}`
 * - `cpu`: the process CPU time so far, `{"us":N}` (user + system)
 * - `verify N`: validates the token N times without HTTP, `{"us":N}` per validation
 *   (`verify` needs the token as the 4th argument).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { NestKind } from './protected-route.nest.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const okBody = (sub: string) => JSON.stringify({ ok: true, sub });

/** Ours: the protector's verdict, or its RFC 6750 response. */
async function oursHandler(issuer: string, audience: string): Promise<Handler> {
  // Each side imports only its own library.
  const { ResourceProtector } = await import('../lib/server/resource/resource-protector.js');
  const protector = new ResourceProtector({ jwt: { issuer, audience } });
  return (req, res) => {
    void protector
      .authorize({ method: req.method!, headers: req.headers }, ['read'])
      .then((result) => {
        if (!result.ok) {
          res.writeHead(result.response.status, result.response.headers).end(result.response.body);
          return;
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(okBody(result.principal.sub!));
      });
  };
}

/** passport-jwt + jwks-rsa, with the same checks: issuer, audience, RS256, scope `read`. */
async function passportHandler(issuer: string, audience: string): Promise<Handler> {
  const { default: passport } = await import('passport');
  const { Strategy: JwtStrategy } = await import('passport-jwt');
  const { grantsRead, passportJwtOptions } = await import('./passport-jwt-options.js');
  const instance = new passport.Passport();
  instance.use(
    new JwtStrategy(
      passportJwtOptions(issuer, audience),
      (payload: Record<string, unknown>, done: (err: unknown, user?: unknown) => void) => {
        done(null, grantsRead(payload) ? payload : false);
      },
    ),
  );
  return (req, res) => {
    instance.authenticate(
      'jwt',
      { session: false },
      (err: unknown, user: { sub: string } | false) => {
        if (err || !user) {
          res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(okBody(user.sub));
      },
    )(req, res, () => undefined);
  };
}

const openHandler: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(okBody('anyone'));
};

/** Runs the handler on a fake request until it answers; resolves with the status. */
function once200(handler: Handler, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const res = {
      writeHead(status: number) {
        if (status !== 200) reject(new Error(`refused (${status})`));
        return res;
      },
      end: () => resolve(),
    };
    handler(
      { method: 'GET', headers: { authorization: `Bearer ${token}` } } as IncomingMessage,
      res as unknown as ServerResponse,
    );
  });
}

async function main(): Promise<void> {
  const [kind, issuer, audience, token] = process.argv.slice(2);
  let handler: Handler = openHandler;
  let server: Server;
  if (kind.startsWith('nest-')) {
    const { startNestServer } = await import('./protected-route.nest.js');
    server = await startNestServer(kind as NestKind, issuer, audience);
  } else {
    if (kind === 'ours') handler = await oursHandler(issuer, audience);
    if (kind === 'passport') handler = await passportHandler(issuer, audience);
    server = createServer(handler);
    server.keepAliveTimeout = 60_000;
    server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 });
    await once(server, 'listening');
  }
  const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  reply({ port: (server.address() as AddressInfo).port });
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, arg] = line.trim().split(' ');
    if (command === 'cpu') {
      const { user, system } = process.cpuUsage();
      reply({ us: user + system });
    } else if (command === 'verify') {
      const n = Number(arg);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await once200(handler, token);
      reply({ us: ((performance.now() - t0) * 1000) / n });
    }
  }
  server.closeAllConnections();
  server.close(() => process.exit(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
