/**
 * Full logins with the configuration coming from ConfigService only, and
 * from forRootAsync (useFactory, useClass, useExisting), on Express and Fastify.
 */
import { Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { OAuthModule, type OAuthModuleOptions, type OAuthOptionsFactory } from '../../lib/index.js';
import { BrowserClient } from '../fixtures/browser-client.js';
import {
  startOidcProvider,
  TEST_USER,
  type OidcProviderFixture,
} from '../fixtures/oidc-provider.js';
import {
  addCodeClient,
  LoginAppModule,
  registerOpClient,
  SessionStore,
} from '../fixtures/nest-apps/login.app.js';
import { PLATFORMS, startApp, type Platform } from '../fixtures/nest-apps/start-app.js';

const CLIENT_SECRET = 'config-client-secret-4a8a08f09d37b73795649038408b5f33';

let op: OidcProviderFixture;
let env: Record<string, string>;

beforeAll(async () => {
  op = await startOidcProvider();
  env = {
    OP_CLIENT_SECRET: CLIENT_SECRET,
    OP_SERVER_METADATA_URL: op.discoveryUrl,
    OP_REDIRECT_URI: '/auth/callback/op',
    OP_API_BASE_URL: op.issuer,
    OP_CLIENT_KWARGS: JSON.stringify({ scope: 'openid email profile' }),
    OAUTH_SECRET: 'config-e2e-secret-0123456789abcdef0123',
  };
});
afterAll(() => op?.close());

const configModule = (clientId: string) =>
  ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    ignoreEnvVars: true,
    load: [() => ({ ...env, OP_CLIENT_ID: clientId })],
  });

/** Options built from ConfigService, as an app's factory would. */
function fromConfig(config: ConfigService, sessions: SessionStore): OAuthModuleOptions {
  return {
    secret: config.get('OAUTH_SECRET'),
    fetchToken: sessions.fetchToken,
    updateToken: sessions.updateToken,
    clients: {
      op: {
        clientId: config.get('OP_CLIENT_ID'),
        clientSecret: config.get('OP_CLIENT_SECRET'),
        serverMetadataUrl: config.get('OP_SERVER_METADATA_URL'),
        redirectUri: '/auth/callback/op',
        apiBaseUrl: config.get('OP_API_BASE_URL'),
        clientKwargs: { scope: 'openid email profile' },
      },
    },
  };
}

const SESSIONS = 'SESSIONS_FOR_FACTORY';

@Injectable()
class OptionsFactory implements OAuthOptionsFactory {
  constructor(
    @Inject(ConfigService) private readonly config: ConfigService,
    @Inject(SESSIONS) private readonly sessions: SessionStore,
  ) {}
  createOAuthOptions(): OAuthModuleOptions {
    return fromConfig(this.config, this.sessions);
  }
}

function sessionsModule(sessions: SessionStore): DynamicModule {
  @Module({})
  class SessionsModule {}
  return {
    module: SessionsModule,
    providers: [{ provide: SESSIONS, useValue: sessions }, OptionsFactory],
    exports: [SESSIONS, OptionsFactory],
  };
}

type Variant = 'env only' | 'useFactory' | 'useClass' | 'useExisting';

function oauthModuleFor(variant: Variant, sessions: SessionStore): DynamicModule {
  switch (variant) {
    case 'env only':
      return OAuthModule.forRoot({
        fetchToken: sessions.fetchToken,
        updateToken: sessions.updateToken,
        clients: { op: {} },
      });
    case 'useFactory':
      return OAuthModule.forRootAsync({
        clients: ['op'],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => fromConfig(config, sessions),
      });
    case 'useClass':
      return OAuthModule.forRootAsync({
        clients: ['op'],
        imports: [sessionsModule(sessions)],
        useClass: OptionsFactory,
      });
    case 'useExisting':
      return OAuthModule.forRootAsync({
        clients: ['op'],
        imports: [sessionsModule(sessions)],
        useExisting: OptionsFactory,
      });
  }
}

const cases: [Platform, Variant][] = PLATFORMS.flatMap((p) =>
  (['env only', 'useFactory', 'useClass', 'useExisting'] as Variant[]).map(
    (v) => [p, v] as [Platform, Variant],
  ),
);

describe.each(cases)('on %s, configured by %s', (platform, variant) => {
  it('logs in and calls the API with the injected client', async () => {
    const clientId = `config-${platform}-${variant.replace(/\s/g, '-')}`;
    const sessions = new SessionStore();
    const started = await startApp(
      LoginAppModule.around(oauthModuleFor(variant, sessions), {
        sessions,
        hasOp: true,
        imports: [configModule(clientId)],
      }),
      platform,
    );
    try {
      await registerOpClient(op, started.url, clientId, CLIENT_SECRET);
      const browser = new BrowserClient();
      const nav = await browser.navigate(`${started.url}/auth/login/op`, {
        stopAt: (u) => u.origin === op.issuer,
      });
      expect(new URL(nav.stoppedAt!).searchParams.get('client_id')).toBe(clientId);
      const result = await browser.loginAtProvider(nav.stoppedAt!, { requestCallback: true });
      expect(result.callback!.last.status).toBe(200);
      expect(JSON.parse(result.callback!.last.body).user.sub).toBe(TEST_USER.sub);
      const me = await browser.request(`${started.url}/injected/me`);
      expect(me.status).toBe(200);
      expect(JSON.parse(me.body).email).toBe(TEST_USER.email);
      expect(started.logger.text()).not.toContain('no secret is configured');
    } finally {
      await started.close();
    }
  });
});

describe.each(PLATFORMS)('Authlib spellings from the environment, on %s', (platform) => {
  it('{NAME}_CLIENT_KWARGS with token_endpoint_auth_method really sends client_secret_post', async () => {
    const clientId = `authlib-keys-${platform}`;
    const sessions = new SessionStore();
    const started = await startApp(
      LoginAppModule.around(
        OAuthModule.forRoot({ fetchToken: sessions.fetchToken, clients: { op: {} } }),
        {
          sessions,
          hasOp: true,
          imports: [
            ConfigModule.forRoot({
              isGlobal: true,
              ignoreEnvFile: true,
              ignoreEnvVars: true,
              load: [
                () => ({
                  ...env,
                  OP_CLIENT_ID: clientId,
                  OP_CLIENT_KWARGS: JSON.stringify({
                    token_endpoint_auth_method: 'client_secret_post',
                    scope: 'openid email profile',
                  }),
                }),
              ],
            }),
          ],
        },
      ),
      platform,
    );
    try {
      // The provider accepts only client_secret_post for this client.
      await addCodeClient(op, clientId, CLIENT_SECRET, [`${started.url}/auth/callback/op`], {
        token_endpoint_auth_method: 'client_secret_post',
      });
      const browser = new BrowserClient();
      const start = await browser.request(`${started.url}/auth/login/op`);
      op.requests.length = 0;
      const result = await browser.loginAtProvider(start.location!, { requestCallback: true });
      expect(result.callback!.last.status).toBe(200);
      const token = op.requests.find((r) => r.path === '/token')!;
      expect(token.headers.authorization).toBeUndefined();
      expect(token.body).toMatchObject({ client_id: clientId, client_secret: CLIENT_SECRET });
    } finally {
      await started.close();
    }
  });
});
