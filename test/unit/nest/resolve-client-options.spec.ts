import { randomBytes } from 'node:crypto';
import { CLIENT_CONFIG_KEYS, toConfigKey } from '../../../lib/config/config-keys.js';
import {
  assertClientName,
  resolveClientOptions,
} from '../../../lib/config/resolve-client-options.js';
import { resolveModuleSettings } from '../../../lib/config/resolve-module-settings.js';
import { OAuthConfigError } from '../../../lib/errors/oauth-config.error.js';
import { normalizeModuleKeys } from '../../../lib/config/option-keys.js';

const S1 = 'unit-secret-one-0123456789abcdefghijklmnop';
const S2 = 'unit-secret-two-ZYXWVUTSRQPONMLKJIHGF9876543210';

const env =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

const github = {
  clientId: 'id',
  accessTokenUrl: 'https://github.com/login/oauth/access_token',
  authorizeUrl: 'https://github.com/login/oauth/authorize',
};

function thrown(fn: () => unknown): OAuthConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OAuthConfigError);
    return err as OAuthConfigError;
  }
  throw new Error('expected an OAuthConfigError');
}

describe('toConfigKey', () => {
  it.each([
    ['github', 'clientId', 'GITHUB_CLIENT_ID'],
    ['github', 'accessTokenUrl', 'GITHUB_ACCESS_TOKEN_URL'],
    ['google', 'serverMetadataUrl', 'GOOGLE_SERVER_METADATA_URL'],
    ['github', 'clientKwargs', 'GITHUB_CLIENT_KWARGS'],
    ['myApp', 'authorizeParams', 'MY_APP_AUTHORIZE_PARAMS'],
    ['my-app', 'redirectUri', 'MY_APP_REDIRECT_URI'],
    ['x2', 'apiBaseUrl', 'X2_API_BASE_URL'],
  ])('(%s, %s) -> %s', (name, key, expected) => {
    expect(toConfigKey(name, key)).toBe(expected);
  });

  it('covers every string and JSON key of the spec', () => {
    expect([...CLIENT_CONFIG_KEYS].sort()).toEqual(
      [
        'clientId',
        'clientSecret',
        'requestTokenUrl',
        'requestTokenParams',
        'accessTokenUrl',
        'accessTokenParams',
        'refreshTokenUrl',
        'refreshTokenParams',
        'authorizeUrl',
        'authorizeParams',
        'apiBaseUrl',
        'clientKwargs',
        'allowedOrigins',
        'serverMetadataUrl',
        'redirectUri',
        'codeChallengeMethod',
        'userinfoEndpoint',
        'timeout',
      ].sort(),
    );
  });
});

describe('assertClientName', () => {
  it.each(['github', 'google-workspace', 'my_app', 'A1'])('accepts %s', (name) => {
    expect(() => assertClientName(name)).not.toThrow();
  });
  it.each(['', 'has space', 'semi;colon', 'dot.ted', '-leading', 'x'.repeat(65), 'a=b'])(
    'refuses %j',
    (name) => {
      expect(thrown(() => assertClientName(name)).message).toMatch(
        /^OAuth client name .* is invalid/,
      );
    },
  );
});

