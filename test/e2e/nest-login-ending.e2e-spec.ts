/**
 * How a login ends (issue 19), measured in the app with its own catch-all
 * filter and interceptors, on Express and Fastify: the login guard throws
 * `OAuthRedirectException`, so each login request settles every promise it
 * started (a guard that never settles, passport's way, would leave one per
 * login), keeps no socket, and 8,000 logins leave the heap flat (a kept
 * request, hundreds of bytes, exceeds the 40-byte-per-login bound several times).
 */
import { createHook } from 'node:async_hooks';
import { Agent, request, type Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { OwnEnhancersAppModule } from '../fixtures/nest-apps/own-enhancers.app.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const SECRET = 'login-ending-state-secret-0123456789abcdefXYZ';
const LOGINS = 8_000;
/** Heap growth allowed per login (bytes): noise only (about 15 measured); a kept request is hundreds. */
const BYTES_PER_LOGIN = 40;

function getGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function settledHeap(gc: () => void): Promise<number> {
  let lowest = Infinity;
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    lowest = Math.min(lowest, process.memoryUsage().heapUsed);
  }
  return lowest;
}

async function concurrently(total: number, width: number, fn: () => Promise<void>): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      await fn();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/** GET with node:http (lighter than fetch, so the app's work dominates). */
function get(url: string, agent: Agent | false): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(PLATFORMS)('how a login ends, on %s', (platform) => {
  let started: StartedApp;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const loginWith = async (via: Agent | false): Promise<void> => {
    const res = await get(`${started.url}/auth/login/op`, via);
    if (res.status !== 302 || !res.location) throw new Error(`login answered ${res.status}`);
  };
  const login = () => loginWith(agent);

  beforeAll(async () => {
    started = await startApp(
      OwnEnhancersAppModule.with({
        secret: SECRET,
        clients: {
          op: {
            clientId: 'ending',
            clientSecret: 'ending-secret',
            authorizeUrl: 'https://op.example/authorize',
            accessTokenUrl: 'https://op.example/token',
            redirectUri: '/auth/callback/op',
          },
        },
      }),
      platform,
    );
    await concurrently(200, 8, login); // warm-up
  });

  afterAll(async () => {
    agent.destroy();
    await started?.close();
  });

  it('settles every promise a login request starts', async () => {
    const pending = new Set<number>();
    const hook = createHook({
      init(id, type) {
        if (type === 'PROMISE') pending.add(id);
      },
      promiseResolve(id) {
        pending.delete(id);
      },
    });
    hook.enable();
    try {
      await concurrently(300, 4, login);
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      hook.disable();
    }
    // Test-side bookkeeping (the workers, the timers) leaves a handful; one per login would be 300.
    expect(pending.size).toBeLessThan(30);
  });

  it('keeps no socket per login', async () => {
    const server = started.app.getHttpServer() as Server;
    const connections = () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
      );
    agent.destroy();
    // Without keep-alive, each login's socket closes once its 302 is sent.
    await concurrently(500, 16, () => loginWith(false));
    let open = await connections();
    for (let i = 0; i < 50 && open > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      open = await connections();
    }
    expect(open).toBe(0);
  });

  it(`keeps the heap flat over ${LOGINS.toLocaleString('en-US')} logins`, async () => {
    const gc = getGc();
    // The first few thousand requests grow the heap once (compiled code, pools, caches).
    await concurrently(5_000, 16, login);
    const before = await settledHeap(gc);
    await concurrently(LOGINS, 16, login);
    const growth = (await settledHeap(gc)) - before;
    expect(growth).toBeLessThan(LOGINS * BYTES_PER_LOGIN);
  }, 180_000);

  it('logged nothing as an error', () => {
    expect(started.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
