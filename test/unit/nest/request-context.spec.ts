import {
  currentRequest,
  linkFrameworkRequest,
  runWithRequest,
} from '../../../lib/context/request-context.js';
import { OAuthRequestContextMiddleware } from '../../../lib/context/request-context.middleware.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('request context', () => {
  it('is empty outside a request', () => {
    expect(currentRequest()).toBeUndefined();
  });

  it('runWithRequest sets it for sync and async work, and returns what the work returns', async () => {
    const request = { id: 1 };
    // What the work saw is returned and asserted outside it: a runWithRequest that never
    // calls its function fails here instead of passing silently.
    const seen = await runWithRequest(request, async () => {
      const before = currentRequest();
      await new Promise((resolve) => setTimeout(resolve, 1));
      return [before, currentRequest()];
    });
    expect(seen).toEqual([request, request]);
    expect(currentRequest()).toBeUndefined();
  });

  it('the middleware runs the rest of the request (and its async continuations) inside it', async () => {
    const request = { id: 2 };
    const seen: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      new OAuthRequestContextMiddleware().use(request, {}, () => {
        seen.push(currentRequest());
        void tick().then(() => {
          seen.push(currentRequest());
          resolve();
        });
      });
    });
    await done;
    expect(seen).toEqual([request, request]);
    expect(currentRequest()).toBeUndefined();
  });

  it('reports the framework request linked to the raw one the middleware saw (Fastify)', async () => {
    const raw = { id: 'raw' };
    const fastifyRequest = { raw, id: 'fastify' };
    linkFrameworkRequest(raw, fastifyRequest);
    expect(runWithRequest(raw, () => currentRequest())).toBe(fastifyRequest);
  });

  it('keeps concurrent requests apart', async () => {
    const run = (request: object) =>
      new Promise<unknown>((resolve) =>
        new OAuthRequestContextMiddleware().use(request, {}, () => {
          setTimeout(() => resolve(currentRequest()), Math.random() * 5);
        }),
      );
    const requests = Array.from({ length: 20 }, (_, id) => ({ id }));
    expect(await Promise.all(requests.map(run))).toEqual(requests);
  });
});