describe('resolveClientOptions', () => {
  it('keeps code values and tells OAuth 2 from OAuth 1', () => {
    const o2 = resolveClientOptions('github', github);
    expect(o2).toMatchObject({ ...github, name: 'github', kind: 'oauth2' });
    const o1 = resolveClientOptions('twitter', {
      ...github,
      requestTokenUrl: 'https://api.twitter.com/oauth/request_token',
    });
    expect(o1.kind).toBe('oauth1');
  });

  it('reads every missing key from config, JSON ones parsed', () => {
    const resolved = resolveClientOptions(
      'github',
      {},
      env({
        GITHUB_CLIENT_ID: 'env-id',
        GITHUB_CLIENT_SECRET: 'env-secret',
        GITHUB_ACCESS_TOKEN_URL: 'https://github.com/login/oauth/access_token',
        GITHUB_AUTHORIZE_URL: 'https://github.com/login/oauth/authorize',
        GITHUB_API_BASE_URL: 'https://api.github.com/',
        GITHUB_CLIENT_KWARGS:
          '{"scope":"user:email","tokenEndpointAuthMethod":"client_secret_post"}',
        GITHUB_AUTHORIZE_PARAMS: '{"allow_signup":"false"}',
        GITHUB_ACCESS_TOKEN_PARAMS: '{"a":1}',
        GITHUB_REFRESH_TOKEN_PARAMS: '{"b":2}',
        GITHUB_REDIRECT_URI: '/auth/github/callback',
        GITHUB_CODE_CHALLENGE_METHOD: 'false',
        GITHUB_TIMEOUT: '2500',
        GITHUB_USERINFO_ENDPOINT: 'user',
      }),
    );
    expect(resolved).toEqual({
      name: 'github',
      kind: 'oauth2',
      clientId: 'env-id',
      clientSecret: 'env-secret',
      accessTokenUrl: 'https://github.com/login/oauth/access_token',
      authorizeUrl: 'https://github.com/login/oauth/authorize',
      apiBaseUrl: 'https://api.github.com/',
      clientKwargs: { scope: 'user:email', tokenEndpointAuthMethod: 'client_secret_post' },
      authorizeParams: { allow_signup: 'false' },
      accessTokenParams: { a: 1 },
      refreshTokenParams: { b: 2 },
      redirectUri: '/auth/github/callback',
      codeChallengeMethod: false,
      timeout: 2500,
      userinfoEndpoint: 'user',
    });
  });

  it('accepts objects from ConfigService `load` factories for JSON keys', () => {
    const resolved = resolveClientOptions(
      'github',
      github,
      env({ GITHUB_CLIENT_KWARGS: { scope: 'read:user' } }),
    );
    expect(resolved.clientKwargs).toEqual({ scope: 'read:user' });
  });

  it('lets code win, unless overwrite: true', () => {
    const read = env({ GITHUB_CLIENT_ID: 'from-env', GITHUB_CLIENT_KWARGS: '{"scope":"env"}' });
    const code = { ...github, clientKwargs: { scope: 'code' } };
    expect(resolveClientOptions('github', code, read)).toMatchObject({
      clientId: 'id',
      clientKwargs: { scope: 'code' },
    });
    expect(resolveClientOptions('github', { ...code, overwrite: true }, read)).toMatchObject({
      clientId: 'from-env',
      clientKwargs: { scope: 'env' },
    });
    // overwrite keeps code values that config does not set
    expect(resolveClientOptions('github', { ...code, overwrite: true }, read).authorizeUrl).toBe(
      github.authorizeUrl,
    );
  });

  it('treats empty strings as unset', () => {
    expect(
      resolveClientOptions('github', { ...github, clientId: '' }, env({ GITHUB_CLIENT_ID: 'x' }))
        .clientId,
    ).toBe('x');
    const err = thrown(() =>
      resolveClientOptions('github', { ...github, clientId: '' }, env({ GITHUB_CLIENT_ID: '' })),
    );
    expect(err.key).toBe('GITHUB_CLIENT_ID');
  });

  it('names the fix when clientId is missing', () => {
    const { clientId: _omit, ...rest } = github;
    const err = thrown(() => resolveClientOptions('github', rest));
    expect(err.message).toBe(
      'OAuth client "github" is missing clientId: set clients.github.clientId or GITHUB_CLIENT_ID',
    );
    expect(err.code).toBe('OAUTH_CONFIG');
    expect(err.key).toBe('GITHUB_CLIENT_ID');
  });

  it('requires accessTokenUrl and authorizeUrl for OAuth 2, unless serverMetadataUrl', () => {
    expect(thrown(() => resolveClientOptions('github', { clientId: 'x' })).message).toBe(
      'OAuth client "github" is missing accessTokenUrl: set clients.github.accessTokenUrl or ' +
        'GITHUB_ACCESS_TOKEN_URL, or serverMetadataUrl (clients.github.serverMetadataUrl or GITHUB_SERVER_METADATA_URL)',
    );
    expect(
      thrown(() =>
        resolveClientOptions('github', { clientId: 'x', accessTokenUrl: github.accessTokenUrl }),
      ).key,
    ).toBe('GITHUB_AUTHORIZE_URL');
    expect(
      resolveClientOptions(
        'google',
        { clientId: 'x' },
        env({
          GOOGLE_SERVER_METADATA_URL:
            'https://accounts.google.com/.well-known/openid-configuration',
        }),
      ).kind,
    ).toBe('oauth2');
  });

  it('requires accessTokenUrl and authorizeUrl for OAuth 1', () => {
    const base = { clientId: 'x', requestTokenUrl: 'https://api.twitter.com/oauth/request_token' };
    expect(thrown(() => resolveClientOptions('twitter', base)).message).toBe(
      'OAuth client "twitter" is missing accessTokenUrl: set clients.twitter.accessTokenUrl or TWITTER_ACCESS_TOKEN_URL',
    );
    expect(
      thrown(() =>
        resolveClientOptions('twitter', {
          ...base,
          accessTokenUrl: 'https://api.twitter.com/oauth/access_token',
          serverMetadataUrl: 'https://x.example/.well-known/openid-configuration',
        }),
      ).key,
    ).toBe('TWITTER_AUTHORIZE_URL');
  });

  it('names a malformed JSON value by its key, without echoing it', () => {
    const err = thrown(() =>
      resolveClientOptions('github', github, env({ GITHUB_CLIENT_KWARGS: '{scope: secret-value' })),
    );
    expect(err.message).toBe('OAuth client "github": GITHUB_CLIENT_KWARGS is not valid JSON');
    expect(err.message).not.toContain('secret-value');
    expect(
      thrown(() =>
        resolveClientOptions('github', github, env({ GITHUB_AUTHORIZE_PARAMS: '[1,2]' })),
      ).message,
    ).toBe('OAuth client "github": GITHUB_AUTHORIZE_PARAMS must be a JSON object');
    expect(
      thrown(() => resolveClientOptions('github', { ...github, clientKwargs: 'x' as never }))
        .message,
    ).toBe('OAuth client "github": clients.github.clientKwargs must be a JSON object');
  });

  it('refuses URLs that are not absolute http(s), naming the source', () => {
    expect(
      thrown(() =>
        resolveClientOptions('github', { ...github, accessTokenUrl: 'javascript:alert(1)' }),
      ).message,
    ).toBe('OAuth client "github": clients.github.accessTokenUrl is not a valid http(s) URL');
    expect(
      thrown(() =>
        resolveClientOptions(
          'github',
          { clientId: 'x' },
          env({ GITHUB_SERVER_METADATA_URL: '/relative' }),
        ),
      ).message,
    ).toBe('OAuth client "github": GITHUB_SERVER_METADATA_URL is not a valid http(s) URL');
    expect(
      thrown(() => resolveClientOptions('github', { ...github, redirectUri: '//evil.example/cb' }))
        .key,
    ).toBe('clients.github.redirectUri');
    expect(
      resolveClientOptions('github', { ...github, redirectUri: 'https://app.example/cb' })
        .redirectUri,
    ).toBe('https://app.example/cb');
  });

  it('checks types: codeChallengeMethod, timeout, functions', () => {
    expect(
      thrown(() =>
        resolveClientOptions('github', github, env({ GITHUB_CODE_CHALLENGE_METHOD: 'S512' })),
      ).message,
    ).toBe('OAuth client "github": GITHUB_CODE_CHALLENGE_METHOD must be "S256", "plain" or false');
    expect(
      resolveClientOptions('github', github, env({ GITHUB_CODE_CHALLENGE_METHOD: 'plain' }))
        .codeChallengeMethod,
    ).toBe('plain');
    expect(
      thrown(() => resolveClientOptions('github', github, env({ GITHUB_TIMEOUT: 'soon' }))).key,
    ).toBe('GITHUB_TIMEOUT');
    expect(
      thrown(() => resolveClientOptions('github', { ...github, profile: 'x' as never })).message,
    ).toBe('OAuth client "github": clients.github.profile must be a function');
    expect(
      thrown(() =>
        resolveClientOptions(
          'github',
          { ...github, clientId: undefined },
          env({ GITHUB_CLIENT_ID: 42 }),
        ),
      ).message,
    ).toBe('OAuth client "github": GITHUB_CLIENT_ID must be a string');
  });

  it('needs apiBaseUrl for a relative userinfoEndpoint', () => {
    expect(
      thrown(() => resolveClientOptions('github', { ...github, userinfoEndpoint: 'user' })).message,
    ).toBe(
      'OAuth client "github": userinfoEndpoint is relative, so apiBaseUrl is required: set clients.github.apiBaseUrl or GITHUB_API_BASE_URL',
    );
  });

  it('refuses a non-object client entry', () => {
    expect(thrown(() => resolveClientOptions('github', 'x' as never)).key).toBe('clients.github');
  });
});

