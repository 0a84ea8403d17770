/**
 * Configuration of resource protection in Nest (issue 14): OAuthResourceModule
 * forRoot / forRootAsync (useFactory, useClass, useExisting), OAuthModule's
 * `resource` key, `OAUTH_RESOURCE_*` config keys, an `OAUTH_ACCESS_TOKEN_LOOKUP`
 * provider, and every start-up error. Tokens are checked against a local test
 * issuer (metadata, JWK set, introspection on 127.0.0.1).
 */
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  OAUTH_ACCESS_TOKEN_LOOKUP,
  OAuthBearerException,
  OAuthConfigError,
  OAuthModule,
  OAuthResourceModule,
  OAuthResourceService,
  RequireOAuth,
  type OAuthResourceOptions,
  type OAuthResourceOptionsFactory,
} from '../../../lib/index.js';
import { RecordingLogger } from '../../fixtures/nest-apps/start-app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from '../server/resource/support.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer?.close();
});

@Controller()
class ProtectedController {
  @Get() @RequireOAuth('read') get() {}
}

/** Compiles and initializes an app (start-up hooks run). */
async function start(imports: any[], extra: { providers?: any[]; controllers?: any[] } = {}) {
  const logger = new RecordingLogger();
  const moduleRef = await Test.createTestingModule({ imports, ...extra })
    .setLogger(logger)
    .compile();
  await moduleRef.init();
  return { moduleRef, logger, service: moduleRef.get(OAuthResourceService) };
}

async function startupError(imports: any[], extra: Parameters<typeof start>[1] = {}) {
  let moduleRef: TestingModule | undefined;
  try {
    ({ moduleRef } = await start(imports, extra));
  } catch (err) {
    return err as Error;
  } finally {
    await moduleRef?.close();
  }
  throw new Error('expected start-up to fail');
}

const config = (values: Record<string, string>) =>
  ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: [() => values] });

