/**
 * OAuth1ServerModule's configuration: every setting from ConfigService (the
 * environment) with `forRootAsync` and a storage class Nest builds with its
 * own dependencies, on Express and Fastify; and start-up failures that name
 * the key to fix (a malformed value, an unknown OAUTH1_PROVIDER_* name, an
 * unknown option, an origin that enforceSsl would refuse, a storage missing
 * methods, an endpoint on the wrong kind of route).
 */
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  Post,
  Put,
  Res,
  type DynamicModule,
} from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  InMemoryOAuth1ServerStorage,
  OAuth1AuthorizeEndpoint,
  OAuth1Client,
  OAuth1ServerModule,
  OAuth1ServerService,
  OAuthConfigError,
  RequestTokenEndpoint,
  type OAuth1ServerClient,
  type OAuth1ServerModuleOptions,
} from '../../../lib/index.js';
import { freePort } from '../../fixtures/child-server.js';
import { decide } from '../../fixtures/oauth1-provider-app.js';
import {
  nestProviderClient,
  NEST_PROVIDER_USER,
  OAuth1ApiController,
  OAuth1EndpointsController,
} from '../../fixtures/nest-apps/oauth1-provider.app.js';
import { PLATFORMS, startApp } from '../../fixtures/nest-apps/start-app.js';

const CLIENTS = 'CLIENTS';
const printer = nestProviderClient();
const REGISTERED: OAuth1ServerClient[] = [
  {
    clientKey: printer.key,
    clientSecret: printer.secret,
    redirectUris: [printer.callback],
    defaultRealms: ['photos'],
  },
];

/** The app's clients, from a module of its own (the storage class depends on it). */
@Module({ providers: [{ provide: CLIENTS, useValue: REGISTERED }], exports: [CLIENTS] })
class ClientsModule {}

/** A storage class with a dependency, built by Nest. */
@Injectable()
class AppStorage extends InMemoryOAuth1ServerStorage {
  constructor(@Inject(CLIENTS) clients: OAuth1ServerClient[]) {
    super({ clients });
  }
}

@Module({})
class ConfigAppModule {}

function appModule(oauth1: DynamicModule, controllers: unknown[] = []): DynamicModule {
  return {
    module: ConfigAppModule,
    imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }), oauth1],
    controllers: [OAuth1EndpointsController, OAuth1ApiController, ...(controllers as never[])],
  };
}

const ENV_KEYS: string[] = [];
function setEnv(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    process.env[key] = value;
    ENV_KEYS.push(key);
  }
}
afterEach(() => {
  for (const key of ENV_KEYS.splice(0)) delete process.env[key];
});

