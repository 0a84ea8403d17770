import type { HttpAdapterHost } from '@nestjs/core';
import { linkFrameworkRequest } from './request-context.js';

/** What is used of a Fastify instance. */
interface FastifyLike {
  addHook(
    name: 'onRequest',
    hook: (request: { raw: object }, reply: unknown, done: () => void) => void,
  ): unknown;
}

const linked = new WeakSet<object>();

/**
 * On Fastify, adds an `onRequest` hook that links each raw request to its
 * `FastifyRequest`, so that `currentRequest()` (and `fetchToken`) get the
 * object `@Req()` gives, although Nest middleware sees the raw one. Once per
 * Fastify instance; nothing on Express.
 *
 * @param adapterHost - Nest's HTTP adapter host
 */
export function linkFastifyRequests(adapterHost: HttpAdapterHost | undefined): void {
  const adapter = adapterHost?.httpAdapter;
  if (!adapter || adapter.getType?.() !== 'fastify') return;
  const instance = adapter.getInstance<FastifyLike>();
  if (!instance || linked.has(instance)) return;
  linked.add(instance);
  instance.addHook('onRequest', (request, _reply, done) => {
    linkFrameworkRequest(request.raw, request);
    done();
  });
}
