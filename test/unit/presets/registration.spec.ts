// Presets in the Nest module: a preset registered under another name reads that name's keys
// (Authlib's `github.register_to(oauth, name='github2')`), and presets work in forRootAsync.
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { OAuthModule, OAuthService, presets, type OAuth2App } from '../../../lib/index.js';

const SECRET = 'presets-registration-secret-0123456789abcdef';
const config = (values: Record<string, string>) =>
  ConfigModule.forRoot({
    ignoreEnvFile: true,
    ignoreEnvVars: true,
    isGlobal: true,
    load: [() => values],
  });

describe('presets registered in OAuthModule', () => {
  it('reads {NAME}_* for the name a preset is registered under (github2 → GITHUB2_*)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        config({
          GITHUB_CLIENT_ID: 'gh-id',
          GITHUB_CLIENT_SECRET: 'gh-secret',
          GITHUB2_CLIENT_ID: 'gh2-id',
          GITHUB2_CLIENT_SECRET: 'gh2-secret',
        }),
        OAuthModule.forRoot({
          secret: SECRET,
          clients: { github: presets.github(), github2: presets.github() },
        }),
      ],
    }).compile();
    const oauth = moduleRef.get(OAuthService);
    expect(oauth.client<OAuth2App>('github').options).toMatchObject({
      clientId: 'gh-id',
      clientSecret: 'gh-secret',
    });
    expect(oauth.client<OAuth2App>('github2').options).toMatchObject({
      clientId: 'gh2-id',
      clientSecret: 'gh2-secret',
    });
    expect(oauth.client<OAuth2App>('github2').options.accessTokenUrl).toBe(
      'https://github.com/login/oauth/access_token',
    );
    await moduleRef.close();
  });

  it("fails at start-up naming the registered name's key when it is missing", async () => {
    const compile = Test.createTestingModule({
      imports: [
        config({}),
        OAuthModule.forRoot({ secret: SECRET, clients: { corp: presets.github() } }),
      ],
    }).compile();
    await expect(compile).rejects.toThrow('CORP_CLIENT_ID');
  });

  it('builds presets in a forRootAsync factory from ConfigService', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        config({
          OKTA_DOMAIN: 'dev-123456.okta.com',
          OKTA_CLIENT_ID: 'okta-id',
          SHOPIFY_CLIENT_ID: 'shop-id',
        }),
        OAuthModule.forRootAsync({
          clients: ['okta', 'shopify'],
          inject: [ConfigService],
          useFactory: (cfg: ConfigService) => ({
            secret: SECRET,
            clients: {
              okta: presets.okta({ domain: cfg.get('OKTA_DOMAIN') }),
              shopify: presets.shopify({ shop: 'my-store' }),
            },
          }),
        }),
      ],
    }).compile();
    const oauth = moduleRef.get(OAuthService);
    expect(oauth.client<OAuth2App>('okta').options).toMatchObject({
      clientId: 'okta-id',
      serverMetadataUrl:
        'https://dev-123456.okta.com/oauth2/default/.well-known/openid-configuration',
    });
    expect(oauth.client<OAuth2App>('shopify').options.accessTokenUrl).toBe(
      'https://my-store.myshopify.com/admin/oauth/access_token',
    );
    await moduleRef.close();
  });

  it("every preset passes the module's start-up validation with only a client id configured", async () => {
    const { presetInfos } = await import('../../../scripts/presets-doc.js');
    const { generateKeyPairSync } = await import('node:crypto');
    const appleKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const clients: Record<string, unknown> = {};
    const values: Record<string, string> = {};
    for (const info of presetInfos()) {
      const example =
        info.name === 'apple' ? { ...info.example, privateKey: appleKey } : info.example;
      clients[info.name] = (presets as Record<string, (o?: object) => unknown>)[info.name](example);
      values[`${info.name.toUpperCase()}_CLIENT_ID`] = `${info.name}-id`;
    }
    const moduleRef = await Test.createTestingModule({
      imports: [config(values), OAuthModule.forRoot({ secret: SECRET, clients: clients as never })],
    }).compile();
    const oauth = moduleRef.get(OAuthService);
    expect(oauth.names()).toHaveLength(presetInfos().length);
    for (const info of presetInfos()) {
      const app = oauth.client(info.name);
      expect([info.name, app.kind]).toEqual([
        info.name,
        info.protocol === 'oauth1' ? 'oauth1' : 'oauth2',
      ]);
    }
    await moduleRef.close();
  });
});
