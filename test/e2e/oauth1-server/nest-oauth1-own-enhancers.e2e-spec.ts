/**
 * OAuth1ServerModule in an app with enhancers of its own — the catch-all
 * exception filter of Nest's documentation and three global interceptors (an
 * envelope around every result, a counter, a timeout) — on Express and
 * Fastify: the protocol's answers (credentials, the decision's redirect, every
 * `oauth_problem` refusal) reach the client unchanged, while the app's own
 * results (the consent page's data, a protected resource) go through its
 * interceptors as any result does. A storage that fails gives a 503 through
 * the app's filter, logged without the failure's message.
 */
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { appClient, decide } from '../../fixtures/oauth1-provider-app.js';
import {
  AllExceptionsFilter,
  CountingInterceptor,
  EnhancerLog,
  EnvelopeInterceptor,
  TimeoutInterceptor,
} from '../../fixtures/nest-apps/own-enhancers.app.js';
import {
  startNestOAuth1Provider,
  type NestProviderApp,
} from '../../fixtures/nest-apps/oauth1-provider.app.js';
import { PLATFORMS } from '../../fixtures/nest-apps/start-app.js';

describe.each(PLATFORMS)(
  'OAuth1ServerModule in an app with its own enhancers, on %s',
  (platform) => {
    let app: NestProviderApp;
    const log = new EnhancerLog();

    beforeAll(async () => {
      app = await startNestOAuth1Provider(platform, {
        app: {
          providers: [
            { provide: 'ENHANCER_LOG', useValue: log },
            { provide: APP_FILTER, useClass: AllExceptionsFilter },
            { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
            { provide: APP_INTERCEPTOR, useClass: CountingInterceptor },
            { provide: APP_INTERCEPTOR, useClass: TimeoutInterceptor },
          ],
        },
      });
    });
    afterAll(() => app?.close());

    const newClient = () => appClient(app);

    it('the protocol answers pass unchanged; the app results go through its interceptors', async () => {
      const before = log.intercepted;
      const client = newClient();
      // Credentials: form-encoded, not wrapped in the envelope (the client parses them).
      const temporary = await client.fetchRequestToken(app.endpoints.requestToken);
      expect(temporary.oauth_callback_confirmed).toBe('true');

      // The consent page is the app's: its envelope applies.
      const consent = await app.fetch(client.createAuthorizationUrl(app.endpoints.authorize));
      expect(await consent.json()).toEqual({
        data: { client: app.client.key, realms: ['photos'], redirectUri: app.client.callback },
      });

      // The decision's 302 and the access token: the module's, unchanged.
      const decision = await decide(app, temporary.oauth_token, true);
      expect(decision.status).toBe(302);
      expect(decision.body).toBe('');
      client.parseAuthorizationResponse(decision.location!);
      const token = await client.fetchAccessToken(app.endpoints.accessToken);
      expect(token).toMatchObject({ user_id: '1001', screen_name: 'Jane' });

      // A protected resource's result is the app's: enveloped.
      const photos = await client.get(app.endpoints.photos);
      expect(photos.status).toBe(200);
      expect((await photos.json()).data).toMatchObject({ user: app.user, realms: ['photos'] });
      // The interceptors ran on every request (the app's counter saw them all).
      expect(log.intercepted - before).toBe(5);
    });

    it('refusals are the core answers, not the catch-all filter JSON', async () => {
      const filteredBefore = new Map(log.filtered);
      // 401 on an endpoint the module answers.
      const wrongSecret = appClient(app, { clientSecret: 'not the secret' });
      const signed = wrongSecret.sign('POST', app.endpoints.requestToken, {
        oauthParams: { oauth_callback: app.client.callback },
      });
      const refused = await app.fetch(signed.url, { method: 'POST', headers: signed.headers });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('OAuth');
      expect(refused.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
      expect(await refused.text()).toBe(
        'oauth_problem=signature_invalid&oauth_problem_advice=the+signature+does+not+verify',
      );

      // 400 on a protected resource (guard refusal), and 401 on the consent page.
      const unsigned = await app.fetch(app.endpoints.me);
      expect(unsigned.status).toBe(400);
      expect(await unsigned.text()).toMatch(
        /^oauth_problem=parameter_absent&oauth_problem_advice=/,
      );
      const consent = await app.fetch(`${app.endpoints.authorize}?oauth_token=unknown-token-000`);
      expect(consent.status).toBe(401);
      expect(await consent.text()).toMatch(/^<!doctype html>/);

      // The module's own filter answered them, ahead of the app's catch-all.
      expect(log.filtered).toEqual(filteredBefore);
    });

    it('a storage that fails: 503 through the app filter, logged by name without its message', async () => {
      const client = newClient();
      await client.fetchRequestToken(app.endpoints.requestToken);
      const original = app.storage.getRequestToken;
      app.storage.getRequestToken = () => {
        throw new Error('connection to db failed: password=hunter2-database-secret');
      };
      try {
        const consent = await app.fetch(client.createAuthorizationUrl(app.endpoints.authorize));
        expect(consent.status).toBe(503);
        expect(await consent.json()).toMatchObject({
          statusCode: 503,
          error: { message: 'The OAuth 1 provider is unavailable' },
        });
      } finally {
        app.storage.getRequestToken = original;
      }
      const text = app.started.logger.text();
      expect(text).toContain('OAuth 1 authorization endpoint failed: Error');
      expect(text).not.toContain('hunter2');
      expect(log.filtered.get('ServiceUnavailableException')).toBe(1);
    });

    it('logged no error but the storage failure, and no secret', () => {
      const errors = app.started.logger.lines.filter((l) => l.level === 'error');
      expect(errors.map((l) => l.message)).toEqual([
        'OAuth 1 authorization endpoint failed: Error',
        'request failed: ServiceUnavailableException',
      ]);
      expect(app.started.logger.text()).not.toContain(app.client.secret);
    });
  },
);
