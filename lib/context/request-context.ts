import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { toHttpException } from '../exceptions/oauth.exception.js';

/** What the request context holds. */
export interface OAuthRequestContext {
  /** The framework request (what `@Req()` gives: Express `Request` or `FastifyRequest`). */
  request: unknown;
}

const storage = new AsyncLocalStorage<OAuthRequestContext>();

/**
 * The HTTP request being served in the current async context, if any (set by
 * {@link OAuthRequestContextInterceptor}, which `OAuthModule` registers
 * globally, or by {@link runWithRequest}).
 */
export function currentRequest(): unknown {
  return storage.getStore()?.request;
}

/**
 * Runs `fn` with `request` as the current request: for code outside a route
 * handler (a guard, a middleware, a queue worker acting for a user).
 *
 * @param request - the request object handed to `fetchToken`
 * @param fn - the work to run
 * @returns what `fn` returns
 */
export function runWithRequest<T>(request: unknown, fn: () => T): T {
  return storage.run({ request }, fn);
}

/**
 * Global interceptor that makes the current HTTP request available to
 * injected clients (so `github.get('/user')` finds the user's token through
 * `fetchToken(name, request)` without being handed the request).
 * Uses `AsyncLocalStorage`, not request-scoped providers.
 *
 * An `OAuthError` escaping a handler (no token for an API call, a provider
 * that is down) becomes the `OAuthException` of {@link toHttpException}
 * (401, 502, 504, ...) instead of a 500; app exception filters still see it.
 */
@Injectable()
export class OAuthRequestContextInterceptor implements NestInterceptor {
  /** Runs the rest of the chain inside the request's context. */
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest();
    return new Observable((subscriber) =>
      storage.run({ request }, () =>
        next
          .handle()
          .pipe(catchError((err: unknown) => throwError(() => toHttpException(err))))
          .subscribe(subscriber),
      ),
    );
  }
}
