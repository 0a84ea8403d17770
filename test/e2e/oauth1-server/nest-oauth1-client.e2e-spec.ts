/**
 * OAuth1ServerModule against this library's OAuth1Client, over real HTTP on
 * Express and Fastify: the three-legged flow, then signed GET and POST
 * requests, for every signature method and every placement of the protocol
 * parameters (the POST's form body goes through Nest's default body parser).
 */
import { OAuth1Client } from '../../../lib/core/oauth1/oauth1-client.js';
import type {
  OAuth1SignatureMethod,
  OAuth1SignatureType,
} from '../../../lib/core/oauth1/signature.js';
import { decide } from '../../fixtures/oauth1-provider-app.js';
import {
  startNestOAuth1Provider,
  type NestProviderApp,
} from '../../fixtures/nest-apps/oauth1-provider.app.js';
import { PLATFORMS } from '../../fixtures/nest-apps/start-app.js';

const METHODS: OAuth1SignatureMethod[] = [
  'HMAC-SHA1',
  'HMAC-SHA256',
  'RSA-SHA1',
  'RSA-SHA256',
  'PLAINTEXT',
];
const PLACEMENTS: OAuth1SignatureType[] = ['header', 'query', 'body'];
const CASES = METHODS.flatMap((method) => PLACEMENTS.map((type) => [method, type] as const));

describe.each(PLATFORMS)('OAuth1ServerModule on %s, with OAuth1Client', (platform) => {
  let app: NestProviderApp;
  beforeAll(async () => {
    app = await startNestOAuth1Provider(platform);
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

  it.each(CASES)(
    '%s in the %s: three-legged flow, then signed GET and POST',
    async (signatureMethod, signatureType) => {
      const client = newClient(signatureMethod, signatureType);
      const requestToken = await client.fetchRequestToken(app.endpoints.requestToken);
      expect(requestToken.oauth_callback_confirmed).toBe('true');

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
      // Names Express's extended parser would turn into objects and arrays: the signature
      // covers them as sent, so the module reads the raw body.
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
    },
  );

  it('oob: the approval page shows the verifier, which the client exchanges', async () => {
    const client = newClient('HMAC-SHA1', 'header', null);
    const requestToken = await client.fetchRequestToken(app.endpoints.requestToken);
    const decision = await decide(app, requestToken.oauth_token, true);
    expect(decision.status).toBe(200);
    expect(decision.body).toContain('<code>');
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
});
