import { AsyncLocalStorage } from 'node:async_hooks';

/** What the request context holds. */
export interface OAuthRequestContext {
  /** The framework request (what `@Req()` gives: Express `Request` or `FastifyRequest`). */
  request: unknown;
}

const storage = new AsyncLocalStorage<OAuthRequestContext>();

/**
 * Fastify runs Nest middleware with its raw `IncomingMessage`; `@Req()` gives
 * the `FastifyRequest` around it. An `onRequest` hook links the two (see
 * {@link linkFrameworkRequest}) so the context reports what `@Req()` gives.
 */
const frameworkRequests = new WeakMap<object, unknown>();

/**
 * Records that `request` (a `FastifyRequest`) wraps `raw`, so that a context
 * set with `raw` reports `request`.
 *
 * @param raw - the Node request the middleware saw
 * @param request - the framework's request object
 * @internal
 */
export function linkFrameworkRequest(raw: object, request: unknown): void {
  frameworkRequests.set(raw, request);
}

/**
 * The HTTP request being served in the current async context, if any: set
 * by {@link OAuthRequestContextMiddleware} (which `OAuthModule` mounts for
 * every route unless told otherwise), or by {@link runWithRequest}.
 *
 * @returns the request object, or `undefined` outside a request
 */
export function currentRequest(): unknown {
  const request = storage.getStore()?.request;
  return request !== null && typeof request === 'object'
    ? (frameworkRequests.get(request) ?? request)
    : request;
}

/**
 * Runs `fn` with `request` as the current request: for code the middleware
 * does not cover (a route it is not mounted for, a queue worker acting for a
 * user, a WebSocket gateway).
 *
 * @param request - the request object handed to `fetchToken`
 * @param fn - the work to run
 * @returns what `fn` returns
 * @example
 * ```ts
 * await runWithRequest(job.request, () => this.github.get('user'));
 * ```
 */
export function runWithRequest<T>(request: unknown, fn: () => T): T {
  return storage.run({ request }, fn);
}
