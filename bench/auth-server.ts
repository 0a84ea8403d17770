/**
 * Our authorization server as the auth-server benchmark runs it: `AuthorizationServer` on
 * `node:http` the way the docs show (`readNodeRequest` → `handle` →
 * `writeNodeResponse`), the user's login and consent already done (the
 * `authorize` step approves alice at once, as oidc-provider does for a user
 * with a session and a remembered consent). Nothing is recorded per request.
 */
import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readNodeRequest, writeNodeResponse } from '../lib/server/http/node-adapter.js';
import {
  AuthorizationServer,
  type AuthorizationServerOptions,
  type OAuth2ServerStorage,
} from '../lib/server/oauth2/index.js';

/** A running bench server. */
export interface BenchAuthServer {
  issuer: string;
  server: AuthorizationServer;
  /** Responses with a 5xx status (must stay 0). */
  readonly serverErrors: number;
  close(): Promise<void>;
}

let signingKey: ReturnType<typeof generateKeyPairSync>['privateKey'] | undefined;

/**
 * Starts our server on 127.0.0.1, port 0, with an RSA 2048 ID-token key (as oidc-provider's).
 * @param storage - clients, codes and tokens
 * @param options - more server options (a replay cache, ...)
 */
export async function startBenchAuthServer(
  storage: OAuth2ServerStorage,
  options: Partial<AuthorizationServerOptions> = {},
): Promise<BenchAuthServer> {
  signingKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const sockets = new Set<Socket>();
  let serverErrors = 0;
  const authTime = () => Math.floor(Date.now() / 1000);
  const http = createServer();
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const server = new AuthorizationServer({ issuer, storage, keys: [signingKey], ...options });
  http.on('request', async (req, res) => {
    const request = await readNodeRequest(req, { origin: issuer }).catch(() => undefined);
    if (!request) {
      return writeNodeResponse(res, { status: 413, headers: { Connection: 'close' }, body: '' });
    }
    const response = (await server.handle(request, {
      authorize: () => ({ allow: true, user: { sub: 'alice' }, authTime: authTime() }),
    })) ?? { status: 404, headers: {}, body: 'Not found' };
    if (response.status >= 500) serverErrors++;
    writeNodeResponse(res, response);
  });
  return {
    issuer,
    server,
    get serverErrors() {
      return serverErrors;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      http.close();
      await once(http, 'close');
    },
  };
}
