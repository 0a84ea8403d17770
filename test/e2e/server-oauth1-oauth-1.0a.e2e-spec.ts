/**
 * The provider — the core on plain node:http, and OAuth1ServerModule on
 * Express and Fastify — against the `oauth-1.0a` npm package (a signer written
 * by others), over real HTTP: the three-legged flow, then signed GET and POST
 * requests, for every signature method it can be given (HMAC-SHA1,
 * HMAC-SHA256, RSA-SHA1, RSA-SHA256 through its `hash_function`, PLAINTEXT)
 * and every placement (header, query, form body). The package signs; the
 * test only puts its output on the wire (test/fixtures/oauth-1.0a-peer.ts).
 */
import {
  formOf as form,
  OAUTH_1_0A_METHODS as METHODS,
  oauth10aSend,
  oauth10aSigner,
  PLACEMENTS,
} from '../fixtures/oauth-1.0a-peer.js';
import { decide, type ProviderApp } from '../fixtures/oauth1-provider-app.js';
import { PROVIDER_KINDS, startProviderApp } from '../fixtures/nest-apps/oauth1-provider.app.js';

describe.each(PROVIDER_KINDS)('the %s provider', (kind) => {
  let app: ProviderApp;
  beforeAll(async () => {
    app = await startProviderApp(kind);
  });
  afterAll(() => app?.close());
  afterEach(() => expect(app.serverErrors).toEqual([]));

  const signer = (method: (typeof METHODS)[number]) => oauth10aSigner(app, method);
  const send = (
    ...args: Parameters<typeof oauth10aSend> extends [unknown, ...infer R] ? R : never
  ) => oauth10aSend(app, ...args);

  describe.each(METHODS.flatMap((m) => PLACEMENTS.map((p) => [m, p] as const)))(
    'oauth-1.0a, %s in the %s',
    (method, placement) => {
      it('runs the three-legged flow, then signed GET and POST requests', async () => {
        const oauth = signer(method);
        const temporary = await form(
          await send(oauth, placement, 'POST', app.endpoints.requestToken, {
            protocol: { oauth_callback: app.client.callback },
          }),
        );
        expect(temporary.oauth_callback_confirmed).toBe('true');
        const decision = await decide(app, temporary.oauth_token!, true);
        const callback = new URL(decision.location!);
        expect(callback.searchParams.get('oauth_token')).toBe(temporary.oauth_token);
        const credentials = await form(
          await send(oauth, placement, 'POST', app.endpoints.accessToken, {
            token: { key: temporary.oauth_token!, secret: temporary.oauth_token_secret! },
            protocol: { oauth_verifier: callback.searchParams.get('oauth_verifier')! },
          }),
        );
        expect(credentials).toMatchObject({ user_id: '1001', screen_name: 'Jane' });
        const token = { key: credentials.oauth_token!, secret: credentials.oauth_token_secret! };

        const get = await send(
          oauth,
          placement === 'body' ? 'header' : placement,
          'GET',
          `${app.endpoints.photos}?file=vacation%20photo.jpg&size=original`,
          { token },
        );
        expect(get.status).toBe(200);
        expect(await get.json()).toMatchObject({
          user: app.user,
          realms: ['photos'],
          query: [
            ['file', 'vacation photo.jpg'],
            ['size', 'original'],
          ],
        });
        const post = await send(oauth, placement, 'POST', app.endpoints.me, {
          token,
          form: { status: 'Hello Ladies + Gentlemen, a signed OAuth request!', lang: 'en' },
        });
        expect(post.status).toBe(200);
        expect(await post.json()).toMatchObject({
          transport: placement,
          form: [
            ['status', ['Hello Ladies + Gentlemen, a signed OAuth request!']],
            ['lang', ['en']],
          ],
        });
      });
    },
  );

  describe('oauth-1.0a, refusals', () => {
    it('a request token is single-use: a second exchange is refused 401 token_rejected', async () => {
      const oauth = signer('HMAC-SHA1');
      const temporary = await form(
        await send(oauth, 'header', 'POST', app.endpoints.requestToken, {
          protocol: { oauth_callback: 'oob' },
        }),
      );
      const page = await decide(app, temporary.oauth_token!, true);
      const verifier = /<code>([^<]+)<\/code>/.exec(page.body)![1]!;
      const exchange = () =>
        send(oauth, 'header', 'POST', app.endpoints.accessToken, {
          token: { key: temporary.oauth_token!, secret: temporary.oauth_token_secret! },
          protocol: { oauth_verifier: verifier },
        });
      expect((await exchange()).status).toBe(200);
      const again = await exchange();
      expect(again.status).toBe(401);
      expect(await again.text()).toMatch(/^oauth_problem=token_rejected&/);
    });
  });
});
