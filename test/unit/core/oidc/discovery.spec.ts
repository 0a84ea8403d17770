import { InvalidResponseError, OAuthError } from '../../../../lib/core/errors.js';
import {
  fetchServerMetadata,
  issuerFromMetadataUrl,
  MetadataCache,
  validateAuthorizationResponseIssuer,
  type AuthorizationServerMetadata,
} from '../../../../lib/core/oidc/index.js';
import { jsonRoute, startServer, type TestServer } from './support.js';

let server: TestServer;
let base: string;

function metadata(issuer: string, extra: Record<string, unknown> = {}) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    userinfo_endpoint: `${issuer}/userinfo`,
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    ...extra,
  };
}

beforeAll(async () => {
  server = await startServer();
  base = server.url;
  const r = server.routes;
  r.set(
    '/.well-known/openid-configuration',
    jsonRoute(() => metadata(base)),
  );
  r.set(
    '/tenant/.well-known/openid-configuration',
    jsonRoute(() => metadata(`${base}/tenant`)),
  );
  r.set(
    '/.well-known/oauth-authorization-server/as',
    jsonRoute(() => metadata(`${base}/as`)),
  );
  r.set(
    '/.well-known/oauth-authorization-server',
    jsonRoute(() => metadata(base)),
  );
  r.set(
    '/evil/.well-known/openid-configuration',
    jsonRoute(() => metadata('https://accounts.example.com')),
  );
  r.set(
    '/.well-known/oauth-authorization-server/evil',
    jsonRoute(() => metadata(`${base}/other`)),
  );
  r.set(
    '/slash/.well-known/openid-configuration',
    jsonRoute(() => metadata(`${base}/slash/`)),
  );
  r.set(
    '/custom/metadata.json',
    jsonRoute(() => metadata(`${base}/custom`)),
  );
  r.set(
    '/html/.well-known/openid-configuration',
    (_q, res) =>
      void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><body>Login</body></html>'),
  );
  r.set(
    '/array/.well-known/openid-configuration',
    jsonRoute(() => [metadata(`${base}/array`)]),
  );
  r.set(
    '/noiss/.well-known/openid-configuration',
    jsonRoute(() => ({ token_endpoint: `${base}/token` })),
  );
  r.set(
    '/badurl/.well-known/openid-configuration',
    jsonRoute(() => metadata(`${base}/badurl`, { token_endpoint: 5 })),
  );
  r.set(
    '/badalgs/.well-known/openid-configuration',
    jsonRoute(() =>
      metadata(`${base}/badalgs`, { id_token_signing_alg_values_supported: 'RS256' }),
    ),
  );
  r.set(
    '/down/.well-known/openid-configuration',
    jsonRoute(() => ({ error: 'temporarily_unavailable' }), { status: 503 }),
  );
});

afterAll(() => server.close());

describe('issuerFromMetadataUrl', () => {
  it('derives the issuer of both well-known forms', () => {
    expect(issuerFromMetadataUrl('https://op.example.com/.well-known/openid-configuration')).toBe(
      'https://op.example.com',
    );
    expect(
      issuerFromMetadataUrl('https://op.example.com/t/1/.well-known/openid-configuration'),
    ).toBe('https://op.example.com/t/1');
    expect(
      issuerFromMetadataUrl('https://as.example.com/.well-known/oauth-authorization-server'),
    ).toBe('https://as.example.com');
    expect(
      issuerFromMetadataUrl(
        'https://as.example.com/.well-known/oauth-authorization-server/issuer1',
      ),
    ).toBe('https://as.example.com/issuer1');
    expect(
      issuerFromMetadataUrl('https://as.example.com/.well-known/openid-configuration/issuer1'),
    ).toBe('https://as.example.com/issuer1');
    expect(issuerFromMetadataUrl('https://as.example.com/metadata.json')).toBeUndefined();
  });
});