describe('OAuthResourceModule', () => {
  it('forRoot({ issuer, audience }): JWT access tokens of the issuer', async () => {
    const { service, moduleRef } = await start([
      OAuthResourceModule.forRoot({ issuer: issuer.issuer, audience: AUDIENCE }),
    ]);
    const principal = await service.verifyToken(await issuer.mint(), ['read']);
    expect(principal).toMatchObject({ sub: 'alice', clientId: 'app', source: 'jwt' });
    expect(service.protector.realm).toBe('api');
    await moduleRef.close();
  });

  @Injectable()
  class ResourceOptions implements OAuthResourceOptionsFactory {
    createOAuthResourceOptions(): OAuthResourceOptions {
      return { serverMetadataUrl: issuer.metadataUrl, audience: [AUDIENCE], realm: 'factory' };
    }
  }
  @Module({ providers: [ResourceOptions], exports: [ResourceOptions] })
  class OptionsModule {}

  it.each([
    [
      'useFactory + ConfigService',
      () =>
        OAuthResourceModule.forRootAsync({
          useFactory: (c: ConfigService) => ({
            issuer: c.get('AUTH_ISSUER'),
            audience: AUDIENCE,
            realm: 'factory',
          }),
          inject: [ConfigService],
        }),
    ],
    ['useClass', () => OAuthResourceModule.forRootAsync({ useClass: ResourceOptions })],
    [
      'useExisting',
      () =>
        OAuthResourceModule.forRootAsync({
          imports: [OptionsModule],
          useExisting: ResourceOptions,
        }),
    ],
  ])('forRootAsync %s', async (_name, make) => {
    const { service, moduleRef } = await start([config({ AUTH_ISSUER: issuer.issuer }), make()]);
    expect(service.protector.realm).toBe('factory');
    expect((await service.verifyToken(await issuer.mint())).sub).toBe('alice');
    await moduleRef.close();
  });

  it('ConfigService only: OAUTH_RESOURCE_ISSUER, _AUDIENCE (a list), _REALM, _TIMEOUT', async () => {
    const { service, moduleRef } = await start([
      config({
        OAUTH_RESOURCE_ISSUER: issuer.issuer,
        OAUTH_RESOURCE_AUDIENCE: 'https://other.example.com, https://api.example.com',
        OAUTH_RESOURCE_REALM: 'from-env',
        OAUTH_RESOURCE_TIMEOUT: '2000',
      }),
      OAuthResourceModule.forRoot(),
    ]);
    expect(service.protector.realm).toBe('from-env');
    expect((await service.verifyToken(await issuer.mint())).sub).toBe('alice');
    await moduleRef.close();
  });

  it('OAUTH_RESOURCE_AUDIENCE as a JSON list; code wins over config', async () => {
    const { service, moduleRef } = await start([
      config({
        OAUTH_RESOURCE_ISSUER: 'https://not-used.example.com',
        OAUTH_RESOURCE_AUDIENCE: `["${AUDIENCE}"]`,
      }),
      OAuthResourceModule.forRoot({ issuer: issuer.issuer }),
    ]);
    expect((await service.verifyToken(await issuer.mint())).sub).toBe('alice');
    await moduleRef.close();
  });

  it('introspection turned on by OAUTH_RESOURCE_INTROSPECTION_CLIENT_ID and _SECRET', async () => {
    const { service, moduleRef } = await start([
      config({
        OAUTH_RESOURCE_INTROSPECTION_CLIENT_ID: 'my-api',
        OAUTH_RESOURCE_INTROSPECTION_CLIENT_SECRET: 'my-api-secret',
      }),
      OAuthResourceModule.forRoot({ issuer: issuer.issuer, audience: AUDIENCE, jwt: false }),
    ]);
    issuer.introspection.body = {
      active: true,
      token_type: 'Bearer',
      scope: 'read',
      client_id: 'app',
      aud: AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    expect(await service.verifyToken('opaque-token', ['read'])).toMatchObject({
      clientId: 'app',
      source: 'introspection',
    });
    const authorization = issuer.server.last('/introspect')!.headers.authorization!;
    expect(Buffer.from(authorization.slice(6), 'base64').toString()).toBe('my-api:my-api-secret');
    await moduleRef.close();
  });

  it('several issuers: each jwt entry its own issuer, the audience shared', async () => {
    const other = await startTestIssuer();
    try {
      const { service, moduleRef } = await start([
        OAuthResourceModule.forRoot({
          audience: AUDIENCE,
          jwt: [{ issuer: issuer.issuer }, { serverMetadataUrl: other.metadataUrl }],
        }),
      ]);
      expect((await service.verifyToken(await issuer.mint())).claims.iss).toBe(issuer.issuer);
      expect((await service.verifyToken(await other.mint())).claims.iss).toBe(other.issuer);
      expect(service.protector.validators).toHaveLength(2);
      await moduleRef.close();
    } finally {
      await other.close();
    }
  });

  it('an OAUTH_ACCESS_TOKEN_LOOKUP provider anywhere turns the storage validator on; storage: false ignores it', async () => {
    const lookup = (token: string) =>
      token === 'stored-token'
        ? { clientId: 'app', sub: 'bob', scope: 'read', expiresAt: Date.now() / 1000 + 60 }
        : undefined;
    const providers = [{ provide: OAUTH_ACCESS_TOKEN_LOOKUP, useValue: lookup }];
    const { service, moduleRef } = await start([OAuthResourceModule.forRoot()], { providers });
    expect(await service.verifyToken('stored-token', ['read'])).toMatchObject({
      sub: 'bob',
      source: 'storage',
    });
    await moduleRef.close();
    const err = await startupError([OAuthResourceModule.forRoot({ storage: false })], {
      providers,
      controllers: [ProtectedController],
    });
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect(err.message).toMatch(/^OAuth resource server: no way to validate tokens is configured/);
  });

  it('a lookup that throws: 500 server_error, logged by class only (never the message, which may hold the token)', async () => {
    const lookup = (token: string) => {
      throw new Error(`database refused ${token}`);
    };
    const { service, moduleRef, logger } = await start([OAuthResourceModule.forRoot()], {
      providers: [{ provide: OAUTH_ACCESS_TOKEN_LOOKUP, useValue: lookup }],
    });
    const err = await service.verifyToken('secret-token-value').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthBearerException);
    expect((err as OAuthBearerException).getStatus()).toBe(500);
    expect((err as OAuthBearerException).getResponse()).toEqual({
      error: 'server_error',
      error_description: 'The access token could not be validated',
    });
    expect(logger.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'bearer token not validated (500): Error',
    ]);
    expect(logger.text()).not.toContain('secret-token-value');
    await moduleRef.close();
  });
});

