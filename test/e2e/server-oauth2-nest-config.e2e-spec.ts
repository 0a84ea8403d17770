/**
 * OAuth2ServerModule's configuration: everything from the environment
 * through `forRootAsync` + `ConfigService` (the seed's `OAUTH2_PROVIDER_*`
 * names), and every start-up failure naming the key at fault and the fix:
 * unknown keys and settings, malformed values, keys that cannot sign, a
 * storage that is not one, decorated routes that are not where the metadata
 * says.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  Post,
  Res,
  type DynamicModule,
  type Type,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  AuthorizeEndpoint,
  IntrospectEndpoint,
  MemoryOAuth2ServerStorage,
  OAuth2ServerModule,
  OAuth2ServerService,
  OAuthConfigError,
  RevokeEndpoint,
  TokenEndpoint,
  type OAuth2ServerModuleOptions,
} from '../../lib/index.js';
import { basicAuth } from '../fixtures/auth-server/raw-flow.js';
import { freePort } from '../fixtures/child-server.js';
import { startApp, PLATFORMS, type StartedApp } from '../fixtures/nest-apps/start-app.js';

const SECRET = 'config-test-client-secret-0123456789';
const pem = (type: 'rsa' | 'ec') =>
  (type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  ).privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();

const storage = () =>
  new MemoryOAuth2ServerStorage({
    clients: [
      {
        clientId: 'svc',
        clientSecret: SECRET,
        redirectUris: ['http://127.0.0.1:9/cb'],
        allowedScopes: ['api:read', 'api:write'],
        allowedGrantTypes: ['client_credentials'],
      },
    ],
  });

/** Every endpoint but introspection. */
@Controller()
class EndpointsWithoutIntrospection {
  @Get('authorize') @AuthorizeEndpoint() consent() {
    return false;
  }
  @Post('authorize') @AuthorizeEndpoint() decide() {
    return false;
  }
  @Post('token') @TokenEndpoint() token() {}
  @Post('revoke') @RevokeEndpoint() revoke() {}
}

/** Every endpoint. */
@Controller()
class Endpoints extends EndpointsWithoutIntrospection {
  @Post('introspect') @IntrospectEndpoint() introspect() {}
}

/** Runs `fn` with these environment variables set (and only them among `OAUTH2_PROVIDER_*`). */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('OAUTH2_PROVIDER_')) delete process.env[key];
  }
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** An app with the module from env (forRootAsync + ConfigService) and the given controllers. */
function envApp(
  options: Partial<OAuth2ServerModuleOptions> = {},
  controllers: Type[] = [Endpoints],
): DynamicModule {
  @Module({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
      OAuth2ServerModule.forRootAsync({
        inject: [ConfigService],
        useFactory: (config: ConfigService) => {
          expect(config).toBeInstanceOf(ConfigService);
          return { storage: storage(), ...options } as OAuth2ServerModuleOptions;
        },
      }),
    ],
    controllers,
  })
  class EnvAppModule {}
  return { module: EnvAppModule };
}

/** What starting `module` fails with (compile and init). */
async function startupError(module: DynamicModule): Promise<OAuthConfigError> {
  let error: unknown;
  try {
    const ref = await Test.createTestingModule({ imports: [module] }).compile();
    const app = ref.createNestApplication({ logger: false });
    try {
      await app.init();
    } finally {
      await app.close().catch(() => undefined);
    }
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(OAuthConfigError);
  return error as OAuthConfigError;
}

describe.each(PLATFORMS)('configuration from the environment only, on %s', (platform) => {
  let app: StartedApp;
  let issuer: string;

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    app = await withEnv(
      {
        OAUTH2_PROVIDER_ISSUER: issuer,
        OAUTH2_PROVIDER_KEYS: `${pem('ec')}\n${pem('rsa')}`,
        OAUTH2_PROVIDER_TOKEN_EXPIRES_IN: '120',
        OAUTH2_PROVIDER_SCOPES_SUPPORTED: 'openid, api:read, api:write',
        OAUTH2_PROVIDER_REQUIRE_PKCE: 'all',
        OAUTH2_PROVIDER_ERROR_URI: '/oauth/error',
        OAUTH2_PROVIDER_INTROSPECTION_ENDPOINT: 'false',
        OAUTH2_PROVIDER_JWKS_URI: '/keys.json',
        OAUTH2_PROVIDER_JWT_BEARER: 'true',
      },
      () => startApp(envApp({}, [EndpointsWithoutIntrospection]), platform, (b) => b, { port }),
    );
  });

  afterAll(() => app?.close());

  it('serves the metadata the settings describe', async () => {
    const metadata = (await (
      await fetch(`${issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/keys.json`,
      scopes_supported: ['openid', 'api:read', 'api:write'],
    });
    expect(metadata.introspection_endpoint).toBeUndefined();
    expect(metadata.grant_types_supported).toContain('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const jwks = (await (await fetch(`${issuer}/keys.json`)).json()) as { keys: { alg: string }[] };
    expect(jwks.keys.map((k) => k.alg)).toEqual(['ES256', 'RS256']);
    expect(app.app.get(OAuth2ServerService).issuer).toBe(issuer);
  });

  it('issues tokens with the configured lifetime, and sends untrusted errors to the error page', async () => {
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basicAuth('svc', SECRET) },
      body: 'grant_type=client_credentials&scope=api:read',
    });
    expect(await response.json()).toMatchObject({ expires_in: 120, scope: 'api:read' });
    const unknown = await fetch(`${issuer}/authorize?client_id=nobody&response_type=code`, {
      redirect: 'manual',
    });
    expect(unknown.status).toBe(303);
    expect(new URL(unknown.headers.get('location')!).pathname).toBe('/oauth/error');
  });
});

