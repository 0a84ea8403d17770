// One refresh across processes: the hook OAuth2Client calls around a refresh when the
// app runs several instances (see docs/redis.md, "The refresh lock").
import { createHash } from 'node:crypto';
import { MissingTokenError, TokenExpiredError } from '../errors.js';
import { isTokenExpired, type OAuth2Token } from '../token.js';
import type { SingleFlight } from './single-flight.js';

/**
 * A lock shared by every process (every app instance) that may refresh the
 * same token: runs `refresh` while holding the lock named `key`, and returns
 * what it returns. Callers that find the lock held wait for it, then run
 * `refresh` themselves (it first re-reads the token, and takes the one the
 * holder saved instead of refreshing again).
 *
 * The lock must be held until `refresh` has settled (the new token is saved
 * by then), and must not run `refresh` at all when it cannot be taken (fail
 * closed: throw). `nestjs-oauth/redis` makes one: `store.refreshLock(clientName)`.
 *
 * @param key - the base64url SHA-256 of the refresh token (43 characters), never the token
 * @param refresh - the work to do while holding the lock
 * @returns what `refresh` returned
 */
export type RefreshLockFunction = (
  key: string,
  refresh: () => Promise<OAuth2Token>,
) => Promise<OAuth2Token>;

/**
 * Reads the current token from where `updateToken` saves it (the app's
 * token database, a shared cache): called inside the refresh lock, so that a
 * token another process has just refreshed is taken rather than refreshed
 * again. `undefined` means the token is gone (the user logged out): the
 * refresh fails with `MissingTokenError` rather than bring it back.
 */
export type ReloadTokenFunction = () => OAuth2Token | undefined | Promise<OAuth2Token | undefined>;

/** Per-call options of {@link OAuth2Client.ensureActiveToken}. */
export interface EnsureActiveTokenOptions {
  /**
   * How to re-read this token inside the refresh lock (wins over the
   * client's `reloadToken`): for a `stateless` client shared by many users,
   * the reader of this user's token.
   */
  reloadToken?: ReloadTokenFunction;
  /**
   * The cross-process lock for this call (wins over the client's
   * `refreshLock`): for a `stateless` client, the lock of this user's token
   * where it has a `reloadToken`, and none where it has not.
   */
  refreshLock?: RefreshLockFunction;
}

/**
 * The refresh-lock key of a refresh token: its SHA-256, base64url (43
 * characters). Every process holding the same refresh token computes the
 * same key; the token itself never goes into a key or a log line.
 *
 * @internal
 * @param refreshToken - the refresh token about to be used
 */
export function refreshTokenHash(refreshToken: string): string {
  return createHash('sha256').update(refreshToken, 'utf8').digest('base64url');
}

/**
 * Checks the refresh-lock options at construction: a lock with no way to
 * re-read the token would refresh a token another process already rotated
 * (a reused refresh token: many providers then revoke the whole family), so
 * it is refused. A `stateless` client may get `reloadToken` per call instead.
 *
 * @internal
 * @throws {TypeError} `ERR_OAUTH_INVALID_OPTION`
 */
export function checkRefreshLockOptions(options: {
  refreshLock?: unknown;
  reloadToken?: unknown;
  stateless?: boolean;
}): void {
  for (const name of ['refreshLock', 'reloadToken'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw invalidOption(`${name} must be a function`);
    }
  }
  if (options.refreshLock && !options.reloadToken && !options.stateless) {
    throw missingReload();
  }
}

/** What {@link renewToken} needs from the client. @internal */
export interface Renewal {
  /** The client's single flight: one refresh per refresh token in this process. */
  flights: SingleFlight<OAuth2Token>;
  /** The cross-process lock, if any. */
  lock?: RefreshLockFunction;
  /** Re-reads the saved token (required with `lock`). */
  reload?: ReloadTokenFunction;
  /** Seconds before expiry at which a token counts as expired. */
  leeway: number;
  /** Refreshes `stale` with `refreshToken` (and calls `updateToken`). */
  refresh(stale: OAuth2Token, refreshToken: string): Promise<OAuth2Token>;
  /** Told when a token another process refreshed replaces `stale`. */
  adopt(stale: OAuth2Token, fresh: OAuth2Token): void;
}

/**
 * Refreshes `token` once per process (single flight: one caller of a process
 * goes on to the lock) and, with a lock, once across processes: inside the
 * lock (keyed by the hash of `refreshToken`) the saved token is re-read and
 * taken when it is valid for `leeway` more seconds (someone else refreshed);
 * a saved token with another refresh token that has expired again is
 * refreshed under its own lock (never use a spent refresh token), once; else
 * this process refreshes, and `updateToken` saves the new token before the
 * lock is released.
 *
 * @internal
 * @throws {TypeError} when there is a lock but no `reload`
 * @throws {MissingTokenError} when the saved token is gone
 * @throws {TokenExpiredError} when the saved token keeps changing, or cannot be refreshed
 */
export function renewToken(
  token: OAuth2Token,
  refreshToken: string,
  r: Renewal,
  rotated = false,
): Promise<OAuth2Token> {
  return r.flights.run(refreshToken, async () => {
    if (!r.lock) return r.refresh(token, refreshToken);
    if (!r.reload) throw missingReload();
    const reload = r.reload;
    let outcome: 'refreshed' | 'reloaded' | 'rotated' = 'refreshed';
    const found = await r.lock(refreshTokenHash(refreshToken), async () => {
      const current = await reload();
      if (!current || typeof current !== 'object') {
        throw new MissingTokenError({
          message: 'the saved token is gone (reloadToken found none)',
        });
      }
      if (typeof current.access_token === 'string' && !isTokenExpired(current, r.leeway)) {
        outcome = 'reloaded';
        return current;
      }
      if (current.refresh_token !== refreshToken) {
        outcome = 'rotated';
        return current;
      }
      outcome = 'refreshed';
      return r.refresh(token, refreshToken);
    });
    if (outcome === 'refreshed') return found;
    r.adopt(token, found);
    if (outcome === 'reloaded') return found;
    const next = found.refresh_token;
    if (typeof next !== 'string' || next === '') throw new TokenExpiredError();
    if (rotated) {
      throw new TokenExpiredError({
        message: 'the saved token expired and was replaced while refreshing it; try again',
      });
    }
    return renewToken(found, next, r, true);
  });
}

function missingReload(): TypeError {
  return invalidOption(
    'refreshLock needs reloadToken (the client option, or per call for a stateless client): ' +
      'without re-reading the saved token inside the lock, a token another process has ' +
      'refreshed would be refreshed again',
  );
}

function invalidOption(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_OAUTH_INVALID_OPTION' });
}
