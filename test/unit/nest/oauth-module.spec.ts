import { Controller, Get, Inject, Injectable, Module, UseGuards } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  OAuth1App,
  OAuth2App,
  OAuthCallbackGuard,
  OAuthClient,
  OAuthClientNotFoundError,
  OAuthLoginGuard,
  OAuthConfigError,
  OAuthModule,
  OAuthService,
  getOAuthClientToken,
  type OAuthModuleOptions,
  type OAuthOptionsFactory,
} from '../../../lib/index.js';
import { OAuth2Client } from '../../../lib/core/oauth2/oauth2-client.js';
import { RecordingLogger } from '../../fixtures/nest-apps/start-app.js';

const github = {
  clientId: 'gh-id',
  clientSecret: 'gh-secret',
  accessTokenUrl: 'https://github.com/login/oauth/access_token',
  authorizeUrl: 'https://github.com/login/oauth/authorize',
  apiBaseUrl: 'https://api.github.com/',
};
const twitter = {
  clientId: 'tw-id',
  clientSecret: 'tw-secret',
  requestTokenUrl: 'https://api.twitter.com/oauth/request_token',
  accessTokenUrl: 'https://api.twitter.com/oauth/access_token',
  authorizeUrl: 'https://api.twitter.com/oauth/authenticate',
};
const SECRET = 'unit-secret-0123456789abcdef0123456789';

@Injectable()
class GithubUser {
  constructor(@OAuthClient('github') readonly github: OAuth2App) {}
}

async function compile(imports: any[], providers: any[] = []) {
  const logger = new RecordingLogger();
  const moduleRef = await Test.createTestingModule({ imports, providers })
    .setLogger(logger)
    .compile();
  return { moduleRef, logger };
}