describe('start-up failures name the key and the fix', () => {
  const ISSUER = { OAUTH2_PROVIDER_ISSUER: 'http://127.0.0.1:4000' };

  it.each([
    [
      'an unknown option',
      { tokenExpiresInn: 60 },
      {},
      'tokenExpiresInn',
      /unknown option tokenExpiresInn: did you mean tokenExpiresIn\?/,
    ],
    [
      'an unknown OAUTH2_PROVIDER_ setting',
      {},
      { OAUTH2_PROVIDER_TOKEN_EXPIRE_IN: '60' },
      'OAUTH2_PROVIDER_TOKEN_EXPIRE_IN',
      /did you mean OAUTH2_PROVIDER_TOKEN_EXPIRES_IN\?/,
    ],
    [
      'a lifetime that is not a number',
      {},
      { OAUTH2_PROVIDER_TOKEN_EXPIRES_IN: 'soon' },
      'OAUTH2_PROVIDER_TOKEN_EXPIRES_IN',
      /must be a whole number of seconds greater than 0/,
    ],
    [
      'a lifetime of 0 in code',
      { codeExpiresIn: 0 },
      {},
      'codeExpiresIn',
      /codeExpiresIn must be a whole number of seconds greater than 0/,
    ],
    [
      'keys that are no PEM nor JWK',
      {},
      { OAUTH2_PROVIDER_KEYS: 'not a key' },
      'OAUTH2_PROVIDER_KEYS',
      /must be a list of private keys/,
    ],
    [
      'a public key as a signing key',
      {},
      {
        OAUTH2_PROVIDER_KEYS: generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
      },
      'OAUTH2_PROVIDER_KEYS',
      /OAUTH2_PROVIDER_KEYS holds a key that cannot sign ID tokens/,
    ],
    [
      'an http issuer that is not local',
      {},
      { OAUTH2_PROVIDER_ISSUER: 'http://auth.example.com' },
      'OAUTH2_PROVIDER_ISSUER',
      /issuer must be an https URL/,
    ],
    [
      'a missing issuer',
      {},
      { OAUTH2_PROVIDER_ISSUER: '' },
      'issuer',
      /issuer is missing: set issuer or OAUTH2_PROVIDER_ISSUER/,
    ],
    [
      'a token generator named in config',
      {},
      { OAUTH2_PROVIDER_TOKEN_GENERATOR: 'my.module.make_token' },
      'OAUTH2_PROVIDER_TOKEN_GENERATOR',
      /it names a function: set tokenGenerator in code/,
    ],
    [
      'an unknown PKCE policy',
      {},
      { OAUTH2_PROVIDER_REQUIRE_PKCE: 'sometimes' },
      'OAUTH2_PROVIDER_REQUIRE_PKCE',
      /must be 'public' or 'all'/,
    ],
    [
      'a JWT bearer getUser that is not a function',
      { jwtBearer: { getUser: 'alice' } },
      {},
      'jwtBearer',
      /jwtBearer must be true, false, or \{ getUser\(subject, client, claims\) \}/,
    ],
    [
      'a token endpoint turned off',
      { endpoints: { token: false } },
      {},
      'endpoints.token',
      /endpoints.token cannot be turned off/,
    ],
    [
      'an issuer path a router would read as a parameter',
      {},
      { OAUTH2_PROVIDER_ISSUER: 'http://127.0.0.1:4000/tenant:one' },
      'issuer',
      /cannot serve \/\.well-known\/oauth-authorization-server\/tenant:one \(from issuer\)/,
    ],
    [
      'a storage that is not one',
      { storage: { getClient() {} } },
      {},
      'storage',
      /storage is not an OAuth2ServerStorage \(no saveToken, getToken, revokeToken\)/,
    ],
    [
      'a storage provider that does not exist',
      { storage: { useExisting: 'NO_SUCH_STORAGE' } },
      {},
      'storage',
      /storage.useExisting names no provider \(NO_SUCH_STORAGE\)/,
    ],
  ])('%s', async (_case, options, env, key, message) => {
    const error = await withEnv({ ...ISSUER, ...env }, () =>
      startupError(envApp(options as Partial<OAuth2ServerModuleOptions>)),
    );
    expect(error.key).toBe(key);
    expect(error.message).toMatch(message);
  });

  it('accepts Flask-OAuthlib snake_case keys', async () => {
    const ref = await withEnv(ISSUER, () =>
      Test.createTestingModule({
        imports: [envApp({ token_expires_in: 99 } as Partial<OAuth2ServerModuleOptions>)],
      }).compile(),
    );
    const app = await ref.createNestApplication({ logger: false }).init();
    expect(app.get(OAuth2ServerService).server).toBeDefined();
    await app.close();
  });

  @Injectable()
  class NeedsRepository {
    constructor(@Inject('USER_REPOSITORY') readonly repository: unknown) {}
  }

  it('a storage class Nest cannot build', async () => {
    const error = await withEnv(ISSUER, () =>
      startupError(envApp({ storage: NeedsRepository as never })),
    );
    expect(error.key).toBe('storage');
    expect(error.message).toMatch(/storage NeedsRepository could not be built/);
  });

  @Controller('oauth')
  class MisplacedToken {
    @Post('token') @TokenEndpoint() token() {}
  }

  it('a decorated route that is not where the metadata says', async () => {
    const error = await withEnv(ISSUER, () => startupError(envApp({}, [MisplacedToken])));
    expect(error.key).toBe('endpoints.token');
    expect(error.message).toMatch(
      /@TokenEndpoint\(\) is on MisplacedToken.token at \/oauth\/token, but the metadata advertises \/token: set endpoints.token to '\/oauth\/token'/,
    );
  });

  @Controller()
  class NoRevoke {
    @Get('authorize') @AuthorizeEndpoint() consent() {}
    @Post('token') @TokenEndpoint() token() {}
    @Post('introspect') @IntrospectEndpoint() introspect() {}
  }

  it('an advertised endpoint no route serves', async () => {
    const error = await withEnv(ISSUER, () => startupError(envApp({}, [NoRevoke])));
    expect(error.key).toBe('endpoints.revocation');
    expect(error.message).toMatch(
      /advertises the revocation endpoint at \/revoke, but no route has @RevokeEndpoint\(\): add @Post\('revoke'\) @RevokeEndpoint\(\), or set endpoints.revocation: false/,
    );
  });

  it('a decorated route for an endpoint turned off', async () => {
    const error = await withEnv(
      { ...ISSUER, OAUTH2_PROVIDER_INTROSPECTION_ENDPOINT: 'false' },
      () => startupError(envApp({}, [Endpoints])),
    );
    expect(error.key).toBe('endpoints.introspection');
    expect(error.message).toMatch(
      /@IntrospectEndpoint\(\) is on Endpoints.introspect, but endpoints.introspection is false/,
    );
  });

  @Controller()
  class TokenOnGet {
    @Get('authorize') @AuthorizeEndpoint() consent() {}
    @Get('token') @TokenEndpoint() token() {}
  }

  it('a token endpoint on a GET route', async () => {
    const error = await withEnv(ISSUER, () =>
      startupError(
        envApp({ endpoints: { revocation: false, introspection: false } }, [TokenOnGet]),
      ),
    );
    expect(error.key).toBe('endpoints.token');
    expect(error.message).toMatch(
      /@TokenEndpoint\(\) on TokenOnGet.token must be on a @Post\(\) route/,
    );
  });

  it('a token endpoint whose handler takes the response itself', () => {
    expect(() => {
      @Controller()
      class OwnResponse {
        @Post('token') @TokenEndpoint() token(@Res() _res: unknown) {}
      }
      return OwnResponse;
    }).toThrow(
      /@TokenEndpoint\(\) on OwnResponse.token answers the request itself: remove @Res\(\)/,
    );
  });
});
