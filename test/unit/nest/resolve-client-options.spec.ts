import {
  CLIENT_CONFIG_KEYS,
  OAuthConfigError,
  assertClientName,
  resolveClientOptions,
  resolveModuleSettings,
  toConfigKey,
} from '../../../lib/config/resolve-client-options.js';

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
    expect(resolveModuleSettings({ secret: 's1' }, env({ OAUTH_SECRET: 'env' })).secrets).toEqual([
      's1',
    ]);
    expect(resolveModuleSettings({}, env({ OAUTH_SECRET: 'env' })).secrets).toEqual(['env']);
    expect(resolveModuleSettings({ secret: ['new', 'old'] }).secrets).toEqual(['new', 'old']);
    expect(thrown(() => resolveModuleSettings({ secret: ['ok', ''] })).key).toBe('secret');
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
