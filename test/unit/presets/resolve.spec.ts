// Every preset is accepted by the module's start-up validation, with only the client id from config.
import { generateKeyPairSync } from 'node:crypto';
import { toConfigKey } from '../../../lib/config/config-keys.js';
import { resolveClientOptions } from '../../../lib/config/resolve-client-options.js';
import { OAuthConfigError } from '../../../lib/errors/oauth-config.error.js';
import { presets } from '../../../lib/presets/index.js';

const appleKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

const all = {
  apple: presets.apple({ teamId: 'TEAM123456', keyId: 'KEY1234567', privateKey: appleKey }),
  discord: presets.discord(),
  facebook: presets.facebook(),
  github: presets.github(),
  gitlab: presets.gitlab(),
  google: presets.google({ offline: true }),
  linkedin: presets.linkedin(),
  microsoft: presets.microsoft({ tenant: 'organizations' }),
  sso: presets.oidc({ issuer: 'https://sso.example.com/realms/main' }),
  twitter: presets.twitter(),
  x: presets.x(),
};

describe('presets through resolveClientOptions', () => {
  it.each(Object.entries(all))('%s resolves with {NAME}_CLIENT_ID from config', (name, options) => {
    const config: Record<string, string> = {
      [toConfigKey(name, 'clientId')]: `${name}-id`,
      [toConfigKey(name, 'clientSecret')]: `${name}-secret`,
    };
    const resolved = resolveClientOptions(name, options, (key) => config[key]);
    expect(resolved.clientId).toBe(`${name}-id`);
    expect(resolved.clientSecret).toBe(`${name}-secret`);
    expect(resolved.kind).toBe(name === 'twitter' ? 'oauth1' : 'oauth2');
    expect(resolved.profile).toBe(options.profile);
    expect(resolved.clientKwargs).toEqual(options.clientKwargs);
  });

  it('fails at start-up naming the config key when the client id is missing', () => {
    expect(() => resolveClientOptions('github', presets.github(), () => undefined)).toThrow(
      OAuthConfigError,
    );
    expect(() => resolveClientOptions('github', presets.github(), () => undefined)).toThrow(
      'GITHUB_CLIENT_ID',
    );
  });

  it('keeps LinkedIn without PKCE (codeChallengeMethod false survives validation)', () => {
    const resolved = resolveClientOptions('linkedin', presets.linkedin(), (key) =>
      key === 'LINKEDIN_CLIENT_ID' ? 'id' : undefined,
    );
    expect(resolved.codeChallengeMethod).toBe(false);
  });
});
