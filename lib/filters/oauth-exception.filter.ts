import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { OAuthError } from '../core/errors.js';
import { toHttpException } from '../errors/to-http-exception.js';
import { RedisLockTimeoutError, RedisUnavailableError } from '../redis/redis-errors.js';

/**
 * Answers an `OAuthError` escaping a route handler (no token for an API call,
 * a provider that is down, a token refused for another origin), and the
 * shared Redis store being unavailable during a refresh, with the
 * {@link OAuthException} of {@link toHttpException} (401, 502, 503, 504, ...)
 * instead of a 500. The module's own guards map their errors already; this
 * filter is for your routes, where you ask for it: on a controller or route
 * with `@UseFilters(OAuthExceptionFilter)`, or app-wide with
 * `{ provide: APP_FILTER, useClass: OAuthExceptionFilter }`.
 *
 * It hands the mapped exception to Nest's `BaseExceptionFilter`, so the
 * response is Nest's usual JSON error body.
 *
 * @example
 * ```ts
 * @Controller('repos') @UseFilters(OAuthExceptionFilter)
 * export class ReposController {
 *   constructor(@OAuthClient('github') private readonly github: OAuth2App) {}
 *   @Get() list() { return this.github.get('user/repos').then((r) => r.json()); } // no token: 401
 * }
 * ```
 */
@Catch(OAuthError, RedisUnavailableError, RedisLockTimeoutError)
export class OAuthExceptionFilter extends BaseExceptionFilter {
  /**
   * Maps `exception` and lets Nest's base filter answer it.
   *
   * @param exception - the `OAuthError`, or the shared Redis store's temporary failure (503)
   * @param host - the arguments host
   */
  override catch(
    exception: OAuthError | RedisUnavailableError | RedisLockTimeoutError,
    host: ArgumentsHost,
  ): void {
    super.catch(toHttpException(exception), host);
  }
}
