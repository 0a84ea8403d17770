/**
 * The `userinfo` client option against oidc-provider configured as certified
 * providers are by default (`conformIdTokenClaims`): when an access token is
 * issued, the profile and email claims are only in UserInfo, not in the ID
 * token. A login asking for `email profile` must still end with them in
 * `token.userinfo`, UserInfo's `sub` checked against the ID token's, ID-token
 * claims winning a merge.
 */
import { OAuth2Client, type OAuth2ClientOptions } from '../../lib/core/oauth2/oauth2-client.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';

const REDIRECT_URI = 'http://127.0.0.1:1/auth/callback';

/** Claims only in UserInfo (the certified default). */
let conform: OidcProviderFixture;
/** Claims in the ID token too. */
let generous: OidcProviderFixture;

beforeAll(async () => {
  [conform, generous] = await Promise.all([
    startOidcProvider({ redirectUris: [REDIRECT_URI], idTokenClaims: false }),
    startOidcProvider({ redirectUris: [REDIRECT_URI], idTokenClaims: true }),
  ]);
});
afterAll(() => Promise.all([conform?.close(), generous?.close()]));
afterEach(() => {
  expect(conform.serverErrors).toEqual([]);
  expect(generous.serverErrors).toEqual([]);
});

/** Logs alice in at `op` with the given scope and options; returns the token and the UserInfo calls made. */
async function login(
  op: OidcProviderFixture,
  scope: string,
  options: Partial<OAuth2ClientOptions> = {},
) {
  const client = new OAuth2Client({
    clientId: op.clients.basic.clientId,
    clientSecret: op.clients.basic.clientSecret,
    redirectUri: REDIRECT_URI,
    scope,
    serverMetadataUrl: op.discoveryUrl,
    timeout: 5000,
    ...options,
  });
  await client.loadServerMetadata();
  const flow = client.createAuthorizationUrl();
  const { callbackUrl } = await new BrowserClient().loginAtProvider(flow.url);
  const mark = op.requests.length;
  const token = await client.fetchToken(undefined, { authorizationResponse: callbackUrl });
  const userinfoCalls = op.requests.slice(mark).filter((r) => r.path === '/me');
  return { token, flow, userinfoCalls };
}

const EMAIL_CLAIMS = { email: TEST_USER.email, email_verified: true };
const PROFILE_CLAIMS = {
  name: TEST_USER.name,
  preferred_username: TEST_USER.preferred_username,
  picture: TEST_USER.picture,
};

describe("userinfo: 'auto' (the default)", () => {
  it('fetches UserInfo when the ID token lacks the email and profile claims asked for', async () => {
    const { token, flow, userinfoCalls } = await login(conform, 'openid email profile');
    expect(userinfoCalls).toHaveLength(1);
    expect(userinfoCalls[0].headers.authorization).toBe(`Bearer ${token.access_token}`);
    expect(token.userinfo).toMatchObject({
      ...EMAIL_CLAIMS,
      ...PROFILE_CLAIMS,
      sub: TEST_USER.sub,
      // ID-token claims are kept (and win)
      nonce: flow.nonce,
      aud: conform.clients.basic.clientId,
      iss: conform.issuer,
    });
  });

  it('the ID token alone, as a certified provider sends it, has no email (what the option fixes)', async () => {
    const { token, userinfoCalls } = await login(conform, 'openid email profile', {
      userinfo: 'never',
    });
    expect(userinfoCalls).toHaveLength(0);
    expect(token.userinfo).toMatchObject({ sub: TEST_USER.sub });
    expect(token.userinfo).not.toHaveProperty('email');
    expect(token.userinfo).not.toHaveProperty('name');
  });

  it('does not call UserInfo when the scope asks for no claims beyond sub', async () => {
    const { token, userinfoCalls } = await login(conform, 'openid');
    expect(userinfoCalls).toHaveLength(0);
    expect(token.userinfo).toMatchObject({ sub: TEST_USER.sub });
  });

  it('does not call UserInfo when the ID token already has the claims', async () => {
    const { token, userinfoCalls } = await login(generous, 'openid email profile');
    expect(userinfoCalls).toHaveLength(0);
    expect(token.userinfo).toMatchObject({ ...EMAIL_CLAIMS, ...PROFILE_CLAIMS });
  });
});

describe("userinfo: 'always'", () => {
  it('calls UserInfo even for a bare openid scope', async () => {
    const { token, userinfoCalls } = await login(generous, 'openid', { userinfo: 'always' });
    expect(userinfoCalls).toHaveLength(1);
    expect(token.userinfo).toMatchObject({ sub: TEST_USER.sub });
  });
});
