/**
 * The checks of OAuth1ServerModule's Nest layer that no HTTP test can reach
 * on its own: how a framework request becomes the URL a signature is checked
 * against (a `//host` target both platforms leave unrouted, a bad `Host`, two
 * `Authorization` headers, the raw form body first), the endpoint guard
 * failing closed on a route the module did not prepare, and what the endpoint
 * flow makes of a handler's return value and of a refusal's headers.
 */
import { Readable } from 'node:stream';
import { jest } from '@jest/globals';
import { HttpException, type ExecutionContext } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { OAuth1ProviderError } from '../../../lib/server/oauth1/oauth1-provider-error.js';
import { InMemoryOAuth1ServerStorage, OAuth1Provider } from '../../../lib/server/oauth1/index.js';
import { OAuth1EndpointFlow } from '../../../lib/oauth1-server/flow/oauth1-endpoint.flow.js';
import { OAuth1EndpointGuard } from '../../../lib/oauth1-server/guards/oauth1-endpoint.guard.js';
import { OAuth1ResponseException } from '../../../lib/oauth1-server/errors/oauth1-response.exception.js';
import { toServerRequest } from '../../../lib/oauth1-server/http/server-request.factory.js';
import { OAuth1ServerRegistry } from '../../../lib/oauth1-server/oauth1-server.registry.js';

const ORIGIN = 'https://photos.example.net';

function request(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    method: 'GET',
    originalUrl: '/api/me?x=1',
    protocol: 'https',
    headers: { host: 'photos.example.net' },
    rawHeaders: ['Host', 'photos.example.net'],
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<[number, string] | 'accepted'> {
  try {
    await promise;
    return 'accepted';
  } catch (err) {
    if (!(err instanceof OAuth1ProviderError)) throw err;
    return [err.status, err.advice];
  }
}

describe('toServerRequest', () => {
  it('the URL: the configured origin, else the protocol and host the framework reports', async () => {
    expect((await toServerRequest(request(), ORIGIN)).url).toBe(`${ORIGIN}/api/me?x=1`);
    const behindProxy = request({ protocol: 'https', host: 'api.example.com:8443' });
    expect((await toServerRequest(behindProxy)).url).toBe(
      'https://api.example.com:8443/api/me?x=1',
    );
    const plain = request({ protocol: undefined, socket: { encrypted: false } });
    expect((await toServerRequest(plain)).url).toBe('http://photos.example.net/api/me?x=1');
  });

  it.each([
    ['an absolute target', 'https://evil.example/api/me'],
    ['a network-path target', '//evil.example/api/me'],
    ['an asterisk', '*'],
  ])('refuses %s: it would put another origin in the URL', async (_, target) => {
    expect(await refusal(toServerRequest(request({ originalUrl: target }), ORIGIN))).toEqual([
      400,
      'the request target must be a path',
    ]);
  });

  it.each([['bad host'], ['example.com:99999'], [''], [undefined]])(
    'refuses the Host %j when no origin is configured',
    async (host) => {
      const req = request({ headers: { host }, host: undefined });
      expect(await refusal(toServerRequest(req))).toEqual([400, 'the Host header is not valid']);
    },
  );

  it('passes every Authorization header when several were sent (Node keeps the first)', async () => {
    const req = request({
      headers: { host: 'photos.example.net', authorization: 'OAuth a="1"' },
      rawHeaders: ['Host', 'x', 'Authorization', 'OAuth a="1"', 'authorization', 'OAuth b="2"'],
    });
    expect((await toServerRequest(req, ORIGIN)).headers.authorization).toEqual([
      'OAuth a="1"',
      'OAuth b="2"',
    ]);
    const one = request({ headers: { authorization: 'OAuth a="1"' } });
    expect((await toServerRequest(one, ORIGIN)).headers.authorization).toBe('OAuth a="1"');
  });

  it('prefers the raw form body to the parsed one; reads an unread one itself', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded', host: 'x' };
    const withRaw = request({
      headers: form,
      body: { tags: ['a'] },
      rawBody: Buffer.from('tags%5B%5D=a'),
    });
    expect((await toServerRequest(withRaw, ORIGIN)).body).toBe('tags%5B%5D=a');
    const stream = Object.assign(Readable.from([Buffer.from('a=1&'), Buffer.from('b=2')]), {
      headers: form,
      method: 'GET',
      url: '/x',
    });
    const unread = await toServerRequest({ raw: stream, headers: form, url: '/x' }, ORIGIN);
    expect(unread.body).toBe('a=1&b=2');
    expect(unread.contentType).toBe('application/x-www-form-urlencoded');
  });
});

