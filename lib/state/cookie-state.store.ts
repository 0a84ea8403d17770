import { EncryptJWT, errors as joseErrors, jwtDecrypt } from 'jose';
import { InvalidStateError } from '../errors/invalid-state.error.js';
import { stateCookieName, stateCookiePrefix } from './state-cookie-name.js';
import { deriveStateKey, hashState, safeEqual, UsedStates } from './state-crypto.js';
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
 * Keeps each flow's data in its own encrypted cookie: a JWT encrypted with
 * `dir` + `A256GCM` (key from HKDF-SHA-256 of the secret), HttpOnly,
 * SameSite=Lax, expiring with the state. Several app instances sharing the
 * secret need no shared storage. Used states are also remembered in this
 * process until they expire, so a replay is refused even with a copied cookie.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7516.html
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-10.12
 */
export class CookieStateStore implements OAuthStateStore {
  private readonly keys: Promise<CryptoKey>[];
  private readonly used = new UsedStates();

  constructor(private readonly options: CookieStateStoreOptions) {
    if (options.secrets.length === 0) throw new TypeError('CookieStateStore needs a secret');
    this.keys = options.secrets.map(deriveStateKey);
  }

  /** Encrypts `data` into the flow's cookie (dropping expired and surplus flow cookies). */
  async save(io: StateCookieIO, data: OAuthStateData, cookie: StateCookieOptions): Promise<void> {
    await this.prune(io, data.name, cookie);
    const now = Math.floor(Date.now() / 1000);
    const jwe = await new EncryptJWT({ d: { ...data, createdAt: now }, p: cookie.path })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setAudience(audience(data.name))
      .setIssuedAt(now)
      .setExpirationTime(now + this.options.ttl)
      .encrypt(await this.keys[0]);
    io.setCookie(stateCookieName(this.options.cookieName, data.name, data.state), jwe, {
      ...cookie,
      maxAge: this.options.ttl + COOKIE_GRACE,
    });
  }

  /**
   * Deletes this client's flow cookies that are expired or unreadable, and the
   * oldest beyond the count or size limit (room is left for the new one).
   */
  private async prune(io: StateCookieIO, name: string, cookie: StateCookieOptions): Promise<void> {
    const pattern = new RegExp(
      `^${stateCookiePrefix(this.options.cookieName, name)}[A-Za-z0-9_-]{22}$`,
    );
    const names = io.cookieNames().filter((n) => pattern.test(n));
    const size = (cookieName: string) =>
      cookieName.length + (io.getCookie(cookieName) ?? '').length;
    let total = names.reduce((sum, n) => sum + size(n), 0);
    if (names.length < MAX_COOKIE_FLOWS && total <= MAX_COOKIE_BYTES) return;
    const live: { name: string; iat: number; path?: string }[] = [];
    for (const cookieName of names) {
      let payload: Record<string, unknown> | undefined;
      try {
        payload = await this.decrypt(io.getCookie(cookieName) ?? '', name);
      } catch (err) {
        const path = err instanceof joseErrors.JWTExpired ? pathOf(err.payload) : undefined;
        io.setCookie(cookieName, '', { ...cookie, path: path ?? cookie.path, maxAge: 0 });
        total -= size(cookieName);
        continue;
      }
      live.push({ name: cookieName, iat: Number(payload.iat) || 0, path: pathOf(payload) });
    }
    live.sort((a, b) => a.iat - b.iat);
    for (const old of live) {
      if (live.length - live.indexOf(old) < MAX_COOKIE_FLOWS && total <= MAX_COOKIE_BYTES) break;
      io.setCookie(old.name, '', { ...cookie, path: old.path ?? cookie.path, maxAge: 0 });
      total -= size(old.name);
    }
  }

  /** Decrypts a flow cookie with any of the keys; throws jose's error (e.g. `JWTExpired`). */
  private async decrypt(value: string, name: string): Promise<Record<string, unknown>> {
    let lastError: unknown = new Error('no key');
    for (const key of this.keys) {
      try {
        const { payload } = await jwtDecrypt(value, await key, {
          audience: audience(name),
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
          requiredClaims: ['exp'],
        });
        return payload;
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw err;
        lastError = err;
      }
    }
    throw lastError;
  }

  /** Decrypts, checks and deletes the flow's cookie. */
  async consume(
    io: StateCookieIO,
    name: string,
    state: string,
    cookie: Pick<StateCookieOptions, 'secure'>,
  ): Promise<OAuthStateData> {
    const id = `${name}:${hashState(state)}`;
    const cookieName = stateCookieName(this.options.cookieName, name, state);
    const value = io.getCookie(cookieName);
    if (!value) throw new InvalidStateError(this.used.has(id) ? 'replayed' : 'unknown');
    const clear = (path: string | undefined) => {
      // Unreadable cookies are left to expire: their Path is unknown.
      if (path) io.setCookie(cookieName, '', { secure: cookie.secure, path, maxAge: 0 });
    };

    let payload: Record<string, unknown>;
    try {
      payload = await this.decrypt(value, name);
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        clear(pathOf(err.payload));
        throw new InvalidStateError('expired');
      }
      throw new InvalidStateError('unknown', { cause: err });
    }
    clear(pathOf(payload));
    const data = payload.d as OAuthStateData | undefined;
    if (
      !data ||
      typeof data !== 'object' ||
      data.name !== name ||
      typeof data.state !== 'string' ||
      !safeEqual(data.state, state)
    ) {
      throw new InvalidStateError('unknown');
    }
    if (!this.used.mark(id, ((payload.exp as number) + COOKIE_GRACE) * 1000)) {
      throw new InvalidStateError('replayed');
    }
    return data;
  }
}

function pathOf(payload: unknown): string | undefined {
  const p = (payload as { p?: unknown } | undefined)?.p;
  return typeof p === 'string' && p.startsWith('/') ? p : undefined;
}

function audience(name: string): string {
  return `nestjs-oauth:state:${name}`;
}
