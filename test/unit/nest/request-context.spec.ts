import { firstValueFrom, of, defer } from 'rxjs';
import {
  currentRequest,
  OAuthRequestContextInterceptor,
  runWithRequest,
} from '../../../lib/context/request-context.js';

const httpContext = (request: unknown, type = 'http') =>
  ({
    getType: () => type,
    switchToHttp: () => ({ getRequest: () => request }),
  }) as never;

describe('request context', () => {
  it('is empty outside a request', () => {
    expect(currentRequest()).toBeUndefined();
  });

  it('runWithRequest sets it for sync and async work', async () => {
    const request = { id: 1 };
    await runWithRequest(request, async () => {
      expect(currentRequest()).toBe(request);
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(currentRequest()).toBe(request);
    });
    expect(currentRequest()).toBeUndefined();
  });

  it('the interceptor runs the handler (and its async continuations) inside the request', async () => {
    const request = { id: 2 };
    const seen: unknown[] = [];
    const handler = {
      handle: () =>
        defer(async () => {
          seen.push(currentRequest());
          await new Promise((resolve) => setImmediate(resolve));
          seen.push(currentRequest());
          return 'done';
        }),
    };
    const result = await firstValueFrom(
      new OAuthRequestContextInterceptor().intercept(httpContext(request), handler),
    );
    expect(result).toBe('done');
    expect(seen).toEqual([request, request]);
  });

  it('leaves non-HTTP contexts alone', async () => {
    const handler = { handle: () => of(currentRequest()) };
    expect(
      await firstValueFrom(
        new OAuthRequestContextInterceptor().intercept(httpContext({}, 'rpc'), handler),
      ),
    ).toBeUndefined();
  });

  it('keeps concurrent requests apart', async () => {
    const interceptor = new OAuthRequestContextInterceptor();
    const run = (request: object) =>
      firstValueFrom(
        interceptor.intercept(httpContext(request), {
          handle: () =>
            defer(async () => {
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
              return currentRequest();
            }),
        }),
      );
    const requests = Array.from({ length: 20 }, (_, id) => ({ id }));
    expect(await Promise.all(requests.map(run))).toEqual(requests);
  });
});