describe.each(PLATFORMS)('settings from ConfigService only (forRootAsync), on %s', (platform) => {
  it('reads every OAUTH1_PROVIDER_* it is given, builds the storage class, and runs with them', async () => {
    const port = await freePort();
    const origin = `https://127.0.0.1:${port}`;
    setEnv({
      OAUTH1_PROVIDER_ORIGIN: origin,
      OAUTH1_PROVIDER_SIGNATURE_METHODS: 'HMAC-SHA256, RSA-SHA256',
      OAUTH1_PROVIDER_REALMS: 'photos profile',
      OAUTH1_PROVIDER_TIMESTAMP_WINDOW: '60',
      OAUTH1_PROVIDER_TOKEN_LENGTH: '24',
      OAUTH1_PROVIDER_ERROR_URI: 'https://photos.example.net/oauth/error',
    });
    const started = await startApp(
      appModule(
        OAuth1ServerModule.forRootAsync({
          imports: [ClientsModule],
          storage: AppStorage,
          useFactory: () => ({}),
        }),
      ),
      platform,
      (b) => b,
      { port },
    );
    try {
      const service = started.app.get(OAuth1ServerService);
      expect(service.settings).toMatchObject({
        signatureMethods: ['HMAC-SHA256', 'RSA-SHA256'],
        enforceSsl: true,
        realms: ['photos', 'profile'],
        timestampWindow: 60,
        tokenLength: 24,
        errorUri: 'https://photos.example.net/oauth/error',
      });
      expect(service.provider.storage).toBeInstanceOf(AppStorage);
      const viaProxy: typeof fetch = (input, init) =>
        fetch(String(input instanceof Request ? input.url : input).replace(origin, started.url), {
          ...init,
          redirect: 'manual',
        });
      const app = { fetch: viaProxy, endpoints: { authorize: `${origin}/oauth/authorize` } };
      const client = (signatureMethod: 'HMAC-SHA256' | 'HMAC-SHA1') =>
        new OAuth1Client({
          clientId: printer.key,
          clientSecret: printer.secret,
          redirectUri: printer.callback,
          signatureMethod,
          fetch: viaProxy,
        });
      // HMAC-SHA1 is not listed: refused.
      await expect(
        client('HMAC-SHA1').fetchRequestToken(`${origin}/oauth/request_token`),
      ).rejects.toMatchObject({ status: 400, error: 'signature_method_rejected' });
      // A whole login with HMAC-SHA256; tokens are 24 bytes.
      const c = client('HMAC-SHA256');
      const temporary = await c.fetchRequestToken(`${origin}/oauth/request_token`);
      expect(temporary.oauth_token).toMatch(/^[\w-]{32}$/);
      const decision = await decide(app as never, temporary.oauth_token, true);
      c.parseAuthorizationResponse(decision.location!);
      await expect(c.fetchAccessToken(`${origin}/oauth/access_token`)).resolves.toMatchObject({
        user_id: NEST_PROVIDER_USER.id,
      });
      expect((await c.get(`${origin}/api/photos`)).status).toBe(200);
      // The 60 s window: a request signed 2 minutes ago is refused.
      const stale = c.sign('GET', `${origin}/api/me`, {
        timestamp: Math.floor(Date.now() / 1000) - 120,
      });
      const refused = await viaProxy(stale.url, { headers: stale.headers });
      expect(refused.status).toBe(401);
      expect(await refused.text()).toMatch(/^oauth_problem=timestamp_refused&/);
      // errorUri: the consent page of an unknown request token redirects there.
      const unknown = await viaProxy(`${origin}/oauth/authorize?oauth_token=unknown-000000`);
      expect(unknown.status).toBe(302);
      expect(unknown.headers.get('location')).toMatch(
        /^https:\/\/photos\.example\.net\/oauth\/error\?error=token_rejected&/,
      );
    } finally {
      await started.close();
    }
  });
});

/** Compiles an app with these module options; resolves to the error it fails with. */
async function startupError(
  oauth1: DynamicModule,
  controllers: unknown[] = [],
): Promise<OAuthConfigError> {
  const error = await Test.createTestingModule({ imports: [appModule(oauth1, controllers)] })
    .setLogger({ log() {}, error() {}, warn() {} })
    .compile()
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(error).toBeInstanceOf(OAuthConfigError);
  return error as OAuthConfigError;
}

const storage = new InMemoryOAuth1ServerStorage({ clients: REGISTERED });
const withStorage = (options: Partial<OAuth1ServerModuleOptions>) =>
  OAuth1ServerModule.forRoot({ storage, ...options } as OAuth1ServerModuleOptions);

