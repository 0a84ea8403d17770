import type { KeyObject } from 'node:crypto';
import { InvalidStateError } from '../errors/invalid-state.error.js';
import { stateCookieName, stateCookieNameOfHash, stateCookiePrefix } from './state-cookie-name.js';
import { constantTimeEqual } from '../core/util/constant-time.js';
import { hashState, UsedStates } from './state-crypto.js';
import {
  deriveStateKey,
  openState,
  sealState,
  type StateEnvelopePayload,
} from './state-envelope.js';
import type {
  OAuthStateData,
  OAuthStateStore,
  StateCookieIO,
  StateCookieOptions,
} from './state-store.interface.js';

/** Extra lifetime of the cookie past the state's expiry, so an expired state is reported as such. */
const COOKIE_GRACE = 60;

/**
 * Most flows of one client kept at once per browser (tabs): older ones are
 * dropped, so abandoned logins cannot grow the `Cookie` header past what
 * servers accept (about 600 bytes each).
 */
export const MAX_COOKIE_FLOWS = 10;

/**
 * Most bytes of one client's flow cookies kept at once per browser: with
 * `returnTo` values near their limit, ten flows would pass the 16 KiB that
 * Node accepts for all headers, and every request would get a 431.
 */
export const MAX_COOKIE_BYTES = 8 * 1024;

/** Options of {@link CookieStateStore}. */
export interface CookieStateStoreOptions {
  /** Secrets; the first encrypts, every one decrypts (rotation). */
  secrets: string[];
  /** State lifetime in seconds. */
  ttl: number;
  /** Cookie name prefix. */
  cookieName: string;
}

/**
 * Keeps each flow's data in its own encrypted cookie: AES-256-GCM with a
 * random 96-bit IV (key from HKDF-SHA-256 of the secret, the client's name
 * and a format version byte authenticated with it, see `state-envelope.ts`),
 * HttpOnly, SameSite=Lax, expiring with the state. Several app instances
 * sharing the secret need no shared storage. Used states are also remembered
 * in this process until they expire, so a replay is refused even with a
 * copied cookie.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-10.12
 */
export class CookieStateStore implements OAuthStateStore {
  private readonly keys: KeyObject[];
  private readonly used = new UsedStates();

  constructor(private readonly options: CookieStateStoreOptions) {
    if (options.secrets.length === 0) throw new TypeError('CookieStateStore needs a secret');
    this.keys = options.secrets.map(deriveStateKey);
  }

  /** Encrypts `data` into the flow's cookie (dropping expired and surplus flow cookies). */
  async save(io: StateCookieIO, data: OAuthStateData, cookie: StateCookieOptions): Promise<void> {
    this.prune(io, data.name, cookie);
    const now = Math.floor(Date.now() / 1000);
    const payload: StateEnvelopePayload = {
      d: { ...data, createdAt: now },
      p: cookie.path,
      iat: now,
      exp: now + this.options.ttl,
    };
    io.setCookie(
      stateCookieName(this.options.cookieName, data.name, data.state),
      sealState(payload, audience(data.name), this.keys[0]),
      { ...cookie, maxAge: this.options.ttl + COOKIE_GRACE },
    );
  }

  /**
   * Deletes this client's flow cookies that are expired or unreadable, and the
   * oldest beyond the count or size limit (room is left for the new one).
   */
  private prune(io: StateCookieIO, name: string, cookie: StateCookieOptions): void {
    const prefix = stateCookiePrefix(this.options.cookieName, name);
    const names = io.cookieNames().filter((n) => isFlowCookie(n, prefix));
    if (names.length === 0) return;
    const size = (cookieName: string) =>
      cookieName.length + (io.getCookie(cookieName) ?? '').length;
    let total = names.reduce((sum, n) => sum + size(n), 0);
    if (names.length < MAX_COOKIE_FLOWS && total <= MAX_COOKIE_BYTES) return;
    const live: { name: string; iat: number; path?: string }[] = [];
    const now = Math.floor(Date.now() / 1000);
    for (const cookieName of names) {
      const payload = openState(io.getCookie(cookieName) ?? '', audience(name), this.keys);
      if (!payload || expired(payload, now)) {
        io.setCookie(cookieName, '', {
          ...cookie,
          path: pathOf(payload) ?? cookie.path,
          maxAge: 0,
        });
        total -= size(cookieName);
        continue;
      }
      live.push({ name: cookieName, iat: payload.iat, path: pathOf(payload) });
    }
    live.sort((a, b) => a.iat - b.iat);
    for (const old of live) {
      if (live.length - live.indexOf(old) < MAX_COOKIE_FLOWS && total <= MAX_COOKIE_BYTES) break;
      io.setCookie(old.name, '', { ...cookie, path: old.path ?? cookie.path, maxAge: 0 });
      total -= size(old.name);
    }
  }

  /** Decrypts, checks and deletes the flow's cookie. */
  async consume(
    io: StateCookieIO,
    name: string,
    state: string,
    cookie: Pick<StateCookieOptions, 'secure'>,
  ): Promise<OAuthStateData> {
    const stateHash = hashState(state);
    const id = `${name}:${stateHash}`;
    const cookieName = stateCookieNameOfHash(this.options.cookieName, name, stateHash);
    const value = io.getCookie(cookieName);
    if (!value) throw new InvalidStateError(this.used.has(id) ? 'replayed' : 'unknown');
    const payload = openState(value, audience(name), this.keys);
    // Unreadable cookies are left to expire: their Path is unknown.
    if (!payload) throw new InvalidStateError('unknown');
    const path = pathOf(payload);
    if (path) io.setCookie(cookieName, '', { secure: cookie.secure, path, maxAge: 0 });
    if (expired(payload, Math.floor(Date.now() / 1000))) throw new InvalidStateError('expired');
    const data = payload.d as OAuthStateData | undefined;
    if (
      !data ||
      typeof data !== 'object' ||
      data.name !== name ||
      typeof data.state !== 'string' ||
      !constantTimeEqual(data.state, state)
    ) {
      throw new InvalidStateError('unknown');
    }
    if (!this.used.mark(id, (payload.exp + COOKIE_GRACE) * 1000)) {
      throw new InvalidStateError('replayed');
    }
    return data;
  }
}

/** Whether `cookieName` is a flow cookie of the client whose prefix is `prefix` (22 base64url chars after it). */
function isFlowCookie(cookieName: string, prefix: string): boolean {
  return (
    cookieName.length === prefix.length + 22 &&
    cookieName.startsWith(prefix) &&
    /^[A-Za-z0-9_-]{22}$/.test(cookieName.slice(prefix.length))
  );
}

/** Expired when `exp` is now or past (as a JWT's `exp`). */
function expired(payload: StateEnvelopePayload, now: number): boolean {
  return payload.exp <= now;
}

function pathOf(payload: StateEnvelopePayload | undefined): string | undefined {
  const p = payload?.p;
  return typeof p === 'string' && p.startsWith('/') ? p : undefined;
}

function audience(name: string): string {
  return `nestjs-oauth:state:${name}`;
}
