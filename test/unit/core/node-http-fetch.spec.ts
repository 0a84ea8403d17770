/**
 * nodeHttpFetch's mechanics against local node:http servers: request forms,
 * streamed and decompressed response bodies, fetch's redirect rules, the
 * abort signal, network errors, keep-alive. (The hostile suites run the
 * whole library over it too: test/e2e/hostile-*.e2e-spec.ts.)
 */
import { getEventListeners, once } from 'node:events';
import {
  Agent as HttpAgent,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import { OAuthNetworkError, OAuthTimeoutError } from '../../../lib/core/errors.js';
import { sendRequest } from '../../../lib/core/http/fetcher.js';
import { nodeHttpFetch } from '../../../lib/core/http/node-http-fetch.js';
import { failure } from '../../fixtures/rejection.js';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  port: number;
}
type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

/** A server that records what it receives and answers with `routes[path]` (default 200 "ok"). */
async function serve(routes: Record<string, Handler>) {
  const seen: Seen[] = [];
  const closed: Seen[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry: Seen = {
      method: req.method!,
      path: req.url!,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
      port: req.socket.remotePort!,
    };
    seen.push(entry);
    res.on('close', () => closed.push(entry));
    const handler = routes[new URL(req.url!, 'http://x').pathname];
    if (handler) handler(req, res, entry);
    else res.end('ok');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    seen,
    closed,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

/** A TCP server that writes `raw` to each connection, then does what `after` says. */
async function rawServer(raw: string, after: 'end' | 'destroy' = 'end') {
  const server = createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write(raw);
      if (after === 'destroy') socket.destroy();
      else socket.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((r) => server.close(r)),
  };
}

const JSON_BODY = JSON.stringify({ hello: 'world', n: [1, 2, 3] });
const redirectTo =
  (status: number, location: (origin: string) => string): Handler =>
  (req, res) => {
    res.writeHead(status, { location: location(`http://${req.headers.host}`) });
    res.end('moved');
  };

let a: Awaited<ReturnType<typeof serve>>;
let b: Awaited<ReturnType<typeof serve>>;
/** What /endless managed to write so far. */
let endlessBytes = 0;
/** Ends the held responses of /hold and /hold-body. */
const held: ServerResponse[] = [];

beforeAll(async () => {
  b = await serve({});
  const routes: Record<string, Handler> = {
    '/cookies': (_req, res) => {
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.setHeader('x-many', ['one', 'two']);
      res.writeHead(200, 'Fine Thanks');
      res.end();
    },
    '/hold': (_req, res) => void held.push(res),
    '/hold-body': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first chunk');
      held.push(res);
    },
    '/reset-body': (_req, res) => {
      res.writeHead(200, { 'content-length': 1000 });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    },
    '/endless': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 'A');
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) endlessBytes += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    },
    '/head': (_req, res) => {
      res.writeHead(200, { 'content-length': 5 });
      res.end();
    },
    '/to-b': redirectTo(307, () => `${b.origin}/landed`),
    '/to-ftp': redirectTo(302, () => 'ftp://127.0.0.1/file'),
    '/loop': redirectTo(302, (origin) => `${origin}/loop`),
    '/no-location': (_req, res) => {
      res.writeHead(302);
      res.end('no location');
    },
  };
  for (const status of [204, 205, 304]) {
    routes[`/status/${status}`] = (_req, res) => {
      res.writeHead(status);
      res.end();
    };
  }
  for (const status of [301, 302, 303, 307, 308]) {
    routes[`/r${status}`] = redirectTo(status, (origin) => `${origin}/landed?from=${status}`);
  }
  const encoded: Record<string, Buffer> = {
    gzip: gzipSync(JSON_BODY),
    'x-gzip': gzipSync(JSON_BODY),
    deflate: deflateSync(JSON_BODY),
    br: brotliCompressSync(JSON_BODY),
    'deflate, br': brotliCompressSync(deflateSync(JSON_BODY)),
    unknown: Buffer.from('opaque bytes'),
  };
  for (const [encoding, bytes] of Object.entries(encoded)) {
    routes[`/encoded/${encodeURIComponent(encoding)}`] = (_req, res) => {
      res.writeHead(200, { 'content-encoding': encoding, 'content-type': 'application/json' });
      res.end(bytes);
    };
  }
  a = await serve(routes);
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await Promise.all([a?.close(), b?.close()]);
});
beforeEach(() => {
  for (const server of [a, b]) {
    server.seen.length = 0;
    server.closed.length = 0;
  }
});

