import {
  OAUTH1_PROVIDER_DEFAULTS,
  resolveOAuth1ServerSettings,
} from '../../../../lib/server/oauth1/index.js';

describe('resolveOAuth1ServerSettings', () => {
  it('has secure defaults: no PLAINTEXT, https only, hashed tokens, 256-bit tokens', () => {
    expect(resolveOAuth1ServerSettings()).toEqual({
      signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'RSA-SHA256'],
      enforceSsl: true,
      realms: [],
      timestampWindow: 300,
      tokenLength: 32,
      verifierLength: 16,
      requestTokenLifetime: 600,
      hashTokens: true,
      keyLength: [6, 256],
    });
    expect(Object.isFrozen(OAUTH1_PROVIDER_DEFAULTS)).toBe(true);
  });

  it('reads OAUTH1_PROVIDER_* values, which settings given in code override', () => {
    const env: Record<string, string> = {
      OAUTH1_PROVIDER_SIGNATURE_METHODS: 'HMAC-SHA256, PLAINTEXT',
      OAUTH1_PROVIDER_ENFORCE_SSL: 'false',
      OAUTH1_PROVIDER_ERROR_URI: 'https://provider.example/oauth/error',
      OAUTH1_PROVIDER_REALMS: 'photos profile',
      OAUTH1_PROVIDER_TIMESTAMP_WINDOW: '120',
      OAUTH1_PROVIDER_TOKEN_LENGTH: '48',
      OAUTH1_PROVIDER_VERIFIER_LENGTH: '8',
      OAUTH1_PROVIDER_REQUEST_TOKEN_LIFETIME: '60',
      OAUTH1_PROVIDER_HASH_TOKENS: 'no',
      OAUTH1_PROVIDER_KEY_LENGTH: '10,100',
    };
    expect(resolveOAuth1ServerSettings({ timestampWindow: 30 }, (name) => env[name])).toEqual({
      signatureMethods: ['HMAC-SHA256', 'PLAINTEXT'],
      enforceSsl: false,
      errorUri: 'https://provider.example/oauth/error',
      realms: ['photos', 'profile'],
      timestampWindow: 30,
      tokenLength: 48,
      verifierLength: 8,
      requestTokenLifetime: 60,
      hashTokens: false,
      keyLength: [10, 100],
    });
  });

  it('takes typed values from a config object as they are', () => {
    const config: Record<string, unknown> = {
      OAUTH1_PROVIDER_REALMS: ['a', 'b'],
      OAUTH1_PROVIDER_ENFORCE_SSL: false,
      OAUTH1_PROVIDER_TIMESTAMP_WINDOW: 60,
    };
    expect(resolveOAuth1ServerSettings({}, (name) => config[name])).toMatchObject({
      realms: ['a', 'b'],
      enforceSsl: false,
      timestampWindow: 60,
    });
  });

  it.each([
    [{ signatureMethods: [] }, 'signatureMethods', 'OAUTH1_PROVIDER_SIGNATURE_METHODS'],
    [{ signatureMethods: ['HMAC-MD5'] }, 'signatureMethods', 'OAUTH1_PROVIDER_SIGNATURE_METHODS'],
    [{ timestampWindow: 0 }, 'timestampWindow', 'OAUTH1_PROVIDER_TIMESTAMP_WINDOW'],
    [{ tokenLength: 8 }, 'tokenLength', 'OAUTH1_PROVIDER_TOKEN_LENGTH'],
    [{ errorUri: '/relative' }, 'errorUri', 'OAUTH1_PROVIDER_ERROR_URI'],
    [{ errorUri: 'javascript:alert(1)' }, 'errorUri', 'OAUTH1_PROVIDER_ERROR_URI'],
    [{ realms: ['has space'] }, 'realms', 'OAUTH1_PROVIDER_REALMS'],
    [{ keyLength: [10, 5] }, 'keyLength', 'OAUTH1_PROVIDER_KEY_LENGTH'],
    [{ enforceSsl: 'yes' }, 'enforceSsl', 'OAUTH1_PROVIDER_ENFORCE_SSL'],
  ])('refuses %j, naming the setting and its configuration name', (settings, name, key) => {
    let error: unknown;
    try {
      resolveOAuth1ServerSettings(settings as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: 'ERR_OAUTH1_PROVIDER_SETTING' });
    expect((error as Error).message).toContain(`set ${name} or ${key}`);
  });

  it('refuses configuration text it cannot read', () => {
    expect(() =>
      resolveOAuth1ServerSettings({}, (name) =>
        name === 'OAUTH1_PROVIDER_ENFORCE_SSL' ? 'maybe' : undefined,
      ),
    ).toThrow(
      /enforceSsl cannot be read from its text: set enforceSsl or OAUTH1_PROVIDER_ENFORCE_SSL/,
    );
    expect(() =>
      resolveOAuth1ServerSettings({}, (name) =>
        name === 'OAUTH1_PROVIDER_TIMESTAMP_WINDOW' ? '5m' : undefined,
      ),
    ).toThrow(/timestampWindow/);
  });
});
