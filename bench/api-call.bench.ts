/**
 * Benchmark 1: an authorized API call. GETs to a tiny local resource server
 * with a valid token, 5,000 sequential and 5,000 at concurrency 50, through
 * `OAuth2Client.get` against raw `fetch` with a hand-set header (the floor),
 * openid-client's `fetchProtectedResource` and oauth4webapi's
 * `protectedResourceRequest`. Every call reads the body and must get a 200.
 *
 * Targets (issue 18): within 5% of the same fetch with the same timeout (an
 * `AbortController` and a 30 s timer, cleared once the body is read), and with
 * `timeout: 0` within 5% of bare fetch; sequential and at concurrency 50.
 */
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { OAuth2Client } from '../lib/core/oauth2/oauth2-client.js';
import {
  check,
  compare,
  interleavedBlocks,
  interleavedLatencies,
  median,
  runConcurrently,
  type BenchOptions,
  type BenchResult,
  type Comparison,
  type Contender,
} from './harness.js';
import { startResourceServer } from './resource-server.js';

const WITHIN_5_PERCENT = { target: '≤ 1.05× raw fetch', met: (r: number) => r <= 1.05 };
const WITHIN_5_PERCENT_OF_SIGNAL = {
  target: '≤ 1.05× fetch + signal',
  met: (r: number) => r <= 1.05,
};

/**
 * Runs benchmark 1.
 * @param options - `quick` for a smoke run
 * @returns medians in µs per request for each client, sequential and at concurrency 50
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-2.1
 */
export async function benchApiCall(options: BenchOptions = {}): Promise<BenchResult> {
  const quick = options.quick ?? false;
  const total = quick ? 40 : 5_000;
  const warmup = quick ? 10 : 500;
  const concurrency = quick ? 10 : 50;
  const server = await startResourceServer();
  try {
    const url = server.resourceUrl;
    const target = new URL(url);
    const accessToken = server.accessToken;

    const token = { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 };
    const ours = new OAuth2Client({ clientId: 'bench', token });
    const oursNoTimeout = new OAuth2Client({ clientId: 'bench', token, timeout: 0 });
    const config = new openid.Configuration({ issuer: server.url }, 'bench', 'secret');
    openid.allowInsecureRequests(config);

    const ok = async (res: Response): Promise<void> => {
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`resource server answered ${res.status}`);
    };
    const contenders: Contender[] = [
      {
        name: 'raw fetch',
        run: async () =>
          ok(await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } })),
      },
      {
        // The floor for a client that can cancel a request at its timeout: fetch with a signal.
        name: 'raw fetch + timeout signal',
        run: async () => {
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), 30_000);
          try {
            await ok(
              await fetch(url, {
                headers: { authorization: `Bearer ${accessToken}` },
                signal: controller.signal,
              }),
            );
          } finally {
            clearTimeout(timer);
          }
        },
      },
      { name: 'nestjs-oauth', run: async () => ok(await ours.get(url)) },
      { name: 'nestjs-oauth (timeout: 0)', run: async () => ok(await oursNoTimeout.get(url)) },
      {
        name: 'openid-client',
        run: async () =>
          ok(await openid.fetchProtectedResource(config, accessToken, target, 'GET')),
      },
      {
        name: 'oauth4webapi',
        run: async () =>
          ok(
            await oauth.protectedResourceRequest(accessToken, 'GET', target, undefined, undefined, {
              [oauth.allowInsecureRequests]: true,
            }),
          ),
      },
    ];

    // Warm up every client (JIT, connection pool at full concurrency).
    for (const c of contenders) await runConcurrently(warmup, concurrency, c.run);
    server.stats.resource = 0;

    const sequential = await interleavedLatencies(contenders, total, quick ? 10 : 250);
    const concurrent = await interleavedBlocks(contenders, total, quick ? 20 : 250, concurrency);

    const served = server.stats.resource;
    check(served === total * contenders.length * 2, `served ${served} authorized GETs`);
    check(server.stats.unauthorized === 0, 'no request may be refused');

    const us = (ms: number[]): number => median(ms) * 1000;
    const rows: Comparison[] = [];
    for (const [mode, samples] of [
      ['sequential', sequential],
      [`concurrency ${concurrency}`, concurrent],
    ] as const) {
      const pairs: [ours: string, peer: string, target?: typeof WITHIN_5_PERCENT][] = [
        // Issue 18: against the same fetch with the same (30 s) timeout; bare fetch is shown too.
        ['nestjs-oauth', 'raw fetch'],
        ['nestjs-oauth', 'raw fetch + timeout signal', WITHIN_5_PERCENT_OF_SIGNAL],
        ['nestjs-oauth (timeout: 0)', 'raw fetch', WITHIN_5_PERCENT],
        ['nestjs-oauth', 'openid-client'],
        ['nestjs-oauth', 'oauth4webapi'],
      ];
      for (const [name, peer, target] of pairs) {
        const mine = samples.get(name)!;
        const theirs = samples.get(peer)!;
        rows.push(
          compare(
            `GET, ${mode}${name === 'nestjs-oauth' ? '' : ', timeout: 0'}`,
            'µs/req',
            'lower',
            us(mine),
            peer,
            us(theirs),
            target,
            { ours: mine.length, peer: theirs.length },
          ),
        );
      }
    }
    return {
      id: 'api-call',
      title: '1. Authorized API call (GET with a valid token)',
      rows,
      facts: { requestsPerClientPerMode: total, concurrency, authorizedGets: served },
      notes: [
        'sequential: median latency of single requests; concurrent: median over blocks of the block time per request',
        'clients run interleaved in blocks; all share the platform fetch (undici) connection pool',
        'our default 30 s timeout gives fetch an AbortSignal so a hung request is really cancelled; a signal alone costs fetch several percent on loopback, hence the "fetch + timeout signal" floor and the timeout: 0 rows',
      ],
      quick,
    };
  } finally {
    await server.close();
  }
}
