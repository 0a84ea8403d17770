/**
 * OpenID Connect response types beyond the code flow, against oidc-provider:
 * the hybrid flow (`code id_token`: the front-channel ID token is validated,
 * `c_hash` included, before the code is spent) and the implicit `id_token`
 * flow (the token read from the fragment), plus tampering with each.
 */
import { InvalidTokenError, MismatchingStateError } from '../../lib/core/errors.js';
import { OAuth2Client } from '../../lib/core/oauth2/oauth2-client.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';

const REDIRECT_URI = 'http://127.0.0.1:1/cb';
const SECRET = 'hybrid-client-secret-0123456789abcdef0123456789';

let op: OidcProviderFixture;

beforeAll(async () => {
  op = await startOidcProvider({ redirectUris: [REDIRECT_URI] });
  await op.addClient({
    client_id: 'hybrid',
    client_secret: SECRET,
    application_type: 'native', // loopback http redirect URIs are allowed for native clients
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'implicit'],
    response_types: ['code id_token', 'code'],
    scope: 'openid email profile',
  });
  await op.addClient({
    client_id: 'implicit',
    token_endpoint_auth_method: 'none',
    application_type: 'native',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['implicit'],
    response_types: ['id_token'],
    scope: 'openid email profile',
  });
});
afterAll(() => op?.close());

const client = (clientId: string, clientSecret?: string) =>
  new OAuth2Client({
    clientId,
    clientSecret,
    redirectUri: REDIRECT_URI,
    scope: 'openid email profile',
    serverMetadataUrl: op.discoveryUrl,
  });

async function authorize(c: OAuth2Client, responseType: string) {
  await c.loadServerMetadata();
  const flow = c.createAuthorizationUrl(undefined, { responseType });
  const { callbackUrl } = await new BrowserClient().loginAtProvider(flow.url);
  return { flow, callback: new URL(callbackUrl) };
}

describe('hybrid flow (code id_token)', () => {
  it('validates the front-channel ID token, then exchanges the code', async () => {
    const c = client('hybrid', SECRET);
    const { flow, callback } = await authorize(c, 'code id_token');
    const fragment = new URLSearchParams(callback.hash.slice(1));
    expect(fragment.get('code')).toBeTruthy();
    expect(fragment.get('id_token')).toBeTruthy();
    const token = await c.fetchToken(undefined, {
      authorizationResponse: callback.toString(),
      state: flow.state,
      nonce: flow.nonce,
      codeVerifier: flow.codeVerifier,
    });
    expect(token.access_token).toBeTruthy();
    expect(token.userinfo).toMatchObject({ sub: TEST_USER.sub, nonce: flow.nonce, aud: 'hybrid' });
  });

  it('refuses a code swapped under the ID token (c_hash) before calling the token endpoint', async () => {
    const c = client('hybrid', SECRET);
    const first = await authorize(c, 'code id_token');
    const second = await authorize(c, 'code id_token');
    const swapped = new URLSearchParams(first.callback.hash.slice(1));
    swapped.set('code', new URLSearchParams(second.callback.hash.slice(1)).get('code')!);
    const before = op.requests.filter((r) => r.path.endsWith('/token')).length;
    const err = await c
      .fetchToken(undefined, {
        authorizationResponse: `${REDIRECT_URI}#${swapped}`,
        state: first.flow.state,
        nonce: first.flow.nonce,
        codeVerifier: first.flow.codeVerifier,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTokenError);
    expect((err as InvalidTokenError).claim).toBe('c_hash');
    expect(op.requests.filter((r) => r.path.endsWith('/token')).length).toBe(before);
  });

  it('refuses an ID token from another login (nonce)', async () => {
    const c = client('hybrid', SECRET);
    const { flow, callback } = await authorize(c, 'code id_token');
    const err = await c
      .fetchToken(undefined, {
        authorizationResponse: callback.toString(),
        state: flow.state,
        nonce: 'another-login-nonce',
        codeVerifier: flow.codeVerifier,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ claim: 'nonce' });
  });
});

describe('fail closed: a front-channel ID token with no expected nonce', () => {
  /** A client that kept nothing of the request (a stateless server, a lost session). */
  const fresh = (clientId: string, secret?: string) =>
    new OAuth2Client({
      clientId,
      clientSecret: secret,
      redirectUri: REDIRECT_URI,
      serverMetadataUrl: op.discoveryUrl,
      stateless: true,
    });

  it('hybrid: refused before the code is spent', async () => {
    const { flow, callback } = await authorize(client('hybrid', SECRET), 'code id_token');
    const before = op.requests.filter((r) => r.path.endsWith('/token')).length;
    const err = await fresh('hybrid', SECRET)
      .fetchToken(undefined, {
        authorizationResponse: callback.toString(),
        state: flow.state,
        codeVerifier: flow.codeVerifier,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'nonce' });
    expect(op.requests.filter((r) => r.path.endsWith('/token')).length).toBe(before);
  });

  it('implicit: refused', async () => {
    const { flow, callback } = await authorize(client('implicit'), 'id_token');
    const err = await fresh('implicit')
      .fetchToken(undefined, { authorizationResponse: callback.toString(), state: flow.state })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'InvalidTokenError', claim: 'nonce' });
  });
});

describe('implicit flow (id_token)', () => {
  it('reads and validates the ID token from the fragment, without a token endpoint call', async () => {
    const c = client('implicit');
    const { flow, callback } = await authorize(c, 'id_token');
    expect(new URL(flow.url).searchParams.has('code_challenge')).toBe(false);
    const before = op.requests.filter((r) => r.path.endsWith('/token')).length;
    const token = await c.fetchToken(undefined, {
      authorizationResponse: callback.toString(),
      state: flow.state,
      nonce: flow.nonce,
    });
    expect(token.id_token).toBeTruthy();
    expect(token).not.toHaveProperty('state');
    expect(token.userinfo).toMatchObject({ sub: TEST_USER.sub, aud: 'implicit' });
    expect(op.requests.filter((r) => r.path.endsWith('/token')).length).toBe(before);
  });

  it('refuses a replayed response (state) and a forged signature', async () => {
    const c = client('implicit');
    const { flow, callback } = await authorize(c, 'id_token');
    await expect(
      c.fetchToken(undefined, {
        authorizationResponse: callback.toString(),
        state: 'other',
        nonce: flow.nonce,
      }),
    ).rejects.toBeInstanceOf(MismatchingStateError);
    const params = new URLSearchParams(callback.hash.slice(1));
    const [h, p, s] = params.get('id_token')!.split('.');
    params.set('id_token', `${h}.${p}.${s.slice(0, -4)}AAAA`);
    const err = await c
      .fetchToken(undefined, {
        authorizationResponse: `${REDIRECT_URI}#${params}`,
        state: flow.state,
        nonce: flow.nonce,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ claim: 'signature' });
  });
});
