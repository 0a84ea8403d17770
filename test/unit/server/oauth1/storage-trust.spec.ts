/**
 * A storage that answers a lookup too generously (a case-insensitive
 * collation, a query that forgets one of its keys) cannot widen access: the
 * provider re-checks the key, the client and the binding of every record it
 * reads.
 */
import type { OAuth1Verifier } from '../../../../lib/server/oauth1/index.js';
import {
  CLIENTS,
  accessTokenRequest,
  alterRecords,
  approve,
  client,
  expectRefused,
  fetchRequestToken,
  issueAccessToken,
  makeProvider,
  resourceRequest,
  type TestProvider,
  type User,
} from './support.js';

/** Keeps every verifier saved, for a lookup of the test's own. */
function recordVerifiers(t: TestProvider): Array<OAuth1Verifier<User>> {
  const verifiers: Array<OAuth1Verifier<User>> = [];
  const save = t.storage.saveVerifier.bind(t.storage);
  t.storage.saveVerifier = (record) => {
    verifiers.push(record);
    save(record);
  };
  return verifiers;
}

const swapCase = (text: string) =>
  [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');

it('a case-insensitive client lookup does not let another spelling of a client key in', async () => {
  const t = makeProvider();
  const lookup = t.storage.getClient.bind(t.storage);
  t.storage.getClient = (key: string) => lookup(key.toLowerCase());
  const shouting = client({ clientId: CLIENTS.a.clientKey.toUpperCase() });
  await expectRefused(fetchRequestToken(t, shouting), 401, 'consumer_key_unknown');
});

it('a case-insensitive token lookup does not accept another spelling of a token', async () => {
  const t = makeProvider({ hashTokens: false });
  const token = await issueAccessToken(t);
  const lookup = t.storage.getAccessToken.bind(t.storage);
  t.storage.getAccessToken = (key: string) => lookup(key) ?? lookup(swapCase(key)) ?? undefined;
  const respelled = { ...token, oauth_token: swapCase(token.oauth_token) };
  await expectRefused(
    t.provider.verifyRequest(resourceRequest(t, respelled)),
    401,
    'token_rejected',
  );
});

it('a verifier lookup that ignores the verifier does not accept any verifier', async () => {
  const t = makeProvider();
  const verifiers = recordVerifiers(t);
  t.storage.getVerifier = (_verifier: string, token: string) =>
    verifiers.find((v) => v.token === token);
  const requestToken = await fetchRequestToken(t);
  await approve(t, requestToken.oauth_token);
  await expectRefused(
    t.provider.accessToken(accessTokenRequest(t, requestToken, 'guessed-verifier')),
    401,
    'verifier_invalid',
  );
});

it('a verifier lookup that ignores the request token does not accept a verifier of another one', async () => {
  const t = makeProvider();
  const verifiers = recordVerifiers(t);
  t.storage.getVerifier = (verifier: string) => verifiers.find((v) => v.verifier === verifier);
  const mine = await fetchRequestToken(t);
  const other = await fetchRequestToken(t);
  const otherVerifier = await approve(t, other.oauth_token);
  await expectRefused(
    t.provider.accessToken(accessTokenRequest(t, mine, otherVerifier)),
    401,
    'verifier_invalid',
  );
});

it('a verifier record of another client, or expired, is refused', async () => {
  for (const change of [{ clientKey: CLIENTS.b.clientKey }, { expiresAt: 0 }]) {
    const t = makeProvider();
    alterRecords(t.storage, 'getVerifier', change);
    const requestToken = await fetchRequestToken(t);
    const verifier = await approve(t, requestToken.oauth_token);
    await expectRefused(
      t.provider.accessToken(accessTokenRequest(t, requestToken, verifier)),
      401,
      'verifier_invalid',
    );
  }
});

it('a request-token record of another client is refused at the authorization endpoint', async () => {
  const t = makeProvider();
  const { oauth_token } = await fetchRequestToken(t);
  alterRecords(t.storage, 'getRequestToken', { clientKey: 'someone-else' });
  await expect(
    t.provider.authorizationRequest({
      method: 'GET',
      url: `https://provider.example/oauth/authorize?oauth_token=${oauth_token}`,
      headers: {},
    }),
  ).rejects.toMatchObject({ status: 401, problem: 'token_rejected' });
});

it('a case-insensitive request-token lookup does not let another spelling reach the consent page', async () => {
  const t = makeProvider({ hashTokens: false });
  const { oauth_token } = await fetchRequestToken(t);
  const lookup = t.storage.getRequestToken.bind(t.storage);
  t.storage.getRequestToken = (key: string) => lookup(key) ?? lookup(swapCase(key));
  await expect(
    t.provider.authorizationRequest({
      method: 'GET',
      url: `https://provider.example/oauth/authorize?oauth_token=${swapCase(oauth_token)}`,
      headers: {},
    }),
  ).rejects.toMatchObject({ status: 401, problem: 'token_rejected' });
});
