/**
 * The provider — the core on plain node:http, and OAuth1ServerModule on
 * Express and Fastify — against this library's own OAuth1Client (lib/core),
 * over real HTTP: the three-legged flow, then signed GET and POST requests,
 * for every signature method and every placement of the protocol parameters.
 * The app is reached as https://127.0.0.1:<port> through a simulated TLS
 * proxy, so enforceSsl stays on and PLAINTEXT is allowed. The POST's form has
 * names Express's extended body parser turns into objects and arrays
 * (`photo[title]`, `tags[]`): the signature covers them as sent.
 */
import { OAuth1Client } from '../../lib/core/oauth1/oauth1-client.js';
import type {
  OAuth1SignatureMethod,
  OAuth1SignatureType,
} from '../../lib/core/oauth1/signature.js';
import { OAuthError } from '../../lib/core/errors.js';
import { decide, type ProviderApp } from '../fixtures/oauth1-provider-app.js';
import { PROVIDER_KINDS, startProviderApp } from '../fixtures/nest-apps/oauth1-provider.app.js';

const METHODS: OAuth1SignatureMethod[] = [
  'HMAC-SHA1',
  'HMAC-SHA256',
  'RSA-SHA1',
  'RSA-SHA256',
  'PLAINTEXT',
];
const PLACEMENTS: OAuth1SignatureType[] = ['header', 'query', 'body'];
const CASES = METHODS.flatMap((method) => PLACEMENTS.map((type) => [method, type] as const));

describe.each(PROVIDER_KINDS)('the %s provider', (kind) => {
  let app: ProviderApp;
  beforeAll(async () => {
    app = await startProviderApp(kind);
  });
  afterAll(() => app?.close());
  afterEach(() => expect(app.serverErrors).toEqual([]));

  function newClient(
    signatureMethod: OAuth1SignatureMethod,
    signatureType: OAuth1SignatureType,
    redirectUri: string | null = app.client.callback,
  ): OAuth1Client {
    return new OAuth1Client({
      clientId: app.client.key,
      clientSecret: app.client.secret,
      rsaKey: app.client.rsaPrivateKey,
      signatureMethod,
      signatureType,
      ...(redirectUri ? { redirectUri } : {}),
      fetch: app.fetch,
    });
  }

  describe.each(CASES)('OAuth1Client, %s in the %s', (signatureMethod, signatureType) => {
    it('runs the three-legged flow, then signed GET and POST requests', async () => {
      const client = newClient(signatureMethod, signatureType);
      const requestToken = await client.fetchRequestToken(app.endpoints.requestToken);
      expect(requestToken.oauth_callback_confirmed).toBe('true');

      // The consent page sees the pending authorization.
      const consent = await app.fetch(client.createAuthorizationUrl(app.endpoints.authorize));
      expect(consent.status).toBe(200);
      expect(await consent.json()).toEqual({
        client: app.client.key,
        realms: ['photos'],
        redirectUri: app.client.callback,
      });

      const decision = await decide(app, requestToken.oauth_token, true);
      expect(decision.status).toBe(302);
      expect(decision.location!.startsWith(`${app.client.callback}?oauth_token=`)).toBe(true);
      client.parseAuthorizationResponse(decision.location!);
      const token = await client.fetchAccessToken(app.endpoints.accessToken);
      expect(token).toMatchObject({ user_id: '1001', screen_name: 'Jane' });
      expect(token.oauth_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const query = new URLSearchParams([
        ['q', 'Ladies + Gentlemen, a/b?c=d&é☃'],
        ['x', '2'],
        ['x', '1'],
        ['empty', ''],
      ]);
      if (signatureType !== 'body') {
        const get = await client.get(`${app.endpoints.photos}?${query}`);
        expect(get.status).toBe(200);
        expect(await get.json()).toMatchObject({
          user: app.user,
          client: app.client.key,
          realms: ['photos'],
          transport: signatureType,
          query: [...query],
        });
      }
      const form = new URLSearchParams([
        ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
        ['é', '☃ 😀'],
        ['status', 'again'],
        ['photo[title]', 'Sunset'],
        ['tags[]', 'sea'],
        ['tags[]', 'sky'],
      ]);
      const post = await client.post(`${app.endpoints.me}?a=1`, { body: form });
      expect(post.status).toBe(200);
      expect(await post.json()).toMatchObject({
        method: 'POST',
        transport: signatureType,
        form: [
          ['status', ['Hello Ladies + Gentlemen, a signed OAuth request!', 'again']],
          ['é', ['☃ 😀']],
          ['photo[title]', ['Sunset']],
          ['tags[]', ['sea', 'sky']],
        ],
      });
    });
  });

  describe('OAuth1Client, other outcomes', () => {
    it('oob: the approval page shows the verifier, which the client exchanges', async () => {
      const client = newClient('HMAC-SHA1', 'header', null);
      const requestToken = await client.fetchRequestToken(app.endpoints.requestToken);
      const decision = await decide(app, requestToken.oauth_token, true);
      expect(decision.status).toBe(200);
      const verifier = /<code>([^<]+)<\/code>/.exec(decision.body)![1]!;
      const token = await client.fetchAccessToken(app.endpoints.accessToken, { verifier });
      expect(token.user_id).toBe('1001');
      expect((await client.get(app.endpoints.me)).status).toBe(200);
    });

    it('a denial redirects with denied=, and the request token is spent', async () => {
      const client = newClient('HMAC-SHA256', 'header');
      const requestToken = await client.fetchRequestToken(app.endpoints.requestToken);
      const decision = await decide(app, requestToken.oauth_token, false);
      expect(decision.status).toBe(302);
      expect(() => client.parseAuthorizationResponse(decision.location!)).toThrow(
        expect.objectContaining({ error: 'access_denied' }),
      );
      await expect(
        client.fetchAccessToken(app.endpoints.accessToken, { verifier: 'x'.repeat(22) }),
      ).rejects.toMatchObject({ error: 'token_rejected', status: 401 });
    });

    it('the resource owner may narrow the realms; a resource needing another one answers 403', async () => {
      const client = newClient('HMAC-SHA1', 'header');
      const requestToken = await client.fetchRequestToken(app.endpoints.requestToken);
      const decision = await decide(app, requestToken.oauth_token, true, '');
      client.parseAuthorizationResponse(decision.location!);
      await client.fetchAccessToken(app.endpoints.accessToken);
      expect((await client.get(app.endpoints.me)).status).toBe(200);
      const photos = await client.get(app.endpoints.photos);
      expect(photos.status).toBe(403);
      expect(await photos.text()).toMatch(/^oauth_problem=permission_denied&/);
    });

    it('refusals surface in the client as OAuthError with the oauth_problem', async () => {
      const client = new OAuth1Client({
        clientId: app.client.key,
        clientSecret: 'not the secret',
        redirectUri: app.client.callback,
        fetch: app.fetch,
      });
      const error = await client.fetchRequestToken(app.endpoints.requestToken).catch((e) => e);
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toMatchObject({ error: 'signature_invalid', status: 401 });
    });
  });
});
