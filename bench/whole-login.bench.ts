/**
 * Benchmark 7: a whole login through the guards against openid-client's bare
 * protocol steps, both against the test suite's oidc-provider
 * (`test/fixtures/oidc-provider.ts`, the provider of benchmark 2).
 *
 * - ours: the scripted browser opens the Nest app's login route (Express),
 *   follows the 302 to the provider, which redirects at once (the browser
 *   holds a provider session and the grant) to the app's callback route,
 *   whose guard checks the state, exchanges the code and validates the ID
 *   token; the route answers the user's `sub`.
 * - openid-client: builds the authorization URL (state, PKCE, nonce), the
 *   same browser follows it to the provider and stops at the redirect, then
 *   `authorizationCodeGrant` exchanges the code and checks the ID token,
 *   its signature included (`enableNonRepudiationChecks`: the same work as
 *   ours). No web framework, no state storage: the floor of a login.
 *
 * Both ask for `openid` only, so neither side calls UserInfo. Logins run one
 * at a time, the two sides interleaved in blocks; the target is on the
 * median time per login.
 *
 * Target (issue 18): ours ≤ 1.8× openid-client.
 */
import { performance } from 'node:perf_hooks';
import * as openid from 'openid-client';
import { BrowserClient } from '../test/fixtures/browser-client.js';
import { startOidcProvider, TEST_USER } from '../test/fixtures/oidc-provider.js';
import {
  check,
  compare,
  median,
  percentile,
  type BenchOptions,
  type BenchResult,
  type Contender,
} from './harness.js';
import { CALLBACK_PATH, oursAppModule, startNestApp } from './nest-apps.js';

const PEER = 'openid-client (authorize + exchange + ID token, signature checked)';

/**
 * Runs benchmark 7.
 * @param options - `quick` for a smoke run
 * @returns the median time and CPU per login, ours vs openid-client
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export async function benchWholeLogin(options: BenchOptions = {}): Promise<BenchResult> {
  const quick = options.quick ?? false;
  const perSide = quick ? 8 : 600;
  const block = quick ? 4 : 25;
  const warmup = quick ? 3 : 60;
  const op = await startOidcProvider({ ttl: { AuthorizationCode: 600 } });
  const clientId = 'bench-whole-login';
  const clientSecret = `secret-${'x'.repeat(40)}`;
  const app = await startNestApp(
    oursAppModule(
      {
        clientId,
        clientSecret,
        discoveryUrl: op.discoveryUrl,
        authorizeUrl: '',
        tokenUrl: '',
        userinfoUrl: '',
      },
      'oidc',
      { clientKwargs: { scope: 'openid' } },
    ),
    'express',
  );
  try {
    await op.addClient({
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [`${app.url}${CALLBACK_PATH}`],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    });
    const peerClient = op.clients.basic;
    const config = await openid.discovery(
      new URL(op.issuer),
      peerClient.clientId,
      undefined,
      openid.ClientSecretBasic(peerClient.clientSecret),
      { execute: [openid.allowInsecureRequests, openid.enableNonRepudiationChecks] },
    );

    // One browser per side: it logs in at the provider and consents once, then every
    // authorization request of that client redirects at once.
    const oursBrowser = new BrowserClient();
    const peerBrowser = new BrowserClient();
    const first = await oursBrowser.request(`${app.url}/auth/login`);
    check(first.status === 302, `the login route answered ${first.status}`);
    const firstLogin = await oursBrowser.loginAtProvider(first.location!, {
      providerOrigin: op.issuer,
      requestCallback: true,
    });
    check(firstLogin.callback?.last.status === 200, 'the first login did not complete');

    const ours = async (): Promise<void> => {
      const nav = await oursBrowser.navigate(`${app.url}/auth/login`);
      check(nav.last.status === 200, `ours: the login ended with HTTP ${nav.last.status}`);
      check(nav.hops.length === 3, `ours: the login took ${nav.hops.length} requests instead of 3`);
      const body = JSON.parse(nav.last.body) as { sub?: unknown };
      check(body.sub === TEST_USER.sub, 'ours: the callback did not answer with the user');
    };
    const peer = async (): Promise<void> => {
      const codeVerifier = openid.randomPKCECodeVerifier();
      const state = openid.randomState();
      const nonce = openid.randomNonce();
      const url = openid.buildAuthorizationUrl(config, {
        redirect_uri: peerClient.redirectUri,
        scope: 'openid',
        state,
        nonce,
        code_challenge: await openid.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      const { callbackUrl } = await peerBrowser.loginAtProvider(url.href, {
        providerOrigin: op.issuer,
      });
      const tokens = await openid.authorizationCodeGrant(config, new URL(callbackUrl), {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      check(tokens.claims()?.sub === TEST_USER.sub, 'openid-client: wrong subject');
    };
    const contenders: Contender[] = [
      { name: 'ours', run: ours },
      { name: PEER, run: peer },
    ];
    for (let i = 0; i < warmup; i++) for (const c of contenders) await c.run();

    const times = new Map(contenders.map((c) => [c.name, [] as number[]]));
    const cpu = new Map(contenders.map((c) => [c.name, [] as number[]]));
    let round = 0;
    for (let done = 0; done < perSide; done += block, round++) {
      const n = Math.min(block, perSide - done);
      for (let k = 0; k < contenders.length; k++) {
        const c = contenders[(k + round) % contenders.length];
        const cpu0 = process.cpuUsage();
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          await c.run();
          times.get(c.name)!.push(performance.now() - t0);
        }
        const used = process.cpuUsage(cpu0);
        cpu.get(c.name)!.push((used.user + used.system) / 1000 / n);
      }
    }
    check(op.serverErrors.length === 0, 'the provider reported server errors');
    const spread = (v: number[]) =>
      `p25 ${percentile(v, 25).toFixed(2)}, p75 ${percentile(v, 75).toFixed(2)}`;
    const oursT = times.get('ours')!;
    const peerT = times.get(PEER)!;
    return {
      id: 'whole-login',
      title: '9. Whole login through the guards vs openid-client (oidc-provider, sequential)',
      rows: [
        compare(
          'whole login (login route, provider, callback route)',
          'ms/login',
          'lower',
          median(oursT),
          PEER,
          median(peerT),
          { target: '≤ 1.8× openid-client', met: (r) => r <= 1.8 },
          { ours: oursT.length, peer: peerT.length },
        ),
        compare(
          'CPU per login (whole process: browser, provider, app)',
          'ms/login',
          'lower',
          median(cpu.get('ours')!),
          PEER,
          median(cpu.get(PEER)!),
          undefined,
          { ours: cpu.get('ours')!.length, peer: cpu.get(PEER)!.length },
        ),
      ],
      facts: {
        loginsPerSide: oursT.length,
        'ours ms/login spread': spread(oursT),
        'openid-client ms/login spread': spread(peerT),
      },
      notes: [
        'the provider (oidc-provider) runs in the same process; the browser holds its session, so the authorization endpoint redirects at once',
        'ours: 3 browser requests (login route, provider, callback route) through Nest on Express; openid-client: 1 browser request (provider) and no web framework',
        'scope openid on both sides: no UserInfo call',
      ],
      quick,
    };
  } finally {
    await app.close();
    await op.close();
  }
}