describe('start-up failures name the key', () => {
  it('a malformed value from the environment', async () => {
    setEnv({ OAUTH1_PROVIDER_TIMESTAMP_WINDOW: '0' });
    const error = await startupError(withStorage({}));
    expect(error.key).toBe('OAUTH1_PROVIDER_TIMESTAMP_WINDOW');
    expect(error.message).toBe(
      'OAuth1ServerModule: OAuth 1 provider setting timestampWindow must be a whole number from 1 to 86400: set timestampWindow or OAUTH1_PROVIDER_TIMESTAMP_WINDOW',
    );
  });

  it('a malformed value in code, and text that is not a boolean', async () => {
    expect((await startupError(withStorage({ keyLength: [10, 5] }))).key).toBe('keyLength');
    setEnv({ OAUTH1_PROVIDER_ENFORCE_SSL: 'maybe' });
    expect((await startupError(withStorage({}))).key).toBe('OAUTH1_PROVIDER_ENFORCE_SSL');
  });

  it('an unknown OAUTH1_PROVIDER_* name (a typo would be ignored)', async () => {
    setEnv({ OAUTH1_PROVIDER_SIGNATURE_METHOD: 'HMAC-SHA1' });
    const error = await startupError(withStorage({}));
    expect(error.key).toBe('OAUTH1_PROVIDER_SIGNATURE_METHOD');
    expect(error.message).toContain('did you mean OAUTH1_PROVIDER_SIGNATURE_METHODS?');
  });

  it("Flask-OAuthlib's OAUTH1_PROVIDER_ERROR_ENDPOINT says what to use instead", async () => {
    setEnv({ OAUTH1_PROVIDER_ERROR_ENDPOINT: 'oauth.error' });
    const error = await startupError(withStorage({}));
    expect(error.message).toContain('set OAUTH1_PROVIDER_ERROR_URI');
  });

  it("an unknown option names the nearest; Flask-OAuthlib's snake_case is read", async () => {
    const error = await startupError(withStorage({ enforceSSL: false } as never));
    expect(error.key).toBe('enforceSSL');
    expect(error.message).toContain('did you mean enforceSsl?');
    const compiled = await Test.createTestingModule({
      imports: [appModule(withStorage({ enforce_ssl: false, error_uri: undefined } as never))],
    })
      .setLogger({ log() {}, error() {}, warn() {} })
      .compile();
    expect(compiled.get(OAuth1ServerService).settings.enforceSsl).toBe(false);
    await compiled.close();
  });

  it('an origin that is not one, and an http origin enforceSsl would refuse', async () => {
    expect((await startupError(withStorage({ origin: 'https://x.example/api' }))).key).toBe(
      'origin',
    );
    setEnv({ OAUTH1_PROVIDER_ORIGIN: 'http://x.example' });
    const error = await startupError(withStorage({}));
    expect(error.key).toBe('OAUTH1_PROVIDER_ORIGIN');
    expect(error.message).toContain('is http: while enforceSsl is on');
  });

  it('no storage, or one missing methods', async () => {
    const none = await startupError(OAuth1ServerModule.forRoot({}));
    expect(none.key).toBe('storage');
    const partial = { getClient: () => undefined, saveNonce: () => true };
    const missing = await startupError(OAuth1ServerModule.forRoot({ storage: partial as never }));
    expect(missing.message).toContain('it has no saveRequestToken, getRequestToken');
  });

  it('a storage class and a storage from the factory: one too many', async () => {
    const error = await startupError(
      OAuth1ServerModule.forRootAsync({
        imports: [ClientsModule],
        storage: AppStorage,
        useFactory: () => ({ storage }),
      }),
    );
    expect(error.message).toContain('storage is given twice');
  });

  it('a hook that is not a function', async () => {
    const error = await startupError(withStorage({ beforeRequest: 'log' as never }));
    expect(error.key).toBe('beforeRequest');
  });

  it('an authorization endpoint on a PUT route, a module-answered route with @Res({ passthrough: true })', async () => {
    @Controller('bad')
    class BadRoutes {
      @Put('authorize')
      @OAuth1AuthorizeEndpoint()
      consent(): void {}
    }
    const put = await startupError(withStorage({}), [BadRoutes]);
    expect(put.message).toContain(
      '@OAuth1AuthorizeEndpoint() on BadRoutes.consent must be on a @Get()',
    );

    @Controller('bad2')
    class PassthroughRoute {
      @Post('request_token')
      @RequestTokenEndpoint()
      requestToken(@Res({ passthrough: true }) _res: unknown): void {}

      @Get('fine')
      fine(): string {
        return 'fine';
      }
    }
    const passthrough = await startupError(withStorage({}), [PassthroughRoute]);
    expect(passthrough.message).toContain('remove @Res({ passthrough: true })');
  });
});