describe('fetchServerMetadata', () => {
  it('reads an OpenID configuration whose issuer is the URL minus the suffix', async () => {
    const m = await fetchServerMetadata(`${base}/.well-known/openid-configuration`);
    expect(m).toEqual(metadata(base));
    const tenant = await fetchServerMetadata(`${base}/tenant/.well-known/openid-configuration`);
    expect(tenant.token_endpoint).toBe(`${base}/tenant/token`);
  });

  it('reads RFC 8414 metadata, with and without an issuer path', async () => {
    expect(
      (await fetchServerMetadata(`${base}/.well-known/oauth-authorization-server/as`)).issuer,
    ).toBe(`${base}/as`);
    expect(
      (await fetchServerMetadata(`${base}/.well-known/oauth-authorization-server`)).issuer,
    ).toBe(base);
  });

  it('accepts a multi-tenant issuer template ({tenantid}) only for a URL that fits it', async () => {
    server.routes.set(
      '/common/v2.0/.well-known/openid-configuration',
      jsonRoute(() => metadata(`${base}/{tenantid}/v2.0`)),
    );
    server.routes.set(
      '/common/v1/.well-known/openid-configuration',
      jsonRoute(() => metadata(`${base}/{tenantid}/v2.0`)),
    );
    server.routes.set(
      '/a/b/.well-known/openid-configuration',
      jsonRoute(() => metadata(`https://login.example.com/{tenantid}/v2.0`)),
    );
    const m = await fetchServerMetadata(`${base}/common/v2.0/.well-known/openid-configuration`);
    expect(m.issuer).toBe(`${base}/{tenantid}/v2.0`);
    for (const path of ['/common/v1', '/a/b']) {
      await expect(
        fetchServerMetadata(`${base}${path}/.well-known/openid-configuration`),
      ).rejects.toMatchObject({ error: 'invalid_issuer' });
    }
  });

  it('tolerates one trailing slash on the issuer (Discovery §4 strips it before the suffix)', async () => {
    expect(
      (await fetchServerMetadata(`${base}/slash/.well-known/openid-configuration`)).issuer,
    ).toBe(`${base}/slash/`);
  });

  it('refuses a document naming another issuer, with invalid_issuer naming the URL', async () => {
    for (const path of [
      '/evil/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server/evil',
    ]) {
      const err = await fetchServerMetadata(`${base}${path}?token=abc`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OAuthError);
      expect(err).toMatchObject({ error: 'invalid_issuer', endpoint: `${base}${path}` });
      expect((err as Error).message).toContain(`${base}${path}`);
      expect((err as Error).message).not.toContain('token=abc');
    }
  });

  it('checks an explicit issuer for a URL of neither form', async () => {
    const url = `${base}/custom/metadata.json`;
    expect((await fetchServerMetadata(url)).issuer).toBe(`${base}/custom`);
    expect((await fetchServerMetadata(url, { issuer: `${base}/custom` })).issuer).toBe(
      `${base}/custom`,
    );
    await expect(
      fetchServerMetadata(url, { issuer: 'https://other.example.com' }),
    ).rejects.toMatchObject({
      error: 'invalid_issuer',
    });
  });

  it.each([
    ['an HTML page', '/html'],
    ['a JSON array', '/array'],
    ['no issuer', '/noiss'],
    ['an endpoint that is not a URL', '/badurl'],
    ['an algorithm list that is not an array', '/badalgs'],
    ['a 404', '/missing'],
  ])('refuses %s with InvalidResponseError', async (_name, prefix) => {
    const err = await fetchServerMetadata(
      `${base}${prefix}/.well-known/openid-configuration`,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({
      error: 'invalid_response',
      endpoint: `${base}${prefix}/.well-known/openid-configuration`,
    });
  });

  it('surfaces an OAuth error body as OAuthError with the status', async () => {
    await expect(
      fetchServerMetadata(`${base}/down/.well-known/openid-configuration`),
    ).rejects.toMatchObject({
      name: 'OAuthError',
      error: 'temporarily_unavailable',
      status: 503,
    });
  });

  it('refuses a URL that is not absolute with a TypeError', async () => {
    await expect(fetchServerMetadata('/.well-known/openid-configuration')).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_OAUTH_INVALID_URL',
    });
  });
});

describe('MetadataCache', () => {
  it('fetches a URL once, also for concurrent callers', async () => {
    const path = '/cached/.well-known/openid-configuration';
    server.routes.set(
      path,
      jsonRoute(() => metadata(`${base}/cached`), { delay: 20 }),
    );
    const cache = new MetadataCache();
    const all = await Promise.all(Array.from({ length: 10 }, () => cache.get(`${base}${path}`)));
    expect(new Set(all).size).toBe(1);
    await cache.get(`${base}${path}`);
    expect(server.hits(path)).toBe(1);
    expect(cache.fetches).toBe(1);
  });

  it('does not cache a failure, and refetches after the ttl', async () => {
    const path = '/flaky/.well-known/openid-configuration';
    let fail = true;
    server.routes.set(path, (req, res) =>
      fail
        ? void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>')
        : jsonRoute(() => metadata(`${base}/flaky`))(req, res),
    );
    let now = 0;
    const cache = new MetadataCache({ ttl: 1000, now: () => now });
    await expect(cache.get(`${base}${path}`)).rejects.toBeInstanceOf(InvalidResponseError);
    fail = false;
    await expect(cache.get(`${base}${path}`)).resolves.toMatchObject({ issuer: `${base}/flaky` });
    now = 999;
    await cache.get(`${base}${path}`);
    expect(server.hits(path)).toBe(2);
    now = 1000;
    await cache.get(`${base}${path}`);
    expect(server.hits(path)).toBe(3);
  });
});

describe('validateAuthorizationResponseIssuer (RFC 9207)', () => {
  let advertised: AuthorizationServerMetadata;
  let silent: AuthorizationServerMetadata;

  beforeAll(async () => {
    advertised = await fetchServerMetadata(`${base}/.well-known/openid-configuration`);
    silent = { ...advertised, authorization_response_iss_parameter_supported: undefined };
  });

  it('accepts the right iss, and no iss when the server does not advertise it', () => {
    expect(() =>
      validateAuthorizationResponseIssuer(
        new URLSearchParams({ code: 'c', iss: base }),
        advertised,
      ),
    ).not.toThrow();
    expect(() =>
      validateAuthorizationResponseIssuer(new URLSearchParams({ code: 'c' }), silent),
    ).not.toThrow();
    expect(() =>
      validateAuthorizationResponseIssuer(new URLSearchParams({ code: 'c', iss: base }), silent),
    ).not.toThrow();
  });

  it.each([
    [
      'missing although advertised',
      () => new URLSearchParams({ code: 'secret-code' }),
      () => advertised,
    ],
    [
      'another issuer (mix-up)',
      () => new URLSearchParams({ code: 'secret-code', iss: 'https://evil.example' }),
      () => advertised,
    ],
    [
      'another issuer even when not advertised',
      () => new URLSearchParams({ code: 'secret-code', iss: `${base}/` }),
      () => silent,
    ],
    [
      'repeated',
      () =>
        new URLSearchParams([
          ['iss', base],
          ['iss', 'https://evil.example'],
          ['code', 'secret-code'],
        ]),
      () => advertised,
    ],
  ])('refuses an iss %s with OAuthError invalid_issuer', (_name, params, meta) => {
    let err: unknown;
    try {
      validateAuthorizationResponseIssuer(params(), meta());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ error: 'invalid_issuer' });
    expect((err as Error).message).not.toContain('secret-code');
    expect((err as Error).message).not.toContain('evil');
  });
});
