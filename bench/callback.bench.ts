/**
 * Benchmark 2: callback cost. The authorization-code exchange plus ID-token
 * validation (signature, iss, aud, exp, iat, nonce, at_hash when present) against one
 * local oidc-provider, `OAuth2Client.fetchToken` vs openid-client's
 * `authorizationCodeGrant`, per login.
 *
 * How: the scripted browser logs in once, then collects many authorization
 * codes (each side builds its own authorization URLs, with its own state,
 * PKCE verifier and nonce); only the exchange + validation of each code is
 * timed, one per side in turn.
 *
 * Target (issue 18): ≤ 0.9× openid-client with its signature check on.
 */
import { performance } from 'node:perf_hooks';
import * as openid from 'openid-client';
import { OAuth2Client, type OAuth2ClientOptions } from '../lib/core/oauth2/oauth2-client.js';
import { BrowserClient } from '../test/fixtures/browser-client.js';
import { startOidcProvider, type OidcProviderFixture } from '../test/fixtures/oidc-provider.js';
import { check, compare, median, type BenchOptions, type BenchResult } from './harness.js';
import { NODE_HTTP, nodeHttpFetch } from './transport.js';

const SCOPE = 'openid email profile';

const PEER_VERIFIED = 'openid-client (signature checked)';
const PEER_DEFAULT = 'openid-client (default)';
const OURS = 'nestjs-oauth';
const OURS_NODE_HTTP = `nestjs-oauth, ${NODE_HTTP}`;
const PEER_NODE_HTTP = `openid-client (signature checked), customFetch: nodeHttpFetch()`;

export interface Pending {
  callbackUrl: string;
  state: string;
  codeVerifier: string;
  nonce: string;
}

export interface Side {
  name: string;
  /** Builds an authorization URL and drives the browser to the callback. */
  code: () => Promise<Pending>;
  /** Exchanges the code and validates the ID token; returns its subject. */
  exchange: (pending: Pending) => Promise<string>;
}

/**
 * Runs benchmark 2.
 * @param options - `quick` for a smoke run
 * @returns the median exchange + validation time per login, ours vs openid-client
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowTokenValidation
 */
export async function benchCallback(options: BenchOptions = {}): Promise<BenchResult> {
  const quick = options.quick ?? false;
  const logins = quick ? 6 : 400;
  const batch = quick ? 6 : 50;
  const warmup = quick ? 2 : 30;
  const op = await startOidcProvider({ ttl: { AuthorizationCode: 600 } });
  try {
    const sides = await callbackSides(op);

    const times = new Map(sides.map((side) => [side.name, [] as number[]]));
    let done = -warmup;
    while (done < logins) {
      const n = Math.min(batch, logins - done);
      // Codes first (the browser's session makes every login after the first one redirect at once) ...
      const codes = new Map<string, Pending[]>(sides.map((side) => [side.name, []]));
      for (let i = 0; i < n; i++) {
        for (const side of sides) codes.get(side.name)!.push(await side.code());
      }
      // ... then the timed exchanges, one per side in turn, the order rotating every login.
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < sides.length; k++) {
          const side = sides[(i + k) % sides.length];
          const t0 = performance.now();
          const sub = await side.exchange(codes.get(side.name)![i]);
          const ms = performance.now() - t0;
          check(sub === 'alice', `${side.name}: the ID token's subject is ${sub}`);
          if (done + i >= 0) times.get(side.name)!.push(ms);
        }
      }
      done += n;
    }
    check(op.serverErrors.length === 0, 'the provider reported server errors');
    const oursMs = times.get(OURS)!;
    const row = (
      peer: string,
      goal?: Parameters<typeof compare>[6],
      ours = OURS,
      metric = 'exchange + validation',
    ) =>
      compare(
        metric,
        'ms/login',
        'lower',
        median(times.get(ours)!),
        peer,
        median(times.get(peer)!),
        goal,
        {
          ours: times.get(ours)!.length,
          peer: times.get(peer)!.length,
        },
      );
    const target = { target: '≤ 0.90× openid-client', met: (r: number) => r <= 0.9 };

    return {
      id: 'callback',
      title: '2. Callback cost (code exchange + ID-token validation, per login)',
      rows: [
        row(PEER_VERIFIED, target),
        row(PEER_DEFAULT),
        // The opt-in transport: ours on it against openid-client on the platform fetch, and
        // both on it (the same transport on both sides).
        row(PEER_VERIFIED, target, OURS_NODE_HTTP, `exchange + validation, ours with ${NODE_HTTP}`),
        row(
          PEER_NODE_HTTP,
          target,
          OURS_NODE_HTTP,
          'exchange + validation, both on nodeHttpFetch()',
        ),
      ],
      facts: { loginsPerSide: oursMs.length },
      notes: [
        'codes are collected by the scripted browser first; only the exchange + ID-token validation is timed',
        'every side: client_secret_basic, PKCE S256, nonce, RS256 ID token; the provider runs in the same process',
        `${NODE_HTTP}: the opt-in fetch on node:http (docs/oauth2-client.md); openid-client takes it through its customFetch`,
        `"${PEER_DEFAULT}" skips the ID-token signature check (openid-client's default for token endpoint responses); we always verify it, so the target applies to "${PEER_VERIFIED}"`,
      ],
      quick,
    };
  } finally {
    await op.close();
  }
}

