import type { OAuthCache } from '../interfaces/oauth-cache.interface.js';
import { randomToken } from '../core/util/random.js';
import { InvalidStateError } from './invalid-state.error.js';
import { stateCookieName, stateCookiePrefix } from './state-cookie-name.js';
import { hashState, safeEqual, UsedStates } from './state-crypto.js';
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
 * Keeps each flow's data in a shared cache (key from the state, TTL); the
 * cookie only holds a random id binding the flow to the browser. The entry is
 * deleted on use.
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
    await this.options.cache.set(cacheKey(data.name, data.state), entry, this.options.ttl + GRACE);
    io.setCookie(stateCookieName(this.options.cookieName, data.name, data.state), binding, {
      ...cookie,
      maxAge: this.options.ttl + GRACE,
    });
  }

  /** Checks the browser binding, then returns and deletes the entry. */
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

    const key = cacheKey(name, state);
    const entry = toEntry(await this.options.cache.get(key));
    // A binding that does not match leaves the entry alone: someone else's state
    // must not let an attacker cancel the real user's login.
    if (!entry || !safeEqual(entry.b, hashState(binding))) {
      throw new InvalidStateError(this.used.has(id) ? 'replayed' : 'unknown');
    }
    await this.options.cache.delete(key);
    io.setCookie(cookieName, '', { secure: cookie.secure, path: entry.p ?? '/', maxAge: 0 });
    if (entry.exp <= Date.now() / 1000) throw new InvalidStateError('expired');
    if (entry.d.name !== name || !safeEqual(String(entry.d.state), state)) {
      throw new InvalidStateError('unknown');
    }
    if (!this.used.mark(id, (entry.exp + GRACE) * 1000)) throw new InvalidStateError('replayed');
    return entry.d;
  }
}

function cacheKey(name: string, state: string): string {
  return `oauth:state:${name}:${hashState(state)}`;
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
