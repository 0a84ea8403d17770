/**
 * A tiny protected resource plus a token endpoint, on 127.0.0.1 with a
 * random port, for the API-call and refresh-storm benchmarks.
 *
 * - `GET /resource` answers `200 {"ok":true}` to `Authorization: Bearer
 *   <the current access token>` and `401` with a `WWW-Authenticate` challenge
 *   to anything else, so a client that sends a stale or no token is caught.
 * - `POST /token` with `grant_type=refresh_token` and the current refresh
 *   token issues (after `refreshDelayMs`, like a real authorization server)
 *   a new access token and a rotated refresh token, and counts the calls.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomToken } from '../lib/core/util/random.js';

/** A running resource server. */
export interface ResourceServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `${url}/resource` */
  resourceUrl: string;
  /** `${url}/token` */
  tokenUrl: string;
  /** The access token `/resource` accepts now. */
  accessToken: string;
  /** The refresh token `/token` accepts now. */
  refreshToken: string;
  /** Counters since start (or since `reset()`). */
  stats: { resource: number; unauthorized: number; refreshes: number; badRefreshes: number };
  /** Sets new current tokens and zeroes the counters. */
  reset(): void;
  /** Delay of every refresh in ms. */
  refreshDelayMs: number;
  close(): Promise<void>;
}

const OK_BODY = Buffer.from('{"ok":true}');

/**
 * Starts the resource server.
 * @param options - `refreshDelayMs`: how long a refresh takes (default 0)
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-3
 */
export async function startResourceServer(
  options: { refreshDelayMs?: number } = {},
): Promise<ResourceServer> {
  const state = {
    accessToken: randomToken(),
    refreshToken: randomToken(),
    stats: { resource: 0, unauthorized: 0, refreshes: 0, badRefreshes: 0 },
  };
  let refreshDelayMs = options.refreshDelayMs ?? 0;

  const onResource = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.headers.authorization !== `Bearer ${state.accessToken}`) {
      state.stats.unauthorized++;
      res.writeHead(401, {
        'www-authenticate': 'Bearer error="invalid_token"',
        'content-length': 0,
      });
      res.end();
      return;
    }
    state.stats.resource++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK_BODY.length });
    res.end(OK_BODY);
  };

  const onToken = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    if (
      form.get('grant_type') !== 'refresh_token' ||
      form.get('refresh_token') !== state.refreshToken
    ) {
      state.stats.badRefreshes++;
      json(res, 400, { error: 'invalid_grant' });
      return;
    }
    state.stats.refreshes++;
    if (refreshDelayMs > 0) await new Promise((r) => setTimeout(r, refreshDelayMs));
    state.accessToken = randomToken();
    state.refreshToken = randomToken();
    json(res, 200, {
      access_token: state.accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: state.refreshToken,
    });
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/resource') onResource(req, res);
    else if (req.method === 'POST' && path === '/token') void onToken(req, res);
    else json(res, 404, { error: 'not_found' });
  });
  server.keepAliveTimeout = 60_000;
  // A storm opens up to 1,000 connections at once: a short accept queue would drop SYNs (1 s retries).
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    resourceUrl: `${url}/resource`,
    tokenUrl: `${url}/token`,
    get accessToken() {
      return state.accessToken;
    },
    get refreshToken() {
      return state.refreshToken;
    },
    get stats() {
      return state.stats;
    },
    get refreshDelayMs() {
      return refreshDelayMs;
    },
    set refreshDelayMs(ms: number) {
      refreshDelayMs = ms;
    },
    reset() {
      state.accessToken = randomToken();
      state.refreshToken = randomToken();
      state.stats = { resource: 0, unauthorized: 0, refreshes: 0, badRefreshes: 0 };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': data.length,
    'cache-control': 'no-store',
  });
  res.end(data);
}
