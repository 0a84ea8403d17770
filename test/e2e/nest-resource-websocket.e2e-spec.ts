/**
 * Issue 14 on WebSocket (`@nestjs/platform-ws`, the `ws` client): JWT access
 * tokens from a real authorization server (oidc-provider) in the
 * `Authorization` header of the upgrade request. A valid token connects and
 * its messages are handled; a bad or missing one is refused at once (close
 * 1008); a message needing a scope the token lacks, or sent after the token
 * expired, is refused with an `exception` frame carrying the RFC 6750 error,
 * and its handler never runs. On Express and Fastify.
 */
import { jest } from '@jest/globals';
import { WsAdapter } from '@nestjs/platform-ws';
import { once } from 'node:events';
import { WebSocket } from 'ws';
import { moveDateOnly } from '../fixtures/clock.js';
import {
  JWT_API,
  OTHER_JWT_API,
  serviceTokenFor,
  useResourceProvider,
} from '../fixtures/protected-api.js';
import { ProtectedGatewayAppModule } from '../fixtures/nest-apps/protected-gateway.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const provider = useResourceProvider();

/** A connected socket that queues the frames it receives. */
interface Connection {
  socket: WebSocket;
  /** The next frame, parsed (fails after 3 s). */
  next(): Promise<{ event: string; data: unknown }>;
  send(event: string, data?: unknown): void;
}

describe.each(PLATFORMS)(
  '@RequireOAuth on a WebSocket gateway (platform-ws), on %s',
  (platform) => {
    let app: StartedApp;
    const sockets: WebSocket[] = [];

    beforeAll(async () => {
      app = await startApp(
        ProtectedGatewayAppModule.with({
          issuer: provider.op.issuer,
          audience: JWT_API,
          timeout: 5000,
        }),
        platform,
        undefined,
        { beforeListen: (nest) => nest.useWebSocketAdapter(new WsAdapter(nest)) },
      );
    });
    afterAll(async () => {
      for (const socket of sockets) socket.terminate();
      await app?.close();
    });
    afterEach(() => {
      jest.useRealTimers();
      expect(app.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    });

    function open(token?: string): WebSocket {
      const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
      const socket = new WebSocket(`${app.url.replace('http', 'ws')}/orders`, { headers });
      sockets.push(socket);
      return socket;
    }

    async function connect(token: string): Promise<Connection> {
      const socket = open(token);
      const frames: string[] = [];
      const waiting: ((frame: string) => void)[] = [];
      socket.on('message', (data) => {
        const waiter = waiting.shift();
        if (waiter) waiter(String(data));
        else frames.push(String(data));
      });
      await once(socket, 'open');
      return {
        socket,
        send: (event, data = {}) => socket.send(JSON.stringify({ event, data })),
        next: () =>
          new Promise((resolve, reject) => {
            const frame = frames.shift();
            if (frame !== undefined) return resolve(JSON.parse(frame));
            const timer = setTimeout(() => reject(new Error('no frame within 3 s')), 3000);
            waiting.push((f) => {
              clearTimeout(timer);
              resolve(JSON.parse(f));
            });
          }),
      };
    }

    /** Waits for the server to close a socket: its close code and reason. */
    async function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
      const [code, reason] = (await once(socket, 'close')) as [number, Buffer];
      return { code, reason: String(reason) };
    }

    it('a valid token connects, and its messages are handled with the principal', async () => {
      const token = await serviceTokenFor(provider.client, JWT_API, 'api:read');
      const conn = await connect(token);
      conn.send('whoami');
      expect(await conn.next()).toEqual({
        event: 'whoami',
        data: { sub: provider.op.clients.basic.clientId, scope: ['api:read'] },
      });
      conn.socket.close();
    });

    it('a bad, foreign or missing token is refused at once: close 1008', async () => {
      expect(await closed(open('not-a-token'))).toEqual({ code: 1008, reason: 'invalid_token' });
      const foreign = await serviceTokenFor(provider.client, OTHER_JWT_API, 'api:read');
      expect(await closed(open(foreign))).toEqual({ code: 1008, reason: 'invalid_token' });
      const noScope = await serviceTokenFor(provider.client, JWT_API, 'api:write');
      expect(await closed(open(noScope))).toEqual({ code: 1008, reason: 'insufficient_scope' });
      expect(await closed(open())).toEqual({ code: 1008, reason: 'unauthorized' });
    });

    it('a message needing a scope the token lacks: an exception frame, the handler does not run', async () => {
      const conn = await connect(await serviceTokenFor(provider.client, JWT_API, 'api:read'));
      conn.send('cancel');
      expect(await conn.next()).toEqual({
        event: 'exception',
        data: {
          error: 'insufficient_scope',
          error_description: 'The access token does not grant every scope this resource needs',
        },
      });
      const writer = await connect(
        await serviceTokenFor(provider.client, JWT_API, 'api:read api:write'),
      );
      writer.send('cancel');
      expect(await writer.next()).toEqual({
        event: 'cancelled',
        data: { by: provider.op.clients.basic.clientId },
      });
    });

    it('every message is checked: after the token expired, messages are refused', async () => {
      const conn = await connect(await serviceTokenFor(provider.client, JWT_API, 'api:read'));
      // One answered message first: the handshake's own check is done by then.
      conn.send('whoami');
      expect((await conn.next()).event).toBe('whoami');
      moveDateOnly(601_000 + 60_000);
      conn.send('whoami');
      expect(await conn.next()).toEqual({
        event: 'exception',
        data: { error: 'invalid_token', error_description: 'The access token expired' },
      });
    });
  },
);