describe('resolveModuleSettings', () => {
  it('has defaults: 600 s, cookie prefix oauth, no secret', () => {
    expect(resolveModuleSettings({})).toEqual({
      secrets: undefined,
      stateTtl: 600,
      cookieName: 'oauth',
      timeout: undefined,
    });
  });

  it('takes secret from options, else OAUTH_SECRET; a list for rotation', () => {
    expect(resolveModuleSettings({ secret: S1 }, env({ OAUTH_SECRET: S2 })).secrets).toEqual([S1]);
    expect(resolveModuleSettings({}, env({ OAUTH_SECRET: S2 })).secrets).toEqual([S2]);
    expect(resolveModuleSettings({ secret: [S1, S2] }).secrets).toEqual([S1, S2]);
    expect(thrown(() => resolveModuleSettings({ secret: [S1, ''] })).key).toBe('secret');
  });

  it.each([
    ['a', 'it has 1 bytes, fewer than 32'],
    ['changeme', 'it has 8 bytes, fewer than 32'],
    ['changemechangemechangemechangeme', 'it repeats a shorter pattern'],
    ['a'.repeat(64), 'it repeats a shorter pattern'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', 'it has too little variety'],
    ['passwordpassword1passwordpassword2', 'it has too little variety'],
  ])('refuses the weak secret %j at start-up, naming OAUTH_SECRET and openssl', (weak, why) => {
    for (const err of [
      thrown(() => resolveModuleSettings({}, env({ OAUTH_SECRET: weak }))),
      thrown(() => resolveModuleSettings({ secret: weak })),
      thrown(() => resolveModuleSettings({ secret: [S1, weak] })),
    ]) {
      expect(err.message).toContain(why);
      expect(err.message).toContain('OAUTH_SECRET');
      expect(err.message).toContain('openssl rand -base64 32');
      if (weak.length > 3) expect(err.message).not.toContain(weak);
    }
  });

  it('accepts what `openssl rand` prints (base64 and hex) and a long passphrase', () => {
    for (const strong of [
      randomBytes(32).toString('base64'),
      randomBytes(32).toString('hex'),
      'correct horse battery staple and then some more words',
    ]) {
      expect(resolveModuleSettings({ secret: strong }).secrets).toEqual([strong]);
    }
  });

  it('validates stateTtl, cookieName, timeout, clients', () => {
    expect(thrown(() => resolveModuleSettings({ stateTtl: 0 })).key).toBe('stateTtl');
    expect(thrown(() => resolveModuleSettings({ cookieName: 'a;b' })).key).toBe('cookieName');
    expect(thrown(() => resolveModuleSettings({ timeout: -1 })).key).toBe('timeout');
    expect(thrown(() => resolveModuleSettings({ clients: null as never })).key).toBe('clients');
    expect(resolveModuleSettings({ stateTtl: 30, cookieName: 'sso', timeout: 5000 })).toMatchObject(
      {
        stateTtl: 30,
        cookieName: 'sso',
        timeout: 5000,
      },
    );
  });
});

describe('option keys: Authlib spellings mapped, unknown keys refused', () => {
  it('maps snake_case client options and clientKwargs to camelCase', () => {
    const resolved = resolveClientOptions('github', {
      client_id: 'id',
      access_token_url: 'https://github.com/login/oauth/access_token',
      authorize_url: 'https://github.com/login/oauth/authorize',
      api_base_url: 'https://api.github.com/',
      client_kwargs: {
        token_endpoint_auth_method: 'client_secret_post',
        code_challenge_method: 'S256',
      },
    } as never);
    expect(resolved).toMatchObject({
      clientId: 'id',
      accessTokenUrl: 'https://github.com/login/oauth/access_token',
      apiBaseUrl: 'https://api.github.com/',
      clientKwargs: { tokenEndpointAuthMethod: 'client_secret_post', codeChallengeMethod: 'S256' },
    });
    expect(Object.keys(resolved)).not.toContain('client_id');
  });

  it('maps snake_case keys of {NAME}_CLIENT_KWARGS (JSON from the environment)', () => {
    const resolved = resolveClientOptions(
      'op',
      { clientId: 'id', serverMetadataUrl: 'https://op.example/.well-known/openid-configuration' },
      env({
        OP_CLIENT_KWARGS: '{"token_endpoint_auth_method":"client_secret_post","scope":"openid"}',
      }),
    );
    expect(resolved.clientKwargs).toEqual({
      tokenEndpointAuthMethod: 'client_secret_post',
      scope: 'openid',
    });
  });

  it('keeps wire parameter names in *Params as they are', () => {
    const resolved = resolveClientOptions('google', {
      ...github,
      authorize_params: { access_type: 'offline', login_hint: 'x' },
    } as never);
    expect(resolved.authorizeParams).toEqual({ access_type: 'offline', login_hint: 'x' });
  });

  it.each([
    [{ clientID: 'x' }, 'clients.github.clientID', 'did you mean clientId?'],
    [{ client_secert: 'x' }, 'clients.github.client_secert', 'did you mean clientSecret?'],
    [{ acessTokenUrl: 'x' }, 'clients.github.acessTokenUrl', 'did you mean accessTokenUrl?'],
    [{ user_agent: 'x' }, 'clients.github.user_agent', 'it has no equivalent here'],
    [
      { clientKwargs: { scopes: 'a' } },
      'clients.github.clientKwargs.scopes',
      'did you mean scope?',
    ],
    [
      { clientKwargs: { token_endpoint_auth_methods: 'client_secret_post' } },
      'clients.github.clientKwargs.token_endpoint_auth_methods',
      'did you mean tokenEndpointAuthMethod?',
    ],
  ])('refuses the unknown key in %j, naming the nearest known one', (extra, key, hint) => {
    const err = thrown(() => resolveClientOptions('github', { ...github, ...extra } as never));
    expect(err.key).toBe(key);
    expect(err.message).toContain(hint);
  });

  it('refuses an unknown key in {NAME}_CLIENT_KWARGS by its config key', () => {
    const err = thrown(() =>
      resolveClientOptions('github', github, env({ GITHUB_CLIENT_KWARGS: '{"scopes":"repo"}' })),
    );
    expect(err.message).toBe(
      'OAuth module: unknown option GITHUB_CLIENT_KWARGS.scopes: did you mean scope?',
    );
  });

  it('refuses kwargs the module sets itself, saying where they go', () => {
    const err = thrown(() =>
      resolveClientOptions('github', {
        ...github,
        clientKwargs: { token_endpoint: 'https://x' },
      } as never),
    );
    expect(err.message).toBe(
      'OAuth module: clients.github.clientKwargs.tokenEndpoint is not for clientKwargs: set clients.github.accessTokenUrl instead',
    );
  });

  it('refuses a key given twice (camelCase and snake_case)', () => {
    expect(
      thrown(() => resolveClientOptions('github', { ...github, client_id: 'other' } as never))
        .message,
    ).toContain('sets clientId twice');
  });

  it('refuses unknown OAuth module options, and maps snake_case ones', () => {
    const fetchToken = () => undefined;
    expect(normalizeModuleKeys({ fetch_token: fetchToken, state_ttl: 30 })).toEqual({
      fetchToken,
      stateTtl: 30,
    });
    expect(() => normalizeModuleKeys({ secrets: ['x'] })).toThrow(
      'OAuth module: unknown option OAuthModule options.secrets: did you mean secret?',
    );
  });

  it('accepts Authlib OAuth 1 kwargs, and its upper-case signature types', () => {
    const resolved = resolveClientOptions('tw', {
      clientId: 'key',
      requestTokenUrl: 'https://api.example/request_token',
      accessTokenUrl: 'https://api.example/access_token',
      authorizeUrl: 'https://api.example/authorize',
      clientKwargs: { signature_method: 'HMAC-SHA256', signature_type: 'BODY' },
    });
    expect(resolved.clientKwargs).toEqual({
      signatureMethod: 'HMAC-SHA256',
      signatureType: 'body',
    });
  });

  it('refuses oauth_* parameters in an OAuth 1 client accessTokenParams', () => {
    const err = thrown(() =>
      resolveClientOptions('tw', {
        clientId: 'key',
        requestTokenUrl: 'https://api.example/request_token',
        accessTokenUrl: 'https://api.example/access_token',
        authorizeUrl: 'https://api.example/authorize',
        accessTokenParams: { oauth_verifier: 'x' },
      }),
    );
    expect(err.key).toBe('clients.tw.accessTokenParams');
  });

  it('reads allowedOrigins from code and config (comma-separated or JSON), as origins', () => {
    expect(
      resolveClientOptions('github', { ...github, allowedOrigins: ['https://uploads.example/x'] })
        .allowedOrigins,
    ).toEqual(['https://uploads.example']);
    expect(
      resolveClientOptions(
        'github',
        github,
        env({ GITHUB_ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443' }),
      ).allowedOrigins,
    ).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(
      resolveClientOptions(
        'github',
        github,
        env({ GITHUB_ALLOWED_ORIGINS: '["https://c.example"]' }),
      ).allowedOrigins,
    ).toEqual(['https://c.example']);
    expect(
      thrown(() => resolveClientOptions('github', { ...github, allowedOrigins: ['ftp://x'] })).key,
    ).toBe('clients.github.allowedOrigins');
  });
});
