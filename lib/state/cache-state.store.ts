import type { OAuthCache } from '../interfaces/oauth-cache.interface.js';
import { randomToken } from '../core/index.js';
import { InvalidStateError } from '../errors/invalid-state.error.js';
import { stateCookieName, stateCookiePrefix } from './state-cookie-name.js';
import { constantTimeEqual } from '../core/util/constant-time.js';
import { hashState, UsedStates } from './state-crypto.js';
import type {
  OAuthStateData,
  OAuthStateStore,
  StateCookieIO,
  StateCookieOptions,
} from './state-store.interface.js';

const GRACE = 60;

/** Most binding cookies of one client kept per browser; surplus ones are dropped (their flows then fail). */
export const MAX_CACHE_FLOWS = 20;

/** What {@link CacheStateStore} keeps in the cache under `oauth:state:<client>:<hash>`. */
interface CacheEntry {
  /** SHA-256 of the browser binding id held by the cookie. */
  b: string;
  /** Expiry, epoch seconds. */
  exp: number;
  /** The flow data. */
  d: OAuthStateData;
  /** The cookie's `Path`. */
  p?: string;
}

/** Options of {@link CacheStateStore}. */
export interface CacheStateStoreOptions {
  /** The shared cache. */
  cache: OAuthCache;
  /** State lifetime in seconds. */
  ttl: number;
  /** Cookie name prefix. */
  cookieName: string;
}

/**
 * Keeps each flow's data in a shared cache; the cookie only holds a random id
 * binding the flow to the browser. The cache key is made of the state and
 * that binding, so only the browser that started a flow can reach (and use
 * up) its entry.
 *
 * Single use across instances: when the cache offers an atomic take
 * (`take`, or Redis' `getdel`), the entry is read and removed in one step, so
 * of two instances receiving the same callback at once exactly one gets it.
 * Without one, the entry is read then deleted: each process still refuses a
 * state it has seen used, but two instances could both accept a callback sent
 * to both at the same moment.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-10.12
 */
export class CacheStateStore implements OAuthStateStore {
  private readonly used = new UsedStates();

  constructor(private readonly options: CacheStateStoreOptions) {}

  /** Stores `data` in the cache and binds it to the browser with a cookie. */
  async save(io: StateCookieIO, data: OAuthStateData, cookie: StateCookieOptions): Promise<void> {
    const pattern = new RegExp(
      `^${stateCookiePrefix(this.options.cookieName, data.name)}[A-Za-z0-9_-]{22}$`,
    );
    const existing = io.cookieNames().filter((n) => pattern.test(n));
    for (const name of existing.slice(0, Math.max(0, existing.length - MAX_CACHE_FLOWS + 1))) {
      io.setCookie(name, '', { ...cookie, maxAge: 0 });
    }
    const now = Math.floor(Date.now() / 1000);
    const binding = randomToken(32);
    const entry: CacheEntry = {
      b: hashState(binding),
      exp: now + this.options.ttl,
      d: { ...data, createdAt: now },
      p: cookie.path,
    };
    await this.options.cache.set(
      cacheKey(data.name, data.state, binding),
      entry,
      this.options.ttl + GRACE,
    );
    io.setCookie(stateCookieName(this.options.cookieName, data.name, data.state), binding, {
      ...cookie,
      maxAge: this.options.ttl + GRACE,
    });
  }

  /** Takes (returns and removes) the entry of this state and this browser's binding. */
  async consume(
    io: StateCookieIO,
    name: string,
    state: string,
    cookie: Pick<StateCookieOptions, 'secure'>,
  ): Promise<OAuthStateData> {
    const id = `${name}:${hashState(state)}`;
    const cookieName = stateCookieName(this.options.cookieName, name, state);
    const binding = io.getCookie(cookieName);
    if (!binding) throw new InvalidStateError(this.used.has(id) ? 'replayed' : 'unknown');

    // Another browser's binding names another key: it can neither use nor cancel this login.
    const entry = toEntry(await this.take(cacheKey(name, state, binding)));
    if (!entry || !constantTimeEqual(entry.b, hashState(binding))) {
      throw new InvalidStateError(this.used.has(id) ? 'replayed' : 'unknown');
    }
    io.setCookie(cookieName, '', { secure: cookie.secure, path: entry.p ?? '/', maxAge: 0 });
    if (entry.exp <= Date.now() / 1000) throw new InvalidStateError('expired');
    if (entry.d.name !== name || !constantTimeEqual(String(entry.d.state), state)) {
      throw new InvalidStateError('unknown');
    }
    if (!this.used.mark(id, (entry.exp + GRACE) * 1000)) throw new InvalidStateError('replayed');
    return entry.d;
  }

  /** Returns and removes `key`: atomically when the cache can, else get then delete. */
  private async take(key: string): Promise<unknown> {
    const cache = this.options.cache;
    if (typeof cache.take === 'function') return cache.take(key);
    if (typeof cache.getdel === 'function') return cache.getdel(key);
    const value = await cache.get(key);
    if (value !== undefined && value !== null) await cache.delete(key);
    return value;
  }
}

function cacheKey(name: string, state: string, binding: string): string {
  return `oauth:state:${name}:${hashState(state)}:${hashState(binding).slice(0, 22)}`;
}

function toEntry(value: unknown): CacheEntry | undefined {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!v || typeof v !== 'object') return undefined;
  const e = v as Partial<CacheEntry>;
  if (typeof e.b !== 'string' || typeof e.exp !== 'number' || !e.d || typeof e.d !== 'object') {
    return undefined;
  }
  return e as CacheEntry;
}
