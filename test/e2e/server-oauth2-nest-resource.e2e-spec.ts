/**
 * Issue 13 meets issue 14: an app that is its own authorization server
 * (`OAuth2ServerModule`) protects its API with `@RequireOAuth()` and
 * `OAuthResourceModule.forRoot()` configured with nothing. The server module
 * provides `OAUTH_ACCESS_TOKEN_LOOKUP`, so the tokens it issued are checked in
 * its storage (by hash): valid, too narrow, revoked, unknown. Express and Fastify.
 */
import { PLATFORMS } from '../fixtures/nest-apps/start-app.js';
import { startNestAuthServer } from '../fixtures/auth-server/nest-server.js';
import { STORAGES } from '../fixtures/auth-server/storages.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';

describe.each(PLATFORMS)('OAuth2ServerModule tokens on @RequireOAuth routes, on %s', (platform) => {
  const suite = useAuthServerSuite(
    STORAGES[0],
    () => ({}),
    (options) => startNestAuthServer(platform, { ...options, protectedApi: true }),
  );

  async function token(scope: string): Promise<string> {
    const { clientId, secret } = suite.clients.specs.post;
    const res = await suite.as.post('/token', {
      grant_type: 'client_credentials',
      scope,
      client_id: clientId,
      client_secret: secret!,
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  const me = async (bearer: string) => {
    const res = await fetch(`${suite.as.issuer}/api/me`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    return {
      status: res.status,
      challenge: res.headers.get('www-authenticate'),
      body: await res.json(),
    };
  };

  it('accepts a token the module issued, with its client and scope as the principal', async () => {
    expect(await me(await token('api:read'))).toEqual({
      status: 200,
      challenge: null,
      body: { clientId: suite.clients.specs.post.clientId, scope: ['api:read'] },
    });
  });

  it('refuses a token without the route’s scope (403), an unknown one and a revoked one (401)', async () => {
    const narrow = await me(await token('api:write'));
    expect(narrow.status).toBe(403);
    expect(narrow.challenge).toMatch(/error="insufficient_scope"/);

    expect((await me('never-issued-by-this-server')).status).toBe(401);

    const revoked = await token('api:read');
    expect((await me(revoked)).status).toBe(200);
    const { clientId, secret } = suite.clients.specs.post;
    const res = await suite.as.post('/revoke', {
      token: revoked,
      client_id: clientId,
      client_secret: secret!,
    });
    expect(res.status).toBe(200);
    const after = await me(revoked);
    expect(after.status).toBe(401);
    expect(after.challenge).toMatch(/error="invalid_token"/);
  });
});
