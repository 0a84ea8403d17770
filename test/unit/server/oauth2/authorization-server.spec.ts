import { createPublicKey } from 'node:crypto';
import { jest } from '@jest/globals';
import {
  AuthorizationServer,
  MemoryOAuth2ServerStorage,
  OAuth2ServerError,
  type OAuth2ServerStorage,
} from '../../../../lib/server/oauth2/index.js';
import {
  clientCredentials,
  formPost,
  get,
  ISSUER,
  json,
  makeServer,
  memoryStorage,
  RSA_KEY,
  SECRET,
} from './support.js';

describe('AuthorizationServer configuration', () => {
  it.each([
    ['a plain http issuer', { issuer: 'http://auth.example.com' }, 'issuer must be an https URL'],
    ['an issuer with a query', { issuer: 'https://auth.example.com/?a=1' }, 'no query or fragment'],
    ['a relative issuer', { issuer: '/auth' }, 'issuer must be an absolute URL'],
    ['no storage', { storage: undefined }, 'storage is required'],
    ['a zero token lifetime', { tokenExpiresIn: 0 }, 'tokenExpiresIn must be a positive'],
  ])('refuses %s, naming the setting', (_case, override, message) => {
    expect(() => makeServer(override as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_OAUTH_SERVER_CONFIG',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('accepts http on loopback hosts (development)', () => {
    expect(makeServer({ issuer: 'http://localhost:3000' }).issuer).toBe('http://localhost:3000');
  });

  it('refuses a storage without grant methods unless a grantCache holds the codes', () => {
    const storage = memoryStorage() as OAuth2ServerStorage;
    const bare: OAuth2ServerStorage = {
      getClient: (id) => storage.getClient(id),
      saveToken: (t) => storage.saveToken(t),
      getToken: (q) => storage.getToken(q),
      revokeToken: (q) => storage.revokeToken(q),
    };
    expect(() => makeServer({ storage: bare })).toThrow(/saveGrant\/getGrant\/deleteGrant/);
    const cache = new Map<string, unknown>();
    expect(() =>
      makeServer({
        storage: bare,
        grantCache: {
          get: (k) => cache.get(k),
          set: (k, v) => void cache.set(k, v),
          delete: (k) => void cache.delete(k),
        },
      }),
    ).not.toThrow();
  });

  it('refuses an HMAC secret or a public key as a signing key', () => {
    for (const key of [
      'a-shared-secret',
      createPublicKey(RSA_KEY).export({ type: 'spki', format: 'pem' }),
    ]) {
      expect(() => makeServer({ keys: [key as string] })).toThrow(
        expect.objectContaining({ code: 'ERR_OAUTH_INVALID_KEY' }),
      );
    }
  });

  it('resolves endpoint paths, absolute URLs and disabled endpoints (left out of the metadata)', () => {
    const server = makeServer({
      issuer: 'https://auth.example.com/tenant/',
      endpoints: {
        token: 'oauth/token',
        userinfo: 'https://api.example.com/me',
        introspection: false,
      },
    });
    expect(server.endpoints).toEqual({
      authorization: 'https://auth.example.com/tenant/authorize',
      token: 'https://auth.example.com/tenant/oauth/token',
      revocation: 'https://auth.example.com/tenant/revoke',
      userinfo: 'https://api.example.com/me',
      jwks: 'https://auth.example.com/tenant/jwks',
      introspection: undefined,
    });
    expect(server.metadata()).not.toHaveProperty('introspection_endpoint');
  });

  it('advertises no OpenID Connect without keys, and refuses openid requests then', async () => {
    const server = makeServer({ keys: [] });
    expect(server.metadata()).not.toHaveProperty('jwks_uri');
    expect(server.metadata()).not.toHaveProperty('id_token_signing_alg_values_supported');
    const response = await server.createTokenResponse(clientCredentials({ scope: 'read' }));
    expect(response.status).toBe(200);
    const url = `${ISSUER}/authorize?client_id=app&response_type=code&redirect_uri=${encodeURIComponent('https://app.example/cb')}&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`;
    const { response: denied } = await server.validateAuthorizationRequest(get(url));
    expect(new URL(denied!.headers.Location).searchParams.get('error')).toBe('invalid_scope');
  });

  it('routes by path and leaves other paths to the app', async () => {
    const server = makeServer({ issuer: 'https://auth.example.com/t1' });
    expect(await server.handle(get('https://auth.example.com/elsewhere'))).toBeUndefined();
    expect((await server.handle(get('https://auth.example.com/t1/jwks')))?.status).toBe(200);
    expect(
      (
        await server.handle(
          get('https://auth.example.com/.well-known/oauth-authorization-server/t1'),
        )
      )?.status,
    ).toBe(200);
    expect(
      (await server.handle(get('https://auth.example.com/t1/.well-known/openid-configuration')))
        ?.status,
    ).toBe(200);
    // Without an authorize callback, the authorization endpoint is the app's to serve.
    expect(
      await server.handle(get('https://auth.example.com/t1/authorize?client_id=app')),
    ).toBeUndefined();
  });
});

describe('AuthorizationServer hooks and failures', () => {
  it('lets beforeRequest answer instead of the endpoint', async () => {
    const server = makeServer({
      beforeRequest: ({ endpoint }) =>
        endpoint === 'token' ? { status: 429, headers: {} } : undefined,
    });
    expect((await server.createTokenResponse(clientCredentials())).status).toBe(429);
  });

  it('gives afterRequest every response and takes its replacement', async () => {
    const seen: number[] = [];
    const server = makeServer({
      afterRequest: (response, { endpoint }) => {
        seen.push(response.status);
        if (endpoint === 'jwks')
          return { ...response, headers: { ...response.headers, 'X-Seen': '1' } };
      },
    });
    await server.createTokenResponse(clientCredentials());
    const jwks = await server.createJwksResponse(get(`${ISSUER}/jwks`));
    expect(jwks.headers['X-Seen']).toBe('1');
    expect(seen).toEqual([200, 200]);
  });

  it('calls invalidResponse with the error for every error response', async () => {
    const invalidResponse = jest.fn((error: OAuth2ServerError) => ({
      status: error.status,
      headers: {},
      body: `custom ${error.error}`,
    }));
    const server = makeServer({ invalidResponse });
    const response = await server.createTokenResponse(
      clientCredentials({ client_secret: 'wrong' }),
    );
    expect(response.body).toBe('custom invalid_client');
    expect(invalidResponse.mock.calls[0][0]).toBeInstanceOf(OAuth2ServerError);
  });

  it('turns a storage failure into server_error 500 without details, the cause kept for the hook', async () => {
    const storage = memoryStorage();
    const failing = Object.assign(Object.create(storage) as MemoryOAuth2ServerStorage, {
      saveToken: () => {
        throw new Error(`database down: password=${SECRET}`);
      },
    });
    const causes: unknown[] = [];
    const server = makeServer({
      storage: failing,
      invalidResponse: (error) => void causes.push(error.cause),
    });
    const response = await server.createTokenResponse(clientCredentials());
    expect(response.status).toBe(500);
    expect(json(response)).toEqual({
      error: 'server_error',
      error_description: 'the server failed to process the request',
    });
    expect(response.body).not.toContain(SECRET);
    expect((causes[0] as Error).message).toContain('database down');
  });

  it('adds the app token fields without replacing standard ones', async () => {
    const server = makeServer();
    const response = await server.createTokenResponse(clientCredentials(), {
      tenant: 't1',
      access_token: 'forged',
      token_type: 'mac',
    });
    expect(response.headers).toMatchObject({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const body = json(response);
    expect(body.tenant).toBe('t1');
    expect(body.access_token).not.toBe('forged');
    expect(body.token_type).toBe('Bearer');
  });

  it('treats an allowing decision without a user as a programming error', async () => {
    const server = makeServer();
    const url = `${ISSUER}/authorize?client_id=app&response_type=code&scope=read`;
    const { authorization } = await server.validateAuthorizationRequest(get(url));
    await expect(server.createAuthorizationResponse(authorization!, true)).rejects.toMatchObject({
      code: 'ERR_OAUTH_SERVER_USER',
    });
    const withUser = await server.createAuthorizationResponse(authorization!, true, { sub: 'u1' });
    expect(new URL(withUser.headers.Location).searchParams.get('code')).toBeTruthy();
  });

  it('takes OAuth parameters from a POSTed form (OIDC Core §3.1.2.1)', async () => {
    const server = makeServer();
    const request = formPost('/authorize', {
      client_id: 'app',
      response_type: 'code',
      scope: 'read',
    });
    const { authorization } = await server.validateAuthorizationRequest(request);
    expect(authorization).toMatchObject({
      scope: ['read'],
      redirectUri: 'https://app.example/cb',
      redirectUriGiven: false,
    });
  });

  it('answers a wrong method at the back-channel endpoints with 405 and Allow', async () => {
    const server = makeServer();
    const response = await server.createRevocationResponse(get(`${ISSUER}/revoke`));
    expect(response.status).toBe(405);
    expect(response.headers.Allow).toBe('POST');
    const metadata = await server.createMetadataResponse(
      formPost('/.well-known/openid-configuration', {}),
    );
    expect(metadata.status).toBe(405);
  });

  it('finds a usable access token for a resource server, never a revoked one', async () => {
    const server = makeServer();
    const { access_token } = json(await server.createTokenResponse(clientCredentials())) as {
      access_token: string;
    };
    expect(await server.findAccessToken(access_token)).toMatchObject({
      clientId: 'app',
      scope: ['read'],
    });
    await server.createRevocationResponse(
      formPost('/revoke', { token: access_token, client_id: 'app', client_secret: SECRET }),
    );
    expect(await server.findAccessToken(access_token)).toBeUndefined();
    expect(await server.findAccessToken('unknown')).toBeUndefined();
  });

  it('keeps the RFC 7009 answer for a token of another client: refused, nothing revoked', async () => {
    const storage = memoryStorage();
    storage.addClient({
      clientId: 'other',
      clientSecret: SECRET,
      tokenEndpointAuthMethod: 'client_secret_post',
      redirectUris: [],
    });
    const server = new AuthorizationServer({ issuer: ISSUER, storage, keys: [RSA_KEY] });
    const { access_token } = json(await server.createTokenResponse(clientCredentials())) as {
      access_token: string;
    };
    const response = await server.createRevocationResponse(
      formPost('/revoke', { token: access_token, client_id: 'other', client_secret: SECRET }),
    );
    expect(json(response)).toEqual({
      error: 'unauthorized_client',
      error_description: 'the token was issued to another client',
    });
    expect(await server.findAccessToken(access_token)).toBeDefined();
  });
});