async function startupError(imports: any[]): Promise<Error> {
  try {
    const { moduleRef } = await compile(imports);
    await moduleRef.close();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected start-up to fail');
}

describe('OAuthModule.forRoot', () => {
  it('registers one app per client, injectable by name, and OAuthService', async () => {
    const { moduleRef } = await compile(
      [OAuthModule.forRoot({ secret: SECRET, clients: { github, twitter } })],
      [GithubUser],
    );
    const oauth = moduleRef.get(OAuthService);
    expect(oauth.names()).toEqual(['github', 'twitter']);
    const app = oauth.client('github');
    expect(app).toBeInstanceOf(OAuth2App);
    expect(app.kind).toBe('oauth2');
    expect((app as OAuth2App).client).toBeInstanceOf(OAuth2Client);
    expect(oauth.client('twitter')).toBeInstanceOf(OAuth1App);
    expect(moduleRef.get(GithubUser).github).toBe(app);
    expect(moduleRef.get(getOAuthClientToken('twitter'))).toBe(oauth.client('twitter'));
    expect(getOAuthClientToken('github')).toBe('OAuthClient(github)');
    expect(oauth.oauth2('github')).toBe(app);
    expect(() => oauth.oauth2('twitter')).toThrow(TypeError);
    expect(() => oauth.oauth1('github')).toThrow('OAuth client "github" is an OAuth 2 client');
    await moduleRef.close();
  });

  it('throws a named error for an unknown client', async () => {
    const { moduleRef } = await compile([
      OAuthModule.forRoot({ secret: SECRET, clients: { github } }),
    ]);
    const oauth = moduleRef.get(OAuthService);
    expect(oauth.has('gitlab')).toBe(false);
    expect(() => oauth.client('gitlab')).toThrow(OAuthClientNotFoundError);
    expect(() => oauth.client('gitlab')).toThrow(
      'OAuth client "gitlab" is not registered (registered: github)',
    );
    await moduleRef.close();
  });

  it('builds the core client once, and calls complianceFix with it', async () => {
    const fixes: unknown[] = [];
    const { moduleRef } = await compile([
      OAuthModule.forRoot({
        secret: SECRET,
        clients: { github: { ...github, complianceFix: (client) => void fixes.push(client) } },
      }),
    ]);
    const app = moduleRef.get(OAuthService).client<OAuth2App>('github');
    expect(fixes).toEqual([app.client]);
    await moduleRef.close();
  });

  it('is global by default, and not with isGlobal: false', async () => {
    @Module({ providers: [GithubUser] })
    class FeatureModule {}
    const global = await compile([
      OAuthModule.forRoot({ secret: SECRET, clients: { github } }),
      FeatureModule,
    ]);
    expect(global.moduleRef.get(GithubUser).github).toBeInstanceOf(OAuth2App);
    await global.moduleRef.close();
    const error = await startupError([
      OAuthModule.forRoot({ secret: SECRET, clients: { github }, isGlobal: false }),
      FeatureModule,
    ]);
    expect(error.message).toContain('OAuthClient(github)');
  });

  it('fails at start-up naming the client and the key', async () => {
    const { clientId: _omit, ...noId } = github;
    const error = await startupError([
      OAuthModule.forRoot({ secret: SECRET, clients: { github: noId } }),
    ]);
    expect(error).toBeInstanceOf(OAuthConfigError);
    expect(error.message).toBe(
      'OAuth client "github" is missing clientId: set clients.github.clientId or GITHUB_CLIENT_ID',
    );
    expect(() => OAuthModule.forRoot({ clients: { 'bad name': github } })).toThrow(
      OAuthConfigError,
    );
  });

  it('warns once at start-up when there is no secret (and no cache)', async () => {
    const { moduleRef, logger } = await compile([OAuthModule.forRoot({ clients: { github } })]);
    const warnings = logger.lines.filter((l) => l.level === 'warn' && l.context === 'OAuthModule');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain('no secret is configured for the OAuth state cookie');
    expect(warnings[0].message).toContain('OAUTH_SECRET');
    await moduleRef.close();
    const quiet = await compile([OAuthModule.forRoot({ secret: SECRET, clients: { github } })]);
    expect(quiet.logger.text()).not.toContain('no secret');
    await quiet.moduleRef.close();
  });

  it('lets tests replace a client with overrideProvider(getOAuthClientToken(name))', async () => {
    const fake = { get: async () => new Response('{"login":"octocat"}') };
    const moduleRef = await Test.createTestingModule({
      imports: [OAuthModule.forRoot({ secret: SECRET, clients: { github } })],
      providers: [GithubUser],
    })
      .overrideProvider(getOAuthClientToken('github'))
      .useValue(fake)
      .compile();
    expect(moduleRef.get(GithubUser).github).toBe(fake);
    await moduleRef.close();
  });
});

describe('configuration from ConfigService only', () => {
  const env = {
    GITHUB_CLIENT_ID: 'env-gh-id',
    GITHUB_CLIENT_SECRET: 'env-gh-secret',
    GITHUB_ACCESS_TOKEN_URL: 'https://github.com/login/oauth/access_token',
    GITHUB_AUTHORIZE_URL: 'https://github.com/login/oauth/authorize',
    GITHUB_API_BASE_URL: 'https://api.github.com/',
    GITHUB_CLIENT_KWARGS: '{"scope":"read:user user:email"}',
    OAUTH_SECRET: 'secret-from-config-0123456789abcdef',
  };

  it('fills every key from a global ConfigModule (forRoot, `load` factory)', async () => {
    const { moduleRef, logger } = await compile([
      ConfigModule.forRoot({
        ignoreEnvFile: true,
        ignoreEnvVars: true,
        isGlobal: true,
        load: [() => env],
      }),
      OAuthModule.forRoot({ clients: { github: {} } }),
    ]);
    const app = moduleRef.get(OAuthService).client<OAuth2App>('github');
    expect(app.options).toMatchObject({
      clientId: 'env-gh-id',
      clientSecret: 'env-gh-secret',
      accessTokenUrl: env.GITHUB_ACCESS_TOKEN_URL,
      authorizeUrl: env.GITHUB_AUTHORIZE_URL,
      clientKwargs: { scope: 'read:user user:email' },
    });
    expect(app.client.scope).toBe('read:user user:email');
    expect(logger.text()).not.toContain('no secret'); // OAUTH_SECRET came from config
    await moduleRef.close();
  });

  it('reads the environment with a ConfigModule that is not global (forRoot)', async () => {
    Object.assign(process.env, env);
    try {
      const { moduleRef, logger } = await compile([
        ConfigModule.forRoot({ ignoreEnvFile: true }),
        OAuthModule.forRoot({ clients: { github: {} } }),
      ]);
      const app = moduleRef.get(OAuthService).client<OAuth2App>('github');
      expect(app.options.clientId).toBe('env-gh-id');
      expect(app.client.scope).toBe('read:user user:email');
      expect(logger.text()).not.toContain('no secret');
      await moduleRef.close();
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
    }
  });

  it('reads nothing from the environment without any ConfigModule', async () => {
    process.env.GITHUB_CLIENT_ID = 'leaked-from-env';
    try {
      const error = await startupError([
        OAuthModule.forRoot({ secret: SECRET, clients: { github: {} } }),
      ]);
      expect(error.message).toBe(
        'OAuth client "github" is missing clientId: set clients.github.clientId or GITHUB_CLIENT_ID',
      );
    } finally {
      delete process.env.GITHUB_CLIENT_ID;
    }
  });

  it('reads process.env through ConfigService too (forRootAsync imports)', async () => {
    process.env.ENVONLY_CLIENT_ID = 'process-env-id';
    process.env.ENVONLY_SERVER_METADATA_URL = 'https://op.example/.well-known/openid-configuration';
    try {
      const { moduleRef } = await compile([
        ConfigModule.forRoot({ ignoreEnvFile: true }),
        OAuthModule.forRootAsync({
          clients: ['envonly'],
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({ secret: config.get('NOPE') ?? SECRET }),
        }),
      ]);
      const app = moduleRef.get<OAuth2App>(getOAuthClientToken('envonly'));
      expect(app.options.clientId).toBe('process-env-id');
      expect(app.usesDiscovery).toBe(true);
      await moduleRef.close();
    } finally {
      delete process.env.ENVONLY_CLIENT_ID;
      delete process.env.ENVONLY_SERVER_METADATA_URL;
    }
  });

  it('fails at start-up on malformed JSON, naming the key', async () => {
    const error = await startupError([
      ConfigModule.forRoot({
        ignoreEnvFile: true,
        ignoreEnvVars: true,
        isGlobal: true,
        load: [() => ({ ...env, GITHUB_CLIENT_KWARGS: '{scope:' })],
      }),
      OAuthModule.forRoot({ clients: { github: {} } }),
    ]);
    expect(error.message).toBe('OAuth client "github": GITHUB_CLIENT_KWARGS is not valid JSON');
  });

  it('prefers code values unless the client says overwrite: true', async () => {
    const { moduleRef } = await compile([
      ConfigModule.forRoot({
        ignoreEnvFile: true,
        ignoreEnvVars: true,
        isGlobal: true,
        load: [() => env],
      }),
      OAuthModule.forRoot({
        clients: { github: { clientId: 'code-id' }, other: { ...github, clientId: 'x' } },
      }),
    ]);
    expect(moduleRef.get(OAuthService).client('github').options.clientId).toBe('code-id');
    await moduleRef.close();
    const overwritten = await compile([
      ConfigModule.forRoot({
        ignoreEnvFile: true,
        ignoreEnvVars: true,
        isGlobal: true,
        load: [() => env],
      }),
      OAuthModule.forRoot({ clients: { github: { clientId: 'code-id', overwrite: true } } }),
    ]);
    expect(overwritten.moduleRef.get(OAuthService).client('github').options.clientId).toBe(
      'env-gh-id',
    );
    await overwritten.moduleRef.close();
  });
});

describe('OAuthModule.forRootAsync', () => {
  @Injectable()
  class OptionsFactory implements OAuthOptionsFactory {
    createOAuthOptions(): OAuthModuleOptions {
      return { secret: SECRET, clients: { github, twitter } };
    }
  }

  @Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
  class OptionsModule {}

  it('useFactory: static names get DI providers, extra factory clients are reachable via OAuthService', async () => {
    const { moduleRef } = await compile(
      [
        OAuthModule.forRootAsync({
          clients: ['github'],
          imports: [
            ConfigModule.forRoot({
              ignoreEnvFile: true,
              ignoreEnvVars: true,
              load: [() => ({ SCOPE: 'repo' })],
            }),
          ],
          inject: [ConfigService],
          useFactory: async (config: ConfigService) => ({
            secret: SECRET,
            clients: {
              github: { ...github, clientKwargs: { scope: config.get('SCOPE') } },
              twitter,
            },
          }),
        }),
      ],
      [GithubUser],
    );
    const oauth = moduleRef.get(OAuthService);
    expect(oauth.names()).toEqual(['github', 'twitter']);
    expect(moduleRef.get(GithubUser).github.client.scope).toBe('repo');
    expect(oauth.client('twitter')).toBeInstanceOf(OAuth1App);
    expect(() => moduleRef.get(getOAuthClientToken('twitter'))).toThrow();
    await moduleRef.close();
  });

  it('useClass', async () => {
    const { moduleRef } = await compile(
      [OAuthModule.forRootAsync({ clients: ['github', 'twitter'], useClass: OptionsFactory })],
      [GithubUser],
    );
    expect(moduleRef.get(GithubUser).github.options.clientId).toBe('gh-id');
    expect(moduleRef.get(getOAuthClientToken('twitter'))).toBeInstanceOf(OAuth1App);
    await moduleRef.close();
  });

  it('useExisting', async () => {
    const { moduleRef } = await compile(
      [
        OAuthModule.forRootAsync({
          clients: ['github'],
          imports: [OptionsModule],
          useExisting: OptionsFactory,
        }),
      ],
      [GithubUser],
    );
    expect(moduleRef.get(GithubUser).github.options.clientId).toBe('gh-id');
    expect(moduleRef.get(OAuthService).names()).toEqual(['github', 'twitter']);
    await moduleRef.close();
  });

  it('a static name the factory does not configure falls back to config, else fails naming it', async () => {
    const error = await startupError([
      OAuthModule.forRootAsync({
        clients: ['github', 'gitlab'],
        useFactory: () => ({ secret: SECRET, clients: { github } }),
      }),
    ]);
    expect(error.message).toBe(
      'OAuth client "gitlab" is missing clientId: set clients.gitlab.clientId or GITLAB_CLIENT_ID',
    );
  });

  it('isGlobal: false keeps the clients in the importing module', async () => {
    @Module({ providers: [GithubUser] })
    class FeatureModule {}
    const error = await startupError([
      OAuthModule.forRootAsync({ clients: ['github'], useClass: OptionsFactory, isGlobal: false }),
      FeatureModule,
    ]);
    expect(error.message).toContain('OAuthClient(github)');
  });

  it('refuses a factory that returns nothing', async () => {
    const error = await startupError([
      OAuthModule.forRootAsync({ useFactory: () => undefined as unknown as OAuthModuleOptions }),
    ]);
    expect(error).toBeInstanceOf(OAuthConfigError);
  });
});

describe('start-up checks of the Nest layer', () => {
  async function initError(
    controller: new () => unknown,
    oauth = { secret: SECRET, clients: { github } },
  ) {
    @Module({ imports: [OAuthModule.forRoot(oauth)], controllers: [controller] })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .setLogger(new RecordingLogger())
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
    } catch (err) {
      return err as Error;
    } finally {
      await app.close().catch(() => undefined);
    }
    throw new Error('expected start-up to fail');
  }

  it.each([
    ['OAuthLoginGuard', OAuthLoginGuard],
    ['OAuthCallbackGuard', OAuthCallbackGuard],
  ] as const)(
    '%s naming a client that is not registered fails at start-up, naming it',
    async (guard, factory) => {
      @Controller()
      class TypoController {
        @Get('x') @UseGuards(factory('gihub')) x() {}
      }
      const error = await initError(TypoController);
      expect(error).toBeInstanceOf(OAuthConfigError);
      expect(error.message).toBe(
        `${guard}('gihub') names an OAuth client that is not registered (registered: github)`,
      );
    },
  );

  it('an extended guard is checked the same way', async () => {
    @Injectable()
    class MyLogin extends OAuthLoginGuard('gitlab') {}
    @Controller()
    class ExtendedController {
      @Get('x') @UseGuards(MyLogin) x() {}
    }
    expect((await initError(ExtendedController)).message).toContain("OAuthLoginGuard('gitlab')");
  });

  it('refuses a weak secret at start-up, naming OAUTH_SECRET and how to make one', async () => {
    const error = await startupError([
      OAuthModule.forRoot({ secret: 'changeme', clients: { github } }),
    ]);
    expect(error).toBeInstanceOf(OAuthConfigError);
    expect(error.message).toContain('OAUTH_SECRET');
    expect(error.message).toContain('openssl rand -base64 32');
  });

  it('refuses an unknown module option, naming the nearest one', async () => {
    const error = await startupError([
      OAuthModule.forRoot({
        secret: SECRET,
        clients: { github },
        fetchTokens: () => undefined,
      } as never),
    ]);
    expect(error.message).toBe(
      'OAuth module: unknown option OAuthModule options.fetchTokens: did you mean fetchToken?',
    );
  });
});

// Keep a reference so the decorator metadata of Inject is not tree-shaken by the transpiler.
void Inject;