/**
 * The sides of benchmark 2 against `op`: ours, openid-client with its
 * signature check, openid-client by default (also run alone by
 * bench/tools/profile-callback.ts).
 * @param op - the provider
 * @returns the sides, ours first
 */
export async function callbackSides(op: OidcProviderFixture): Promise<Side[]> {
  const fixture = op.clients.basic;
  const oursClient = async (fetch?: OAuth2ClientOptions['fetch']): Promise<OAuth2Client> => {
    const client = new OAuth2Client({
      clientId: fixture.clientId,
      clientSecret: fixture.clientSecret,
      redirectUri: fixture.redirectUri,
      scope: SCOPE,
      serverMetadataUrl: op.discoveryUrl,
      fetch,
    });
    await client.loadServerMetadata();
    return client;
  };
  // openid-client with the same client authentication (client_secret_basic). By default it
  // does not verify the signature of an ID token that comes from the token endpoint (TLS
  // vouches for the issuer, OIDC Core §3.1.3.7 step 6); we always verify it. `verify`
  // turns that check on (enableNonRepudiationChecks) so both sides do the same work.
  const peerConfig = async (
    verify: boolean,
    fetch?: OAuth2ClientOptions['fetch'],
  ): Promise<openid.Configuration> => {
    const config = await openid.discovery(
      new URL(op.issuer),
      fixture.clientId,
      undefined,
      openid.ClientSecretBasic(fixture.clientSecret),
      {
        execute: verify
          ? [openid.allowInsecureRequests, openid.enableNonRepudiationChecks]
          : [openid.allowInsecureRequests],
      },
    );
    // Its options are a RequestInit (body: string, URLSearchParams or bytes).
    if (fetch) config[openid.customFetch] = (url, init) => fetch(url, init as RequestInit);
    return config;
  };
  const browser = new BrowserClient();

  const sides: Side[] = [
    oursSide(OURS, await oursClient()),
    peerSide(PEER_VERIFIED, await peerConfig(true)),
    peerSide(PEER_DEFAULT, await peerConfig(false)),
    oursSide(OURS_NODE_HTTP, await oursClient(nodeHttpFetch())),
    peerSide(PEER_NODE_HTTP, await peerConfig(true, nodeHttpFetch())),
  ];
  function oursSide(name: string, ours: OAuth2Client): Side {
    return {
      name,
      code: async () => {
        const auth = ours.createAuthorizationUrl();
        return {
          callbackUrl: await codeFor(browser, op, auth.url),
          state: auth.state,
          codeVerifier: auth.codeVerifier!,
          nonce: auth.nonce!,
        };
      },
      exchange: async (p) => {
        const token = await ours.fetchToken(undefined, {
          authorizationResponse: p.callbackUrl,
          state: p.state,
          codeVerifier: p.codeVerifier,
          nonce: p.nonce,
        });
        check(typeof token.access_token === 'string', 'our exchange returned no access token');
        return String(token.userinfo?.sub);
      },
    };
  }
  function peerSide(name: string, config: openid.Configuration): Side {
    return {
      name,
      code: async () => {
        const codeVerifier = openid.randomPKCECodeVerifier();
        const state = openid.randomState();
        const nonce = openid.randomNonce();
        const url = openid.buildAuthorizationUrl(config, {
          redirect_uri: fixture.redirectUri,
          scope: SCOPE,
          state,
          nonce,
          code_challenge: await openid.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: 'S256',
        });
        return { callbackUrl: await codeFor(browser, op, url.href), state, codeVerifier, nonce };
      },
      exchange: async (p) => {
        const tokens = await openid.authorizationCodeGrant(config, new URL(p.callbackUrl), {
          pkceCodeVerifier: p.codeVerifier,
          expectedState: p.state,
          expectedNonce: p.nonce,
          idTokenExpected: true,
        });
        return String(tokens.claims()?.sub);
      },
    };
  }
  return sides;
}

/** Drives the provider from the authorization URL to the callback URL (logs in on first use). */
async function codeFor(
  browser: BrowserClient,
  op: OidcProviderFixture,
  authorizationUrl: string,
): Promise<string> {
  const { callbackUrl } = await browser.loginAtProvider(authorizationUrl, {
    providerOrigin: op.issuer,
  });
  check(new URL(callbackUrl).searchParams.has('code'), 'the provider returned no code');
  return callbackUrl;
}
