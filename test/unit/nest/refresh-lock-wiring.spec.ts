/**
 * Which refreshes of an injected OAuth2App go through the cross-instance
 * refresh lock (the module's Redis store, or `clientKwargs.refreshLock`), and
 * with which reader: a token found through `fetchToken` is re-read through
 * `fetchToken` inside the lock; a token passed by the caller is locked only
 * with its own `reloadToken`; else it is refreshed in this process only. The
 * flow across processes is test/e2e/redis/nest-redis-processes.e2e-spec.ts.
 */
import { OAuth2App } from '../../../lib/apps/oauth2-app.js';
import { resolveClientOptions } from '../../../lib/config/resolve-client-options.js';
import { runWithRequest } from '../../../lib/context/request-context.js';
import { setRequestToken } from '../../../lib/context/request-tokens.js';
import type { RefreshLockFunction } from '../../../lib/core/oauth2/refresh-lock.js';
import { refreshTokenHash } from '../../../lib/core/oauth2/refresh-lock.js';
import type { OAuth2Token } from '../../../lib/core/token.js';
import { OAuthConfigError } from '../../../lib/errors/oauth-config.error.js';
import type { OAuthAppRuntime } from '../../../lib/apps/oauth-app-runtime.interface.js';
import { RedisUnavailableError } from '../../../lib/redis/redis-errors.js';
import { FAULT_ROUTES, startFaultServer, type FaultServer } from '../../fixtures/fault-server.js';

let faults: FaultServer;
beforeAll(async () => {
  faults = await startFaultServer();
});
afterAll(() => faults?.close());
beforeEach(() => faults.reset());

const stale = (): OAuth2Token => ({
  access_token: 'old-access',
  refresh_token: 'old-refresh',
  token_type: 'Bearer',
  expires_at: Math.floor(Date.now() / 1000) - 10,
});

/** A lock in this process that logs what happens in which order. */
function recordingLock() {
  const log: string[] = [];
  const lock: RefreshLockFunction = async (key, refresh) => {
    log.push(`acquire ${key}`);
    try {
      return await refresh();
    } finally {
      log.push('release');
    }
  };
  return { lock, log };
}

/** An app whose module-level fetchToken reads `db.token`; the module's store gives `lock`. */
function setup(options: { lock?: RefreshLockFunction; kwargsLock?: unknown } = {}) {
  const db: { token?: OAuth2Token } = { token: stale() };
  const fetched: unknown[] = [];
  const log: string[] = [];
  const runtime: OAuthAppRuntime = {
    fetchToken: (_name, request) => {
      fetched.push(request);
      return db.token;
    },
    updateToken: async (_name, token) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      db.token = token;
      log.push('saved');
    },
    refreshLock: options.lock ? () => options.lock! : undefined,
  };
  const app = new OAuth2App(
    resolveClientOptions('api', {
      clientId: 'id',
      clientSecret: 'client-secret-value-0123',
      accessTokenUrl: faults.url(FAULT_ROUTES.refresh),
      authorizeUrl: 'https://op.example/authorize',
      apiBaseUrl: `${faults.origin}/`,
      ...(options.kwargsLock ? { clientKwargs: { refreshLock: options.kwargsLock } } : {}),
    }),
    runtime,
  );
  return { app, db, fetched, log };
}

const refreshes = () => faults.requests.filter((r) => r.form.grant_type === 'refresh_token');
const sent = async (response: Response) =>
  ((await response.json()) as { authorization: string }).authorization;

