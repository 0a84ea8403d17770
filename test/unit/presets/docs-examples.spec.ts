/**
 * Runs the code blocks of docs/presets.md: each is written out as a module
 * (importing the library from lib/), type-checked with the project's
 * compiler options, then loaded and used: the module examples boot with
 * their keys from the environment, the profile example reads a user from a
 * GitHub fake through the injected client, the hand-written preset maps a
 * profile.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Test } from '@nestjs/testing';
import ts from 'typescript';
import { OAuthModule, OAuthService, type OAuth2App } from '../../../lib/index.js';
import { clientOptions } from '../../fixtures/provider-fakes/harness.js';
import {
  startProviderFakes,
  type ProviderFakes,
} from '../../fixtures/provider-fakes/fake-provider.js';
import { github } from '../../fixtures/provider-fakes/providers/developer.fixtures.js';

const OUT = resolve('test/.artifacts/docs-presets');
const blocks = [...readFileSync('docs/presets.md', 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map(
  (m) => m[1].replaceAll("from 'nestjs-oauth'", "from '../../../lib/index.js'"),
);
const files = blocks.map((code, i) => {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `block${i + 1}.ts`);
  writeFileSync(file, code);
  return file;
});
const load = (i: number) => import(files[i]) as Promise<Record<string, any>>;

function withEnv<T>(values: Record<string, string>, run: () => Promise<T>): Promise<T> {
  Object.assign(process.env, values);
  return run().finally(() => {
    for (const key of Object.keys(values)) delete process.env[key];
  });
}

describe('docs/presets.md code blocks', () => {
  let fakes: ProviderFakes;

  beforeAll(async () => {
    fakes = await startProviderFakes([github]);
  });

  afterAll(async () => {
    await fakes?.close();
  });

  it('has the four examples this test runs, and they type-check', () => {
    expect(blocks).toHaveLength(4);
    const { options } = ts.convertCompilerOptionsFromJson(
      JSON.parse(readFileSync('tsconfig.json', 'utf8')).compilerOptions,
      process.cwd(),
    );
    const program = ts.createProgram(files, { ...options, noEmit: true });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(resolve(d.file.fileName)))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  }, 60_000);

  it('the module example starts with its keys from the environment', async () => {
    const env: Record<string, string> = {
      OAUTH_SECRET: 'docs-presets-secret-0123456789abcdefghij',
    };
    for (const name of ['GITHUB', 'GOOGLE', 'MICROSOFT', 'OKTA', 'SSO']) {
      env[`${name}_CLIENT_ID`] = `${name.toLowerCase()}-id`;
      env[`${name}_CLIENT_SECRET`] = `${name.toLowerCase()}-secret`;
    }
    await withEnv(env, async () => {
      const { AppModule } = await load(0);
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      const oauth = moduleRef.get(OAuthService);
      expect(oauth.names().sort()).toEqual(['github', 'google', 'microsoft', 'okta', 'sso']);
      expect(oauth.client<OAuth2App>('okta').options.clientId).toBe('okta-id');
      await moduleRef.close();
    });
  });

  it('the profile example reads the user behind a token through the injected client', async () => {
    const { Accounts } = await load(1);
    const moduleRef = await Test.createTestingModule({
      imports: [
        OAuthModule.forRoot({
          secret: 'docs-presets-secret-0123456789abcdefghij',
          clients: { github: clientOptions(github, fakes) },
        }),
      ],
      providers: [Accounts],
    }).compile();
    const accounts = moduleRef.get(Accounts);
    const profile = await accounts.githubUser({ access_token: fakes.issueAccessToken('github') });
    expect(profile).toEqual({
      ...github.expected,
      raw: expect.objectContaining({ login: 'octocat' }),
    });
    await moduleRef.close();
  });

  it('the Apple example starts with its key from the environment', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await withEnv(
      {
        OAUTH_SECRET: 'docs-presets-secret-0123456789abcdefghij',
        APPLE_CLIENT_ID: 'com.example.web',
        APPLE_TEAM_ID: 'TEAM123456',
        APPLE_KEY_ID: 'KEY1234567',
        APPLE_PRIVATE_KEY: pem,
      },
      async () => {
        const { AppleLoginModule } = await load(2);
        const moduleRef = await Test.createTestingModule({ imports: [AppleLoginModule] }).compile();
        const apple = moduleRef.get(OAuthService).client<OAuth2App>('apple');
        expect(apple.options).toMatchObject({
          clientId: 'com.example.web',
          authorizeParams: { response_mode: 'form_post' },
        });
        expect(typeof (apple.options.clientKwargs as any).tokenEndpointAuthMethod).toBe('function');
        await moduleRef.close();
      },
    );
  });

  it('the hand-written preset maps a profile with a further call through the context', async () => {
    const { strava } = await load(3);
    const options = strava({ clientKwargs: { scope: 'read,activity:read' } });
    expect(options).toMatchObject({
      accessTokenUrl: 'https://www.strava.com/oauth/token',
      clientKwargs: { scope: 'read,activity:read', tokenEndpointAuthMethod: 'client_secret_post' },
    });
    const requested: string[] = [];
    const context = {
      name: 'strava',
      clientId: 'id',
      request: async (url: string) => {
        requested.push(url);
        return { heart_rate: { custom_zones: false } };
      },
    };
    const claims = await options.profile(
      { id: 134815, firstname: 'Marianne', lastname: 'T' },
      { access_token: 't' },
      context,
    );
    expect(claims).toEqual({
      sub: '134815',
      name: 'Marianne T',
      zones: { heart_rate: { custom_zones: false } },
    });
    expect(requested).toEqual(['https://www.strava.com/api/v3/athlete/zones']);
  });
});
