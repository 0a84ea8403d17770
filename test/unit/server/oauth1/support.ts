/**
 * In-process helpers for the provider's unit tests: a provider on an
 * in-memory storage with a settable clock, requests signed by this library's
 * OAuth1Client (`sign()`, no network), and the three-legged flow run through
 * the provider's methods.
 */
import { OAuth1Client } from '../../../../lib/core/oauth1/oauth1-client.js';
import type { OAuth1ClientOptions } from '../../../../lib/core/oauth1/oauth1-types.js';
import type { OAuth1SignedRequest } from '../../../../lib/core/oauth1/oauth1-types.js';
import type { ServerRequest } from '../../../../lib/server/http/server-request.js';
import {
  InMemoryOAuth1ServerStorage,
  OAuth1Provider,
  OAuth1ProviderError,
  type OAuth1ProviderOptions,
  type OAuth1ServerClient,
} from '../../../../lib/server/oauth1/index.js';
import { testRsaKeys } from '../../../fixtures/oauth1-provider-app.js';

export const ORIGIN = 'https://provider.example';
export const URLS = {
  requestToken: `${ORIGIN}/oauth/request_token`,
  authorize: `${ORIGIN}/oauth/authorize`,
  accessToken: `${ORIGIN}/oauth/access_token`,
  resource: `${ORIGIN}/api/me`,
};
export const CALLBACK = 'https://client.example/cb';
export const START = 1_700_000_000;

export interface User {
  id: string;
}

export const ALICE: User = { id: 'alice' };

/** Client A: HMAC and RSA; client B: HMAC; client R: RSA only (no secret). */
export const CLIENTS = {
  a: { clientKey: 'client-a-key', clientSecret: 'client-a-secret+/&é' },
  b: { clientKey: 'client-b-key', clientSecret: 'client-b-secret' },
  r: { clientKey: 'client-r-key' },
};

export interface TestProvider {
  provider: OAuth1Provider<User>;
  storage: InMemoryOAuth1ServerStorage<User>;
  clock: { now: number };
}

export function makeProvider(
  options: Partial<Omit<OAuth1ProviderOptions<User>, 'storage'>> & {
    storage?: InMemoryOAuth1ServerStorage<User>;
  } = {},
): TestProvider {
  const clock = { now: START };
  const { publicKey } = testRsaKeys();
  const clients: OAuth1ServerClient[] = [
    {
      ...CLIENTS.a,
      rsaKey: publicKey,
      redirectUris: [CALLBACK],
      defaultRealms: ['photos'],
      realms: ['photos', 'profile'],
    },
    { ...CLIENTS.b, redirectUris: [CALLBACK] },
    { ...CLIENTS.r, rsaKey: publicKey, redirectUris: [CALLBACK] },
  ];
  const storage =
    options.storage ?? new InMemoryOAuth1ServerStorage<User>({ clients, now: () => clock.now });
  const provider = new OAuth1Provider<User>({
    now: () => clock.now,
    ...options,
    storage,
  });
  return { provider, storage, clock };
}

/** A client of this library signing as client A (unless told otherwise). */
export function client(options: Partial<OAuth1ClientOptions> = {}): OAuth1Client {
  return new OAuth1Client({
    clientId: CLIENTS.a.clientKey,
    clientSecret: CLIENTS.a.clientSecret,
    rsaKey: testRsaKeys().privateKey,
    redirectUri: CALLBACK,
    ...options,
  });
}

/** What a server adapter would build from a signed request. */
export function toServerRequest(signed: OAuth1SignedRequest): ServerRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  const contentType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return {
    method: signed.method,
    url: signed.url,
    headers,
    ...(typeof signed.body === 'string' ? { body: signed.body } : {}),
    ...(contentType ? { contentType } : {}),
  };
}

/** Reads a form-encoded response body. */
export function formBody(body: string | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body ?? ''));
}

/** Signs the request-token call and runs it. */
export async function fetchRequestToken(
  t: TestProvider,
  c: OAuth1Client = client(),
  callback = CALLBACK,
): Promise<{ oauth_token: string; oauth_token_secret: string }> {
  const signed = c.sign('POST', URLS.requestToken, {
    token: null,
    oauthParams: { oauth_callback: callback },
    timestamp: t.clock.now,
  });
  const response = await t.provider.requestToken(toServerRequest(signed));
  const body = formBody(response.body);
  return { oauth_token: body.oauth_token!, oauth_token_secret: body.oauth_token_secret! };
}

/** Approves a request token for ALICE; returns the verifier. */
export async function approve(
  t: TestProvider,
  oauthToken: string,
  realms?: string[],
): Promise<string> {
  const result = await t.provider.authorize(
    { method: 'POST', url: `${URLS.authorize}?oauth_token=${oauthToken}`, headers: {} },
    { user: ALICE, ...(realms ? { realms } : {}) },
  );
  return result.verifier!;
}

/** The access-token request, signed. */
export function accessTokenRequest(
  t: TestProvider,
  requestToken: { oauth_token: string; oauth_token_secret: string },
  verifier: string,
  c: OAuth1Client = client(),
): ServerRequest {
  return toServerRequest(
    c.sign('POST', URLS.accessToken, {
      token: requestToken,
      oauthParams: { oauth_verifier: verifier },
      timestamp: t.clock.now,
    }),
  );
}

/** Runs the whole flow for client A and ALICE; returns the token credentials. */
export async function issueAccessToken(
  t: TestProvider,
  c: OAuth1Client = client(),
  realms?: string[],
): Promise<{ oauth_token: string; oauth_token_secret: string }> {
  const requestToken = await fetchRequestToken(t, c);
  const verifier = await approve(t, requestToken.oauth_token, realms);
  const response = await t.provider.accessToken(accessTokenRequest(t, requestToken, verifier, c));
  const body = formBody(response.body);
  return { oauth_token: body.oauth_token!, oauth_token_secret: body.oauth_token_secret! };
}

/** A signed protected-resource request. */
export function resourceRequest(
  t: TestProvider,
  token: { oauth_token: string; oauth_token_secret: string },
  c: OAuth1Client = client(),
  url = URLS.resource,
): ServerRequest {
  return toServerRequest(c.sign('GET', url, { token, timestamp: t.clock.now }));
}

/**
 * Makes one of the storage's lookups return its records changed: what a
 * storage that keeps expired records, or matches too much, would return.
 */
export function alterRecords(
  storage: InMemoryOAuth1ServerStorage<User>,
  method: 'getRequestToken' | 'getAccessToken' | 'getVerifier',
  change: Record<string, unknown>,
): void {
  const lookup = (storage[method] as (...keys: string[]) => object | undefined).bind(storage);
  (storage as unknown as Record<string, unknown>)[method] = (...keys: string[]) => {
    const found = lookup(...keys);
    return found && { ...found, ...change };
  };
}

/** The refusal a promise rejects with (fails the test when it resolves or throws something else). */
export async function refusal(promise: Promise<unknown>): Promise<OAuth1ProviderError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error('expected a refusal, got a success');
  if (!(outcome.error instanceof OAuth1ProviderError)) throw outcome.error;
  return outcome.error;
}

/** Asserts the status and problem of a refusal, and that its response says the same. */
export async function expectRefused(
  promise: Promise<unknown>,
  status: number,
  problem: string,
): Promise<OAuth1ProviderError> {
  const error = await refusal(promise);
  expect({ status: error.status, problem: error.problem }).toEqual({ status, problem });
  expect(error.response.status).toBe(status);
  expect(formBody(error.response.body).oauth_problem).toBe(problem);
  return error;
}