describe('a token found through fetchToken', () => {
  it('is refreshed under the lock (the SHA-256 of its refresh token), re-read with fetchToken for the same request; saved before the release', async () => {
    const { lock, log } = recordingLock();
    const { app, fetched } = setup({ lock });
    const request = { id: 'r1' };
    const response = await runWithRequest(request, () => app.get(FAULT_ROUTES.resource));
    expect(await sent(response)).toBe('Bearer access-1');
    expect(log).toEqual([`acquire ${refreshTokenHash('old-refresh')}`, 'release']);
    expect(fetched).toEqual([request, request]);
    expect(refreshes()).toHaveLength(1);
  });

  it('updateToken completes before the lock is released', async () => {
    const { lock, log: lockLog } = recordingLock();
    const { app, log } = setup({
      lock: (key, refresh) => lock(key, refresh).finally(() => log.push('released')),
    });
    await runWithRequest({}, () => app.get(FAULT_ROUTES.resource));
    expect(log).toEqual(['saved', 'released']);
    expect(lockLog).toHaveLength(2);
  });

  it('a token another instance saved meanwhile is taken: no refresh', async () => {
    const { lock } = recordingLock();
    const { app, db } = setup({
      lock: (key, refresh) => {
        const expiresAt = Math.floor(Date.now() / 1000) + 3600;
        db.token = { access_token: 'theirs', refresh_token: 'r2', expires_at: expiresAt };
        return lock(key, refresh);
      },
    });
    const response = await runWithRequest({}, () => app.get(FAULT_ROUTES.resource));
    expect(await sent(response)).toBe('Bearer theirs');
    expect(refreshes()).toEqual([]);
  });

  it('ensureActiveToken() locks too', async () => {
    const { lock, log } = recordingLock();
    const { app } = setup({ lock });
    const token = await runWithRequest({}, () => app.ensureActiveToken());
    expect(token.access_token).toBe('access-1');
    expect(log).toHaveLength(2);
  });

  it('Redis unavailable: the call fails, no refresh without the lock', async () => {
    const { app } = setup({
      lock: () => Promise.reject(new RedisUnavailableError('acquire', 'connection lost')),
    });
    await expect(runWithRequest({}, () => app.get(FAULT_ROUTES.resource))).rejects.toBeInstanceOf(
      RedisUnavailableError,
    );
    expect(refreshes()).toEqual([]);
  });
});

describe('a token the module cannot read again', () => {
  it('init.token: refreshed in this process, no lock', async () => {
    const { lock, log } = recordingLock();
    const { app, fetched } = setup({ lock });
    const response = await runWithRequest({}, () =>
      app.get(FAULT_ROUTES.resource, { token: stale() }),
    );
    expect(await sent(response)).toBe('Bearer access-1');
    expect(log).toEqual([]);
    expect(fetched).toEqual([]);
  });

  it('init.token with init.reloadToken: under the lock, re-read with that reader', async () => {
    const { lock, log } = recordingLock();
    const { app, fetched } = setup({ lock });
    const reads: string[] = [];
    const token = stale();
    await runWithRequest({}, () =>
      app.get(FAULT_ROUTES.resource, { token, reloadToken: () => (reads.push('r'), token) }),
    );
    expect(log).toHaveLength(2);
    expect(reads).toEqual(['r']);
    expect(fetched).toEqual([]);
    // (Another refresh token: the one just used is answered from the single flight's memory.)
    const again = { ...stale(), refresh_token: 'other-refresh' };
    await app.ensureActiveToken(again, { reloadToken: () => again });
    expect(log).toHaveLength(4);
  });

  it('the token this request just obtained (the callback’s): no lock', async () => {
    const { lock, log } = recordingLock();
    const { app, fetched } = setup({ lock });
    const request = {};
    setRequestToken(request, 'api', stale());
    await runWithRequest(request, () => app.get(FAULT_ROUTES.resource));
    expect(log).toEqual([]);
    expect(fetched).toEqual([]);
  });
});

describe('clientKwargs.refreshLock', () => {
  it('wins over the module store’s lock, with fetchToken as the reader', async () => {
    const store = recordingLock();
    const own = recordingLock();
    const { app } = setup({ lock: store.lock, kwargsLock: own.lock });
    await runWithRequest({}, () => app.get(FAULT_ROUTES.resource));
    expect(own.log).toHaveLength(2);
    expect(store.log).toEqual([]);
  });

  it('must be a function (start-up error naming the key)', () => {
    expect(() => setup({ kwargsLock: 'redis' })).toThrow(OAuthConfigError);
    expect(() => setup({ kwargsLock: 'redis' })).toThrow(
      expect.objectContaining({ key: 'clients.api.clientKwargs.refreshLock' }),
    );
  });
});