const fetch = nodeHttpFetch();
const last = () => a.seen.at(-1)!;

/** Waits until `check` holds (a server-side close trails the client's error). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('requests', () => {
  it.each(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(
    '%s reaches the server',
    async (method) => {
      const res = await fetch(`${a.origin}/m`, { method });
      expect(await res.text()).toBe('ok');
      expect(last().method).toBe(method);
    },
  );

  it('accepts a URL object; normalizes the case of standard methods', async () => {
    await (await fetch(new URL(`${a.origin}/m?q=1`), { method: 'post' })).text();
    expect(last()).toMatchObject({ method: 'POST', path: '/m?q=1' });
  });

  it.each([
    ['Headers', new Headers({ 'X-One': '1', Authorization: 'Bearer t' })],
    [
      'pairs',
      [
        ['X-One', '1'],
        ['Authorization', 'Bearer t'],
      ],
    ],
    ['a record', { 'X-One': '1', Authorization: 'Bearer t' }],
  ] as [string, HeadersInit][])('headers as %s', async (_form, headers) => {
    await (await fetch(`${a.origin}/h`, { headers })).text();
    expect(last().headers).toMatchObject({
      'x-one': '1',
      authorization: 'Bearer t',
      'accept-encoding': 'gzip, deflate, br',
    });
  });

  it('sends headers as Headers would hold them: names in any case, values trimmed, repeats joined', async () => {
    const given: [string, string][] = [
      ['X-Twice', ' a '],
      ['x-twice', 'b\t'],
      ['Content-Type', 'application/json'],
    ];
    await (await fetch(`${a.origin}/h`, { method: 'POST', headers: given, body: '{}' })).text();
    const sent = last().headers;
    expect(sent['x-twice']).toBe(new Headers(given).get('x-twice'));
    expect(sent['x-twice']).toBe('a, b');
    // The caller's content type wins over the one fetch would give a string body.
    expect(sent['content-type']).toBe('application/json');
  });

  it('keeps an accept-encoding the caller set', async () => {
    await (await fetch(`${a.origin}/h`, { headers: { 'accept-encoding': 'identity' } })).text();
    expect(last().headers['accept-encoding']).toBe('identity');
  });

  const bytes = new TextEncoder().encode('bytes é');
  it.each([
    ['a string', 'text é', 'text/plain;charset=UTF-8', 'text é'],
    [
      'URLSearchParams',
      new URLSearchParams({ code: 'a b', x: 'é' }),
      'application/x-www-form-urlencoded;charset=UTF-8',
      'code=a+b&x=%C3%A9',
    ],
    ['a Uint8Array', bytes, undefined, 'bytes é'],
    ['a Buffer', Buffer.from('buffer'), undefined, 'buffer'],
    ['an ArrayBuffer', bytes.buffer, undefined, 'bytes é'],
  ] as [string, BodyInit, string | undefined, string][])(
    'a body as %s, with content-length',
    async (_form, body, type, text) => {
      await (await fetch(`${a.origin}/b`, { method: 'POST', body })).text();
      expect(last().body).toBe(text);
      expect(last().headers['content-length']).toBe(String(Buffer.byteLength(text)));
      expect(last().headers['content-type']).toBe(type);
    },
  );

  it('a content type the caller gave wins; POST without a body sends content-length 0', async () => {
    await (
      await fetch(`${a.origin}/b`, {
        method: 'POST',
        body: new URLSearchParams({ a: '1' }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      })
    ).text();
    expect(last().headers['content-type']).toBe('application/x-www-form-urlencoded');
    await (await fetch(`${a.origin}/b`, { method: 'POST' })).text();
    expect(last().headers['content-length']).toBe('0');
  });

  it('a GET with a body is a TypeError, as fetch, never a synchronous throw', async () => {
    const call = fetch(`${a.origin}/b`, { body: 'x' });
    await expect(call).rejects.toThrow(TypeError);
  });

  it('hands a Request object and other body types to the platform fetch unchanged', async () => {
    const platform = jest.spyOn(globalThis, 'fetch');
    try {
      const request = new Request(`${a.origin}/req`);
      await (await fetch(request)).text();
      expect(platform).toHaveBeenLastCalledWith(request, undefined);
      const blob = new Blob(['blob body']);
      const init = { method: 'POST', body: blob };
      await (await fetch(`${a.origin}/blob`, init)).text();
      expect(platform).toHaveBeenLastCalledWith(`${a.origin}/blob`, init);
      expect(last().body).toBe('blob body');
      expect(platform).toHaveBeenCalledTimes(2);
      await (await fetch(`${a.origin}/own`, { method: 'POST', body: 'own' })).text();
      expect(platform).toHaveBeenCalledTimes(2);
    } finally {
      platform.mockRestore();
    }
  });
});

describe('responses', () => {
  it('status, statusText, and repeated headers from the raw headers', async () => {
    const res = await fetch(`${a.origin}/cookies`);
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.statusText).toBe('Fine Thanks');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers.get('x-many')).toBe('one, two');
    expect(res.url).toBe(`${a.origin}/cookies`);
    expect(res.redirected).toBe(false);
  });

  it('the body streams: the response is there before the body ends', async () => {
    const res = await fetch(`${a.origin}/hold-body`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('first chunk');
    held.pop()!.end(' and the rest');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      rest += Buffer.from(r.value).toString();
    }
    expect(rest).toBe(' and the rest');
  });

  it('a reader that stops reading stops the download (backpressure, bounded memory)', async () => {
    const res = await fetch(`${a.origin}/endless`);
    const reader = res.body!.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 300));
    const rss = process.memoryUsage().rss;
    await new Promise((r) => setTimeout(r, 200));
    // Socket buffers on both sides, not the 300 ms a loopback could fill (gigabytes).
    expect(endlessBytes).toBeLessThan(32 * 1024 ** 2);
    expect(process.memoryUsage().rss - rss).toBeLessThan(16 * 1024 ** 2);
    await reader.cancel();
  });

  it.each(['gzip', 'x-gzip', 'deflate', 'br', 'deflate, br'])(
    'decompresses %s before the body is read',
    async (encoding) => {
      const res = await fetch(`${a.origin}/encoded/${encodeURIComponent(encoding)}`);
      expect(await res.json()).toEqual(JSON.parse(JSON_BODY));
    },
  );

  it('passes an unknown encoding through', async () => {
    const res = await fetch(`${a.origin}/encoded/unknown`);
    expect(res.headers.get('content-encoding')).toBe('unknown');
    expect(await res.text()).toBe('opaque bytes');
  });

  it.each([204, 205, 304])('status %s has a null body', async (status) => {
    const res = await fetch(`${a.origin}/status/${status}`);
    expect(res.status).toBe(status);
    expect(res.body).toBeNull();
  });

  it('HEAD has a null body', async () => {
    const res = await fetch(`${a.origin}/head`, { method: 'HEAD' });
    expect(res.headers.get('content-length')).toBe('5');
    expect(res.body).toBeNull();
  });

  it('a connection reset in the body errors the body stream (TypeError terminated)', async () => {
    const res = await fetch(`${a.origin}/reset-body`);
    const err = await failure(() => res.text());
    expect(err).toBeInstanceOf(TypeError);
  });

  it('cancelling the body closes the connection', async () => {
    const res = await fetch(`${a.origin}/hold-body`);
    await res.body!.cancel();
    await until(() => a.closed.some((s) => s.path === '/hold-body'));
  });

  it('keeps the connection alive: two sequential calls use one socket', async () => {
    const own = nodeHttpFetch();
    await (await own(`${a.origin}/one`)).text();
    await (await own(`${a.origin}/two`)).text();
    expect(a.seen).toHaveLength(2);
    expect(a.seen[0].port).toBe(a.seen[1].port);
  });
});

describe('redirects', () => {
  it('manual: the 3xx itself; the target receives nothing', async () => {
    const res = await fetch(`${a.origin}/to-b`, {
      method: 'POST',
      body: 'code=secret',
      redirect: 'manual',
    });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`${b.origin}/landed`);
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect(b.seen).toEqual([]);
  });

  it('error: a TypeError; the target receives nothing', async () => {
    const err = await failure(() => fetch(`${a.origin}/r302`, { redirect: 'error' }));
    expect(err).toBeInstanceOf(TypeError);
    expect(a.seen.map((s) => s.path)).toEqual(['/r302']);
  });

  it.each([301, 302])('%s after POST: a GET without body or body headers', async (status) => {
    const res = await fetch(`${a.origin}/r${status}`, {
      method: 'POST',
      body: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-keep': 'yes' },
    });
    expect(await res.text()).toBe('ok');
    expect(res.redirected).toBe(true);
    expect(res.url).toBe(`${a.origin}/landed?from=${status}`);
    expect(last()).toMatchObject({ method: 'GET', body: '', path: `/landed?from=${status}` });
    expect(last().headers['content-type']).toBeUndefined();
    expect(last().headers['content-length']).toBeUndefined();
    expect(last().headers['x-keep']).toBe('yes');
  });

  it('303 after PUT: a GET without body', async () => {
    await (await fetch(`${a.origin}/r303`, { method: 'PUT', body: 'a=1' })).text();
    expect(last()).toMatchObject({ method: 'GET', body: '' });
    expect(last().headers['content-type']).toBeUndefined();
  });

  it('301 after PUT keeps the method and body', async () => {
    await (await fetch(`${a.origin}/r301`, { method: 'PUT', body: 'a=1' })).text();
    expect(last()).toMatchObject({ method: 'PUT', body: 'a=1' });
  });

  it.each([307, 308])('%s resends the method and body', async (status) => {
    await (await fetch(`${a.origin}/r${status}`, { method: 'POST', body: 'a=1' })).text();
    expect(last()).toMatchObject({ method: 'POST', body: 'a=1', path: `/landed?from=${status}` });
    expect(last().headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('same origin: credentials travel on', async () => {
    await (await fetch(`${a.origin}/r307`, { headers: { authorization: 'Bearer t' } })).text();
    expect(last().headers.authorization).toBe('Bearer t');
  });

  it('cross origin: authorization, cookie and proxy-authorization are dropped', async () => {
    const res = await fetch(`${a.origin}/to-b`, {
      method: 'POST',
      body: 'a=1',
      headers: {
        authorization: 'Bearer secret',
        cookie: 'sid=secret',
        'proxy-authorization': 'Basic secret',
        'x-other': 'kept',
      },
    });
    await res.text();
    expect(b.seen).toHaveLength(1);
    expect(b.seen[0]).toMatchObject({ method: 'POST', body: 'a=1' });
    expect(b.seen[0].headers).toMatchObject({ 'x-other': 'kept' });
    expect(JSON.stringify(b.seen[0].headers)).not.toContain('secret');
  });

  it('a non-http(s) Location rejects', async () => {
    await expect(fetch(`${a.origin}/to-ftp`)).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
    });
  });

  it('stops after maxRedirects (default 20)', async () => {
    await expect(fetch(`${a.origin}/loop`)).rejects.toMatchObject({ message: 'fetch failed' });
    expect(a.seen).toHaveLength(21);
    a.seen.length = 0;
    await expect(nodeHttpFetch({ maxRedirects: 2 })(`${a.origin}/loop`)).rejects.toThrow(TypeError);
    expect(a.seen).toHaveLength(3);
  });

  it('drains the body of a redirect it follows: both sockets go back to the pool', async () => {
    const agent = new HttpAgent({ keepAlive: true });
    try {
      await (await nodeHttpFetch({ agent: { http: agent } })(`${a.origin}/r302`)).text();
      await until(() => Object.values(agent.sockets).flat().length === 0);
      expect(Object.values(agent.freeSockets).flat().length).toBeGreaterThan(0);
    } finally {
      agent.destroy();
    }
  });

  it('a 3xx without Location is the response', async () => {
    const res = await fetch(`${a.origin}/no-location`);
    expect(res.status).toBe(302);
    expect(await res.text()).toBe('no location');
  });
});

describe('the abort signal', () => {
  it('already aborted: rejects with the reason, nothing is sent', async () => {
    const reason = new Error('stop');
    const err = await failure(() => fetch(`${a.origin}/x`, { signal: AbortSignal.abort(reason) }));
    expect(err).toBe(reason);
    await new Promise((r) => setTimeout(r, 20));
    expect(a.seen).toEqual([]);
  });

  it('while waiting for headers: rejects with the reason, the request is torn down', async () => {
    const controller = new AbortController();
    const call = fetch(`${a.origin}/hold`, { signal: controller.signal });
    await until(() => a.seen.length === 1);
    const reason = new DOMException('gone', 'AbortError');
    controller.abort(reason);
    expect(await failure(() => call)).toBe(reason);
    await until(() => a.closed.length === 1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('while the body is read: the body errors with the reason, the socket goes', async () => {
    const controller = new AbortController();
    const res = await fetch(`${a.origin}/hold-body`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    const reason = new Error('enough');
    controller.abort(reason);
    expect(await failure(() => reader.read())).toBe(reason);
    await until(() => a.closed.some((s) => s.path === '/hold-body'));
  });

  it('no listener is left on a long-lived signal after a call', async () => {
    const signal = new AbortController().signal;
    await (await fetch(`${a.origin}/x`, { signal })).text();
    await (await fetch(`${a.origin}/r302`, { signal })).text();
    await fetch(`${a.origin}/status/204`, { signal });
    await fetch(`${a.origin}/to-ftp`, { signal }).catch(() => undefined);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('maps to OAuthTimeoutError through sendRequest', async () => {
    const err = await failure(() =>
      sendRequest(`${a.origin}/hold`, {}, { fetch: nodeHttpFetch(), timeout: 50 }),
    );
    expect(err).toBeInstanceOf(OAuthTimeoutError);
    expect(err.message).toContain(`${a.origin}/hold`);
  });
});

describe('network errors', () => {
  it('ECONNREFUSED: TypeError fetch failed, OAuthNetworkError through sendRequest', async () => {
    const free = await rawServer('');
    await free.close();
    const err = await failure(() => fetch(free.url));
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    const mapped = await failure(() => sendRequest(free.url, {}, { fetch }));
    expect(mapped).toBeInstanceOf(OAuthNetworkError);
    expect(mapped.message).toContain(free.url.replace(/\/$/, ''));
  });

  it.each([
    ['a reset in the middle of the headers', 'HTTP/1.1 200 OK\r\nContent-Ty', 'destroy'],
    ['a status above 599', 'HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n', 'end'],
    ['a final 1xx status', 'HTTP/1.1 101 Switching\r\nContent-Length: 0\r\n\r\n', 'end'],
    ['garbage', 'not http at all\r\n\r\n', 'end'],
  ] as const)('%s: TypeError fetch failed, no crash', async (_what, raw, after) => {
    const server = await rawServer(raw, after);
    try {
      const err = await failure(() => fetch(server.url));
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toBe('fetch failed');
      expect(err.cause).toBeDefined();
    } finally {
      await server.close();
    }
  });
});

describe('a kept-alive socket the server reset', () => {
  /** A server whose first connection resets on its second request. */
  async function resettingServer() {
    const sockets: Socket[] = [];
    const received: string[] = [];
    const server = createTcpServer((socket) => {
      const connection = sockets.push(socket);
      let requests = 0;
      socket.on('error', () => undefined);
      socket.on('data', (data) => {
        received.push(data.toString('latin1').split(' ')[0]);
        if (connection === 1 && ++requests === 2) return void socket.resetAndDestroy();
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      sockets,
      received,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise((r) => server.close(r));
      },
    };
  }

  it('is retried once on a new connection for an idempotent request', async () => {
    const server = await resettingServer();
    try {
      const own = nodeHttpFetch();
      expect(await (await own(server.url)).text()).toBe('ok');
      expect(await (await own(server.url, { method: 'PUT', body: 'x' })).text()).toBe('ok');
      expect(server.sockets).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('is not retried for a POST: a code or refresh token is never sent twice', async () => {
    const server = await resettingServer();
    try {
      const own = nodeHttpFetch();
      expect(await (await own(server.url)).text()).toBe('ok');
      const err = await own(server.url, { method: 'POST', body: 'code=x' }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TypeError);
      expect((err as TypeError).message).toBe('fetch failed');
      expect(server.received.filter((m) => m === 'POST')).toHaveLength(1);
      expect(server.sockets).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
