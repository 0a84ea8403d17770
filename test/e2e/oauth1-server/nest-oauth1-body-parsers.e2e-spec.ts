/**
 * Form bodies under body parser setups other than Nest's default (which the
 * peer tests run): the signature covers every form parameter as sent, so a
 * signed POST whose names a parser would rename (`photo[title]`, `tags[]`)
 * must verify whatever the app did with its parsers:
 *
 * - Express with `bodyParser: false` and no parser of its own: the module reads
 *   the body itself;
 * - Express with Nest's `rawBody: true`: `req.rawBody`;
 * - Fastify with a parser of the app's (instead of Nest's) that nests
 *   bracketed names, as `qs` does: the module's `preParsing` copy.
 */
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { appClient, loginAt } from '../../fixtures/oauth1-provider-app.js';
import {
  startNestOAuth1Provider,
  type NestProviderApp,
  type NestProviderOptions,
} from '../../fixtures/nest-apps/oauth1-provider.app.js';
import type { Platform } from '../../fixtures/nest-apps/start-app.js';

/** A form parser that nests `a[b]=c` and collects `a[]=c`, as `qs` does. */
function nestingParser(body: string): Record<string, unknown> {
  const out: Record<string, any> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const m = /^([^[]+)\[([^\]]*)\]$/.exec(name);
    if (!m) out[name] = value;
    else if (m[2] === '') (out[m[1]!] ??= []).push(value);
    else (out[m[1]!] ??= {})[m[2]!] = value;
  }
  return out;
}

function fastifyWithNestingParser(): FastifyAdapter {
  const adapter = new FastifyAdapter();
  adapter
    .getInstance()
    .addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, nestingParser(body as string)),
    );
  return adapter;
}

const SETUPS: Array<[string, Platform, () => NestProviderOptions['start']]> = [
  ['Express without any body parser', 'express', () => ({ appOptions: { bodyParser: false } })],
  ['Express with rawBody: true', 'express', () => ({ appOptions: { rawBody: true } })],
  [
    'Fastify with a parser of its own that nests bracketed names',
    'fastify',
    () => ({ fastifyAdapter: fastifyWithNestingParser(), appOptions: { bodyParser: false } }),
  ],
];

describe.each(SETUPS)('%s', (_, platform, start) => {
  let app: NestProviderApp;
  beforeAll(async () => {
    app = await startNestOAuth1Provider(platform, { start: start() });
  });
  afterAll(() => app?.close());
  afterEach(() => expect(app.serverErrors).toEqual([]));

  it('a whole login, then a signed form POST with bracketed names, in the header and in the body', async () => {
    for (const type of ['header', 'body'] as const) {
      const client = appClient(app, { signatureType: type });
      await loginAt(app, client);
      const form = new URLSearchParams([
        ['photo[title]', 'Sunset'],
        ['tags[]', 'sea'],
        ['tags[]', 'sky'],
        ['plain', 'a b+c'],
      ]);
      const post = await client.post(`${app.endpoints.me}?a=1`, { body: form });
      expect(post.status).toBe(200);
      expect(await post.json()).toMatchObject({
        transport: type,
        form: [
          ['photo[title]', ['Sunset']],
          ['tags[]', ['sea', 'sky']],
          ['plain', ['a b+c']],
        ],
      });
    }
  });
});
