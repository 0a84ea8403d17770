/**
 * Where the request context is set (issue 19): by default the module's
 * middleware covers every route; `requestContext: { exclude }` leaves routes
 * out; `{ mount: false }` leaves it to the app, which can mount
 * `OAuthRequestContextMiddleware` itself. Express and Fastify.
 */
import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type Type,
} from '@nestjs/common';
import { OAuthRequestContextMiddleware, type OAuthRequestContextOptions } from '../../lib/index.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';
import {
  InjectedController,
  LoginAppModule,
  opClientOptions,
  registerOpClient,
  SessionStore,
} from '../fixtures/nest-apps/login.app.js';
import { PLATFORMS, startApp } from '../fixtures/nest-apps/start-app.js';

const SECRET = 'request-context-state-secret-0123456789abcXYZ';
const CLIENT_SECRET = 'request-context-client-secret-0123456789ab';

/** The scenario app, with the module's requestContext option, and optionally the app's own mount. */
function appModule(
  op: OidcProviderFixture,
  clientId: string,
  context: OAuthRequestContextOptions,
  ownMount?: Type,
): DynamicModule {
  @Module({})
  class ContextAppModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      if (ownMount) consumer.apply(OAuthRequestContextMiddleware).forRoutes(ownMount);
    }
  }
  return {
    module: ContextAppModule,
    imports: [
      LoginAppModule.with({
        sessions: new SessionStore(),
        oauth: {
          secret: SECRET,
          requestContext: context,
          clients: { op: opClientOptions(op, clientId, CLIENT_SECRET) },
        },
      }),
    ],
  };
}

describe.each(PLATFORMS)('where the request context is set, on %s', (platform) => {
  let op: OidcProviderFixture;

  beforeAll(async () => {
    op = await startOidcProvider();
  });
  afterAll(() => op?.close());

  it.each<[string, OAuthRequestContextOptions, Type | undefined, number]>([
    ['every route (default)', {}, undefined, 200],
    ['every route but the excluded one', { exclude: ['injected/me'] }, undefined, 401],
    ['nowhere (mount: false)', { mount: false }, undefined, 401],
    ['where the app mounts the middleware itself', { mount: false }, InjectedController, 200],
  ])('%s', async (label, context, ownMount, expected) => {
    const clientId = `context-${platform}-${label.replace(/\W+/g, '-')}`;
    const started = await startApp(appModule(op, clientId, context, ownMount), platform);
    try {
      await registerOpClient(op, started.url, clientId, CLIENT_SECRET);
      const browser = new BrowserClient();
      const start = await browser.request(`${started.url}/auth/login/op`);
      const { callback } = await browser.loginAtProvider(start.location!, {
        requestCallback: true,
      });
      expect(callback!.last.status).toBe(200);
      const me = await browser.request(`${started.url}/injected/me`);
      expect(me.status).toBe(expected);
      if (expected === 200) expect(JSON.parse(me.body).sub).toBe(TEST_USER.sub);
      else expect(JSON.parse(me.body).error).toBe('missing_token');
    } finally {
      await started.close();
    }
  });
});
