// The options each preset returns, and how overrides merge over them.
import { presets } from '../../../lib/presets/index.js';
import { githubTokenAuth } from '../../../lib/presets/github.preset.js';
import { discoveryUrl } from '../../../lib/presets/oidc.preset.js';
import { mergePreset } from '../../../lib/presets/preset.util.js';

describe('preset endpoints', () => {
  it('github: OAuth 2 endpoints, REST profile URL, scope for private emails', () => {
    const options = presets.github();
    expect(options).toMatchObject({
      authorizeUrl: 'https://github.com/login/oauth/authorize',
      accessTokenUrl: 'https://github.com/login/oauth/access_token',
      apiBaseUrl: 'https://api.github.com/',
      userinfoEndpoint: 'https://api.github.com/user',
      clientKwargs: { scope: 'read:user user:email', tokenEndpointAuthMethod: githubTokenAuth },
    });
    expect(options.requestTokenUrl).toBeUndefined();
    expect(options.serverMetadataUrl).toBeUndefined();
    expect(typeof options.profile).toBe('function');
  });

  it('github: GitHub Enterprise Server puts the API under /api/v3', () => {
    expect(presets.github({ enterpriseUrl: 'https://ghe.example.com/' })).toMatchObject({
      authorizeUrl: 'https://ghe.example.com/login/oauth/authorize',
      accessTokenUrl: 'https://ghe.example.com/login/oauth/access_token',
      apiBaseUrl: 'https://ghe.example.com/api/v3/',
      userinfoEndpoint: 'https://ghe.example.com/api/v3/user',
    });
  });

  it('google: OpenID Connect discovery, PKCE, offline access and hosted domain', () => {
    expect(presets.google()).toMatchObject({
      serverMetadataUrl: 'https://accounts.google.com/.well-known/openid-configuration',
      authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      accessTokenUrl: 'https://oauth2.googleapis.com/token',
      userinfoEndpoint: 'https://openidconnect.googleapis.com/v1/userinfo',
      codeChallengeMethod: 'S256',
      clientKwargs: { scope: 'openid email profile' },
    });
    expect(presets.google().authorizeParams).toBeUndefined();
    expect(presets.google({ offline: true, hostedDomain: 'example.com' }).authorizeParams).toEqual({
      access_type: 'offline',
      prompt: 'consent',
      hd: 'example.com',
    });
  });

  it('microsoft: the tenant goes into every authority URL', () => {
    expect(presets.microsoft()).toMatchObject({
      serverMetadataUrl:
        'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
      authorizeUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
      accessTokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
      apiBaseUrl: 'https://graph.microsoft.com/v1.0/',
      userinfoEndpoint: 'https://graph.microsoft.com/oidc/userinfo',
      clientKwargs: { scope: 'openid email profile offline_access' },
    });
    const tenant = presets.microsoft({ tenant: '9122040d-6c67-4c5b-b112-36a304b66dad' });
    expect(tenant.accessTokenUrl).toBe(
      'https://login.microsoftonline.com/9122040d-6c67-4c5b-b112-36a304b66dad/oauth2/v2.0/token',
    );
    // A hostile tenant cannot change the path.
    expect(presets.microsoft({ tenant: '../evil?x=' }).authorizeUrl).toBe(
      'https://login.microsoftonline.com/..%2Fevil%3Fx%3D/oauth2/v2.0/authorize',
    );
    expect(presets.microsoft({ authority: 'https://login.microsoftonline.us' }).authorizeUrl).toBe(
      'https://login.microsoftonline.us/common/oauth2/v2.0/authorize',
    );
  });

  it('gitlab: gitlab.com or a self-managed base URL', () => {
    expect(presets.gitlab()).toMatchObject({
      serverMetadataUrl: 'https://gitlab.com/.well-known/openid-configuration',
      authorizeUrl: 'https://gitlab.com/oauth/authorize',
      accessTokenUrl: 'https://gitlab.com/oauth/token',
      apiBaseUrl: 'https://gitlab.com/api/v4/',
      userinfoEndpoint: 'https://gitlab.com/oauth/userinfo',
    });
    expect(presets.gitlab({ baseUrl: 'https://git.example.com/' }).accessTokenUrl).toBe(
      'https://git.example.com/oauth/token',
    );
  });

  it('discord: OAuth 2 with PKCE and the /users/@me profile', () => {
    expect(presets.discord()).toMatchObject({
      authorizeUrl: 'https://discord.com/oauth2/authorize',
      accessTokenUrl: 'https://discord.com/api/oauth2/token',
      apiBaseUrl: 'https://discord.com/api/v10/',
      userinfoEndpoint: 'https://discord.com/api/v10/users/@me',
      codeChallengeMethod: 'S256',
      clientKwargs: { scope: 'identify email' },
    });
  });

  it('twitter: an OAuth 1.0a client (it has a requestTokenUrl)', () => {
    const options = presets.twitter();
    expect(options).toMatchObject({
      requestTokenUrl: 'https://api.twitter.com/oauth/request_token',
      accessTokenUrl: 'https://api.twitter.com/oauth/access_token',
      authorizeUrl: 'https://api.twitter.com/oauth/authenticate',
      apiBaseUrl: 'https://api.twitter.com/1.1/',
    });
    const userinfo = new URL(options.userinfoEndpoint!);
    expect(userinfo.pathname).toBe('/1.1/account/verify_credentials.json');
    expect(userinfo.searchParams.get('include_email')).toBe('true');
    expect(options.codeChallengeMethod).toBeUndefined();
  });

  it('x: OAuth 2 with mandatory PKCE, Basic auth, offline.access', () => {
    const options = presets.x();
    expect(options).toMatchObject({
      authorizeUrl: 'https://x.com/i/oauth2/authorize',
      accessTokenUrl: 'https://api.x.com/2/oauth2/token',
      apiBaseUrl: 'https://api.x.com/2/',
      codeChallengeMethod: 'S256',
      clientKwargs: {
        scope: 'users.read tweet.read offline.access',
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
    });
    expect(options.requestTokenUrl).toBeUndefined();
  });

  it('facebook: versioned Graph API URLs and client_secret_post', () => {
    expect(presets.facebook()).toMatchObject({
      authorizeUrl: 'https://www.facebook.com/v24.0/dialog/oauth',
      accessTokenUrl: 'https://graph.facebook.com/v24.0/oauth/access_token',
      apiBaseUrl: 'https://graph.facebook.com/v24.0/',
      clientKwargs: {
        scope: 'public_profile email',
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    });
    const me = new URL(presets.facebook({ version: 'v25.0' }).userinfoEndpoint!);
    expect(me.pathname).toBe('/v25.0/me');
    expect(me.searchParams.get('fields')).toContain('email');
  });

  it('linkedin: OpenID Connect, client_secret_post, no PKCE', () => {
    expect(presets.linkedin()).toMatchObject({
      serverMetadataUrl: 'https://www.linkedin.com/oauth/.well-known/openid-configuration',
      authorizeUrl: 'https://www.linkedin.com/oauth/v2/authorization',
      accessTokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
      userinfoEndpoint: 'https://api.linkedin.com/v2/userinfo',
      codeChallengeMethod: false,
      clientKwargs: {
        scope: 'openid profile email',
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    });
  });

  it('oidc: the discovery URL from the issuer, path included', () => {
    expect(presets.oidc({ issuer: 'https://sso.example.com/realms/main/' })).toMatchObject({
      serverMetadataUrl: 'https://sso.example.com/realms/main/.well-known/openid-configuration',
      codeChallengeMethod: 'S256',
      clientKwargs: { scope: 'openid email profile' },
    });
    expect(discoveryUrl('https://op.example.com')).toBe(
      'https://op.example.com/.well-known/openid-configuration',
    );
    const explicit = 'https://op.example.com/.well-known/oauth-authorization-server';
    expect(
      presets.oidc({ issuer: 'https://ignored.example', serverMetadataUrl: explicit })
        .serverMetadataUrl,
    ).toBe(explicit);
  });

  it('oidc: refuses a missing or non-http issuer with a named TypeError', () => {
    for (const bad of [
      {},
      { issuer: '' },
      { issuer: 'not a url' },
      { issuer: 'javascript:alert(1)' },
    ]) {
      let caught: unknown;
      try {
        presets.oidc(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(TypeError);
      expect((caught as { code?: string }).code).toBe('ERR_OAUTH_PRESET');
    }
  });

  it('no preset carries a client id or secret: they come from {NAME}_CLIENT_ID/_SECRET', () => {
    const all = [
      presets.github(),
      presets.google(),
      presets.microsoft(),
      presets.gitlab(),
      presets.discord(),
      presets.twitter(),
      presets.x(),
      presets.facebook(),
      presets.linkedin(),
      presets.oidc({ issuer: 'https://op.example.com' }),
    ];
    for (const options of all) {
      expect(options.clientId).toBeUndefined();
      expect(options.clientSecret).toBeUndefined();
      for (const key of ['authorizeUrl', 'accessTokenUrl', 'apiBaseUrl', 'serverMetadataUrl']) {
        const value = options[key as keyof typeof options];
        if (value !== undefined) expect(new URL(value as string).protocol).toBe('https:');
      }
    }
  });
});

describe('overrides', () => {
  it('replace top-level keys and merge clientKwargs key by key', () => {
    const options = presets.github({
      clientId: 'my-id',
      authorizeUrl: 'https://proxy.example.com/authorize',
      clientKwargs: { scope: 'repo' },
    });
    expect(options.clientId).toBe('my-id');
    expect(options.authorizeUrl).toBe('https://proxy.example.com/authorize');
    expect(options.accessTokenUrl).toBe('https://github.com/login/oauth/access_token');
    expect(options.clientKwargs).toEqual({
      scope: 'repo',
      tokenEndpointAuthMethod: githubTokenAuth,
    });
  });

  it('merge authorizeParams with the ones a preset option adds', () => {
    const options = presets.google({
      offline: true,
      authorizeParams: { prompt: 'select_account' },
    });
    expect(options.authorizeParams).toEqual({ access_type: 'offline', prompt: 'select_account' });
  });

  it('ignore undefined values (an unset env var keeps the default)', () => {
    const options = presets.discord({
      clientId: undefined,
      apiBaseUrl: undefined,
      clientKwargs: { scope: undefined, leeway: 30 },
    });
    expect('clientId' in options).toBe(false);
    expect(options.apiBaseUrl).toBe('https://discord.com/api/v10/');
    expect(options.clientKwargs).toEqual({
      scope: 'identify email',
      leeway: 30,
      revocationEndpoint: 'https://discord.com/api/oauth2/token/revoke',
    });
  });

  it('can replace the profile mapping', () => {
    const profile = (raw: Record<string, unknown>) => ({ sub: String(raw.id), custom: true });
    expect(presets.facebook({ profile }).profile).toBe(profile);
  });

  it('never modify the defaults: each call returns a fresh object', () => {
    const a = presets.gitlab({ clientKwargs: { scope: 'read_api' } });
    const b = presets.gitlab();
    const revocationEndpoint = 'https://gitlab.com/oauth/revoke';
    expect(a.clientKwargs).toEqual({ scope: 'read_api', revocationEndpoint });
    expect(b.clientKwargs).toEqual({ scope: 'openid profile email', revocationEndpoint });
    expect(a.clientKwargs).not.toBe(b.clientKwargs);
    const defaults = { clientKwargs: { scope: 'a' }, authorizeUrl: 'https://a.example' };
    mergePreset(defaults, { clientKwargs: { scope: 'b' } });
    expect(defaults.clientKwargs.scope).toBe('a');
  });

  it('a non-object clientKwargs override replaces rather than spreads', () => {
    const options = mergePreset({ clientKwargs: { scope: 'a' } }, {
      clientKwargs: 'oops',
    } as never);
    expect(options.clientKwargs).toBe('oops');
  });
});

describe('githubTokenAuth', () => {
  it('asks for JSON and puts the credentials in the body', async () => {
    const headers = new Headers();
    const body = new URLSearchParams({ grant_type: 'authorization_code', code: 'c' });
    const result = await githubTokenAuth(
      { clientId: 'id 1', clientSecret: 's&2' },
      'POST',
      'https://github.com/login/oauth/access_token',
      headers,
      body,
    );
    expect(result.headers.get('accept')).toBe('application/json');
    expect(result.headers.get('authorization')).toBeNull();
    expect(result.body.get('client_id')).toBe('id 1');
    expect(result.body.get('client_secret')).toBe('s&2');
    expect(result.body.get('code')).toBe('c');
  });
});
