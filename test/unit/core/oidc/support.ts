/**
 * Shared helpers of the OpenID Connect unit tests: a tiny HTTP server on
 * 127.0.0.1 whose routes the test sets, with per-path hit counters, and
 * token forging helpers.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { InvalidTokenError } from '../../../../lib/core/errors.js';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  url: string;
  /** Routes by path; a test may replace them at any time. */
  routes: Map<string, Route>;
  /** Requests seen, by path. */
  hits(path: string): number;
  /** The last request seen on a path. */
  last(path: string): IncomingMessage | undefined;
  close(): Promise<void>;
}

export async function startServer(routes: Record<string, Route> = {}): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const counts = new Map<string, number>();
  const lastRequest = new Map<string, IncomingMessage>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    lastRequest.set(path, req);
    const route = table.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(route(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    routes: table,
    hits: (path) => counts.get(path) ?? 0,
    last: (path) => lastRequest.get(path),
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A route answering JSON (after an optional delay). */
export function jsonRoute(
  body: () => unknown,
  options: { status?: number; delay?: number } = {},
): Route {
  return async (_req, res) => {
    if (options.delay) await new Promise((r) => setTimeout(r, options.delay));
    res.writeHead(options.status ?? 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body()));
  };
}

/** Signs claims with a key of our own. */
export function sign(
  claims: JWTPayload,
  key: CryptoKey | Uint8Array,
  header: { alg: string; kid?: string; [k: string]: unknown },
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

/** Hand-builds an unsecured JWT (`alg: none`, empty signature). */
export function unsecured(claims: object, header: object = { alg: 'none' }): string {
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc(header)}.${enc(claims)}.`;
}

/**
 * Asserts a rejection is an InvalidTokenError for `claim` whose message and
 * serialization do not contain the token or its signature.
 */
export async function expectInvalid(
  promise: Promise<unknown>,
  claim: string,
  token?: string,
): Promise<InvalidTokenError> {
  const err = await promise.then(
    () => {
      throw new Error(`expected an InvalidTokenError (${claim}), but the token was accepted`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidTokenError);
  expect(err).toMatchObject({ name: 'InvalidTokenError', error: 'invalid_token', claim });
  if (token) {
    const text = `${(err as Error).message} ${JSON.stringify(err)}`;
    for (const part of token.split('.').filter((p) => p.length > 8)) {
      expect(text).not.toContain(part);
    }
  }
  return err as InvalidTokenError;
}