describe('OAuthModule.forRoot({ resource })', () => {
  it('configures resource protection; the module’s fetch and timeout are the defaults', async () => {
    let calls = 0;
    const fetch: typeof globalThis.fetch = (input, init) => {
      calls++;
      return globalThis.fetch(input, init);
    };
    const { service, moduleRef } = await start([
      OAuthModule.forRoot({
        fetch,
        timeout: 4000,
        resource: { server_metadata_url: issuer.metadataUrl, audience: AUDIENCE } as never,
      }),
    ]);
    expect((await service.verifyToken(await issuer.mint())).sub).toBe('alice');
    expect(calls).toBeGreaterThanOrEqual(2); // metadata and JWK set
    await moduleRef.close();
  });

  it('without resource (and no config): the clients work, @RequireOAuth fails at start-up naming the fix', async () => {
    const err = await startupError([OAuthModule.forRoot({})], {
      controllers: [ProtectedController],
    });
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect(err.message).toBe(
      '@RequireOAuth() / OAuthBearerGuard has no way to validate tokens: set OAuthModule.forRoot({ resource: { issuer, audience } }) ' +
        '(or OAUTH_RESOURCE_ISSUER and OAUTH_RESOURCE_AUDIENCE), import OAuthResourceModule.forRoot(...), or provide OAUTH_ACCESS_TOKEN_LOOKUP',
    );
  });

  it('configured in both modules: refused at start-up', async () => {
    const resource = { issuer: issuer.issuer, audience: AUDIENCE };
    const err = await startupError([
      OAuthModule.forRoot({ resource }),
      OAuthResourceModule.forRoot(resource),
    ]);
    expect(err.message).toBe(
      'OAuth resource server: configured twice (OAuthResourceModule and resource): keep one',
    );
  });
});

describe('start-up errors name the key and the fix', () => {
  it('@RequireOAuth without any module: the guard says which module to import', async () => {
    const err = await startupError([], { controllers: [ProtectedController] });
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect(err.message).toMatch(
      /^@RequireOAuth\(\) \/ OAuthBearerGuard needs resource protection: import/,
    );
  });

  it.each<[string, OAuthResourceOptions | undefined, Record<string, string>, string]>([
    [
      'a key the module does not know',
      { introspectionEndpoint: 'x' } as never,
      {},
      'OAuth module: unknown option OAuthResourceModule.introspectionEndpoint: known keys are realm, issuer, serverMetadataUrl, audience, jwt, introspection, storage, validators, allowFormBody, maxTokenLength, fetch, timeout',
    ],
    [
      'an issuer without an audience',
      { issuer: 'https://auth.example.com' },
      {},
      "OAuth resource server: JWT access tokens need this API's audience: set OAuthResourceModule.audience or OAUTH_RESOURCE_AUDIENCE",
    ],
    [
      'introspection without an audience',
      { issuer: 'https://auth.example.com', jwt: false, introspection: { clientId: 'a' } },
      {},
      "OAuth resource server: introspection needs this API's audience: set OAuthResourceModule.audience or OAUTH_RESOURCE_AUDIENCE",
    ],
    [
      'a misspelled key',
      { issuer: 'https://auth.example.com', audiance: 'x' } as never,
      {},
      'OAuth module: unknown option OAuthResourceModule.audiance: did you mean audience?',
    ],
    [
      'a misspelled key of the JWT options',
      { issuer: 'https://auth.example.com', audience: 'x', jwt: { algorithm: ['RS256'] } } as never,
      {},
      'OAuth module: unknown option OAuthResourceModule.jwt.algorithm: did you mean algorithms?',
    ],
    [
      'an issuer that is not a URL, from config',
      undefined,
      { OAUTH_RESOURCE_ISSUER: 'auth.example.com', OAUTH_RESOURCE_AUDIENCE: 'x' },
      'OAuth resource server: OAUTH_RESOURCE_ISSUER is not a valid http(s) URL',
    ],
    [
      'a timeout that is not a number, from config',
      undefined,
      { OAUTH_RESOURCE_TIMEOUT: 'soon' },
      'OAuth resource server: OAUTH_RESOURCE_TIMEOUT must be a positive number of milliseconds',
    ],
    [
      'an empty audience list',
      { issuer: 'https://auth.example.com', audience: [] },
      {},
      'OAuth resource server: OAuthResourceModule.audience must be a non-empty string or list of strings',
    ],
    [
      'only a realm: nothing to validate with',
      { realm: 'orders' },
      {},
      'OAuth resource server: no way to validate tokens is configured: set OAuthResourceModule.issuer or OAUTH_RESOURCE_ISSUER (JWT access tokens), OAuthResourceModule.introspection, or provide OAUTH_ACCESS_TOKEN_LOOKUP',
    ],
    [
      'introspection without credentials',
      { issuer: 'https://auth.example.com', audience: 'x', jwt: false, introspection: {} },
      {},
      'OAuth resource server: an introspection validator needs the clientId it authenticates with',
    ],
    [
      'a realm with a control character',
      { issuer: 'https://auth.example.com', audience: 'x', realm: 'a\nb' },
      {},
      'OAuth resource server: OAuthResourceModule.realm must be printable ASCII',
    ],
  ])('%s', async (_name, options, values, message) => {
    const err = await startupError([config(values), OAuthResourceModule.forRoot(options)]);
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect(err.message).toBe(message);
  });
});
