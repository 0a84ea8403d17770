/**
 * Errors of the Redis store. This file imports nothing from `ioredis`, so the
 * Nest layer can map them to HTTP statuses without loading Redis.
 *
 * Messages are fixed wording plus, where it helps, the operation, a timing
 * and the Redis URL without its credentials: never a key, a value or a token.
 * Every message is built in this file.
 */

/**
 * The setting (environment / `ConfigService` key) that holds the Redis URL,
 * named in start-up errors. Here, next to {@link RedisConnectError}, because
 * this file loads no Redis client: the Nest module reads the setting without
 * loading ioredis.
 */
export const OAUTH_REDIS_URL_ENV = 'OAUTH_REDIS_URL';

/**
 * Base class of the Redis store's errors; on its own it means Redis refused
 * a command (a `ReplyError` such as `WRONGTYPE`: a setup problem).
 */
export class RedisStoreError extends Error {
  /** A stable code: `redis_error`, `redis_unavailable`, `redis_connect_failed`, `lock_timeout`. */
  readonly code: string;
  /** The store operation that failed (`get`, `set`, `take`, `acquire`, `release`, ...), if any. */
  readonly operation?: string;

  /**
   * @param message - fixed wording (no key, value or secret)
   * @param options - the code, the operation and the underlying error
   */
  constructor(
    message: string,
    options: { code?: string; operation?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'redis_error';
    if (options.operation !== undefined) this.operation = options.operation;
  }

  /**
   * Redis answered an operation with an error reply.
   * @param operation - the store operation
   * @param reply - the reply's error code (its first word: `WRONGTYPE`, `NOPERM`, ...)
   * @param cause - the client's error
   */
  static refused(operation: string, reply: string, cause?: unknown): RedisStoreError {
    return new RedisStoreError(`Redis refused ${operation}: ${reply}`, { operation, cause });
  }
}

/**
 * Redis cannot be reached or did not answer in time while serving a request
 * (connection lost, refused, reset, command timeout). Temporary: the client
 * reconnects by itself; the Nest layer answers 503. Never retried silently.
 */
export class RedisUnavailableError extends RedisStoreError {
  /**
   * @param operation - the store operation (`take`, `acquire`, ...)
   * @param reason - fixed wording (`connection lost`, `no answer within 2000 ms`, ...)
   * @param options - the underlying error
   */
  constructor(
    operation: string,
    reason: string,
    options: { cause?: unknown; code?: string; message?: string } = {},
  ) {
    super(options.message ?? `Redis is unavailable (${operation}: ${reason})`, {
      code: options.code ?? 'redis_unavailable',
      operation,
      cause: options.cause,
    });
  }
}

/**
 * Redis could not be reached when the store started: the app should not
 * start. The message names the Redis URL (without credentials) and the
 * setting to fix.
 */
export class RedisConnectError extends RedisUnavailableError {
  /** The Redis URL without user name or password (`redis://host:port/db`), if known. */
  readonly url?: string;
  /** The setting that holds the URL (`OAUTH_REDIS_URL` by default). */
  readonly setting: string;

  /**
   * @param setting - the setting that holds the URL
   * @param url - the URL without credentials, if known
   * @param reason - fixed wording (`ECONNREFUSED`, `no answer`, ...)
   * @param timeoutMs - how long the store tried
   * @param options - the underlying error
   */
  constructor(
    setting: string,
    url: string | undefined,
    reason: string,
    timeoutMs: number,
    options: { cause?: unknown } = {},
  ) {
    super('connect', reason, {
      cause: options.cause,
      code: 'redis_connect_failed',
      message:
        `cannot connect to Redis${url ? ` at ${url}` : ''} within ${timeoutMs} ms (${reason}): ` +
        `check ${setting}`,
    });
    if (url !== undefined) this.url = url;
    this.setting = setting;
  }
}

/**
 * A lock stayed held by someone else for longer than the caller would wait.
 * The holder may still be working (its refresh is slow) or may have died (its
 * lock expires after its TTL). The Nest layer answers 503.
 */
export class RedisLockTimeoutError extends RedisStoreError {
  /** How long the caller waited, in milliseconds. */
  readonly waitMs: number;

  /** @param waitMs - how long the caller waited */
  constructor(waitMs: number) {
    super(`timed out after ${waitMs} ms waiting for a lock held by another process`, {
      code: 'lock_timeout',
      operation: 'withLock',
    });
    this.waitMs = waitMs;
  }
}

/**
 * A programmer mistake (a wrong argument): a `TypeError` with a `code`.
 * @internal
 */
export function invalidArgument(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_VALUE' });
}