describe('OAuth1EndpointGuard', () => {
  it('fails closed on a route the module did not prepare', async () => {
    const guard = new OAuth1EndpointGuard();
    const context = { getHandler: () => function unprepared() {} } as unknown as ExecutionContext;
    await expect(guard.canActivate(context)).rejects.toThrow(/not prepared/);
  });
});

describe('OAuth1EndpointFlow', () => {
  const headers: Array<[string, string]> = [];
  const adapterHost = {
    httpAdapter: {
      setHeader: (_res: unknown, name: string, value: string) => headers.push([name, value]),
    },
  } as unknown as HttpAdapterHost;
  const logged: string[] = [];
  const storage = new InMemoryOAuth1ServerStorage({ clients: [] });
  const provider = new OAuth1Provider({ storage });
  const registry = new OAuth1ServerRegistry(
    provider,
    {},
    { error: (m: string) => logged.push(m) } as never,
    ORIGIN,
  );
  const flow = new OAuth1EndpointFlow(registry, adapterHost);

  it('a refusal for a guard carries the core response, its headers already on the response', async () => {
    const error = await flow.resource(request(), {}, []).catch((e) => e);
    expect(error).toBeInstanceOf(OAuth1ResponseException);
    expect(error.getStatus()).toBe(400);
    expect(error.serverResponse.body).toMatch(/^oauth_problem=parameter_absent&/);
    expect(headers).toEqual(Object.entries(error.serverResponse.headers));
  });

  it('a decision handler: undefined denies, a wrong shape is its own error, no user is 403', async () => {
    // The decision is read after the pending authorization: fake one.
    const pending = {
      client: { clientKey: 'c' },
      realms: [],
      redirectUri: 'oob',
      token: 't',
      expiresAt: 1,
    };
    jest.spyOn(provider, 'authorizationRequest').mockResolvedValue(pending as never);
    const authorize = jest
      .spyOn(provider, 'authorize')
      .mockResolvedValue({ approved: false, response: { status: 200, headers: {} } });
    const post = request({ method: 'POST' });
    await flow.answer('authorize', post, async () => undefined);
    expect(authorize).toHaveBeenLastCalledWith(expect.anything(), false);
    await flow.answer('authorize', { ...post, user: { id: 'u' } }, async () => true);
    expect(authorize).toHaveBeenLastCalledWith(expect.anything(), { user: { id: 'u' } });
    await expect(flow.answer('authorize', post, async () => 'yes')).rejects.toThrow(
      'must return false, true or { user, realms? }',
    );
    const anonymous = await flow.answer('authorize', post, async () => true).catch((e) => e);
    expect(anonymous).toBeInstanceOf(HttpException);
    expect(anonymous.getStatus()).toBe(403);
    jest.restoreAllMocks();
  });

  it('an access-token handler returning reserved or nested fields: its own TypeError, not a 503', async () => {
    const grant = { client: {}, user: {}, realms: [], request: {} };
    jest.spyOn(provider, 'accessToken').mockImplementation(async (_request, handler) => {
      await handler!(grant as never);
      return { status: 200, headers: {} };
    });
    for (const extra of [{ oauth_token: 'x' }, { nested: { a: 1 } }, ['x']]) {
      await expect(flow.answer('access_token', request(), async () => extra)).rejects.toThrow(
        TypeError,
      );
    }
    await expect(
      flow.answer('access_token', request(), async () => ({ user_id: 7 })),
    ).resolves.toEqual({ status: 200, headers: {} });
    jest.restoreAllMocks();
  });

  it('anything else failing: a 503, logged by name and code only', async () => {
    jest
      .spyOn(provider, 'requestToken')
      .mockRejectedValue(
        Object.assign(new Error('insert failed: secret=abc123'), { code: 'ECONNRESET' }),
      );
    const error = await flow
      .answer('request_token', request(), async () => undefined)
      .catch((e) => e);
    expect(error.getStatus()).toBe(503);
    expect(logged).toEqual(['OAuth 1 request-token endpoint failed: Error (ECONNRESET)']);
    jest.restoreAllMocks();
  });
});
