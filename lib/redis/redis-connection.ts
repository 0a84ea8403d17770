import { Redis } from 'ioredis';
import {
  invalidArgument,
  RedisConnectError,
  RedisStoreError,
  RedisUnavailableError,
} from './redis-errors.js';

/** Error replies that mean "not now" rather than "never". */
const TEMPORARY_REPLIES = new Set([
  'LOADING',
  'BUSY',
  'MASTERDOWN',
  'CLUSTERDOWN',
  'TRYAGAIN',
  'READONLY',
]);

/** What {@link RedisConnection} needs to know. */
export interface RedisConnectionOptions {
  /** A client of the caller's (not closed by us), else one is made from `url`. */
  client?: Redis;
  url?: string;
  setting: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * The URL without user name and password (`redis://host:port/db`), for
 * messages; `undefined` when it does not parse.
 */
function redactRedisUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return undefined;
  }
}

/** Reconnect delays: 100 ms doubling to 2 s, forever. */
const retryStrategy = (attempt: number): number => Math.min(50 * 2 ** Math.min(attempt, 6), 2000);

/**
 * One ioredis client with bounded failure: every command gets a deadline and
 * its failure becomes a {@link RedisStoreError}; a client made here fails
 * fast while disconnected (no offline queue, no resend of unanswered
 * commands after a reconnect, so nothing runs later behind the caller's
 * back) and reconnects by itself.
 *
 * @internal
 */
export class RedisConnection {
  readonly client: Redis;
  private readonly owned: boolean;
  private readonly url?: string;
  private everReady = false;

  constructor(private readonly options: RedisConnectionOptions) {
    if (options.client) {
      this.client = options.client;
      this.owned = false;
      this.everReady = options.client.status === 'ready';
      return;
    }
    const { url, setting } = options;
    if (typeof url !== 'string' || !/^rediss?:$/.test(safeProtocol(url))) {
      // The value may carry a password: never echo it.
      throw invalidArgument(
        `${setting} must be a redis:// or rediss:// URL (or pass an ioredis client)`,
      );
    }
    this.url = redactRedisUrl(url);
    this.owned = true;
    this.client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: options.connectTimeoutMs,
      retryStrategy,
      // A dead socket is destroyed after this long on close (ioredis' default 2 s keeps the process alive).
      disconnectTimeout: 500,
    });
    // Errors surface on the commands; without a listener ioredis would log them.
    this.client.on('error', () => undefined);
    this.client.on('ready', () => (this.everReady = true));
  }

  /**
   * Resolves once the client is ready. The first time, a client made here
   * that cannot connect within `connectTimeoutMs` is shut down (no retry loop
   * left running) and a {@link RedisConnectError} names the URL setting.
   */
  async ready(): Promise<void> {
    const client = this.client;
    if (client.status === 'ready') return;
    const first = !this.everReady;
    const timeoutMs = this.options.connectTimeoutMs;
    let lastError: unknown;
    const onError = (err: unknown) => (lastError = err);
    let onReady!: () => void;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        onReady = resolve;
        client.on('error', onError);
        client.once('ready', onReady);
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        if (client.status === 'wait' || (this.owned && client.status === 'end')) {
          client.connect().catch(onError);
        } else if (client.status === 'end') {
          lastError = new Error('the ioredis client was closed');
          reject(lastError);
        }
      });
    } catch {
      if (this.owned && first) this.client.disconnect();
      throw new RedisConnectError(
        this.options.setting,
        this.url,
        describeFailure(lastError),
        timeoutMs,
        { cause: lastError },
      );
    } finally {
      clearTimeout(timer);
      client.off('error', onError);
      client.off('ready', onReady);
    }
  }

  /**
   * Runs one store operation: at most `commandTimeoutMs`, and any failure of
   * the client becomes a {@link RedisStoreError}.
   */
  async run<T>(operation: string, command: (client: Redis) => Promise<T>): Promise<T> {
    if (this.client.status === 'wait') await this.ready();
    const ms = this.options.commandTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RedisUnavailableError(operation, `no answer within ${ms} ms`)),
        ms,
      );
    });
    try {
      return await Promise.race([command(this.client), deadline]);
    } catch (err) {
      throw toStoreError(operation, err, ms);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes a client made here (a caller's client is left open). */
  async close(): Promise<void> {
    if (!this.owned || this.client.status === 'end') return;
    try {
      if (this.client.status !== 'ready') throw new Error('not connected');
      await this.run('close', (client) => client.quit());
    } catch {
      this.client.disconnect();
    }
  }
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

/** A short, fixed description of a connection failure: an errno code or a fixed phrase. */
function describeFailure(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'string' && /^[A-Z_]+$/.test(e.code)) return e.code;
  if (e?.name === 'ReplyError' && typeof e.message === 'string') {
    return `Redis answered ${replyCode(e.message)}`;
  }
  return err ? 'connection failed' : 'no answer';
}

function replyCode(message: string): string {
  return /^[A-Z]+/.exec(message)?.[0] ?? 'ERR';
}

/** Maps an ioredis failure to this package's errors (fixed wording, the cause attached). */
function toStoreError(operation: string, err: unknown, timeoutMs: number): RedisStoreError {
  if (err instanceof RedisStoreError) return err;
  const e = err as { name?: unknown; message?: unknown; code?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : '';
  if (e?.name === 'ReplyError') {
    const reply = replyCode(message);
    return TEMPORARY_REPLIES.has(reply)
      ? new RedisUnavailableError(operation, `Redis answered ${reply}`, { cause: err })
      : RedisStoreError.refused(operation, reply, err);
  }
  let reason: string;
  if (e?.name === 'MaxRetriesPerRequestError') reason = 'connection lost';
  else if (message === 'Command timed out') reason = `no answer within ${timeoutMs} ms`;
  else if (message.startsWith("Stream isn't writeable")) reason = 'not connected';
  else if (message.startsWith('Connection is closed')) reason = 'connection closed';
  else reason = describeFailure(err);
  return new RedisUnavailableError(operation, reason, { cause: err });
}
