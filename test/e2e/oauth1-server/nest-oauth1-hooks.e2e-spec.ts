/**
 * OAuth1ServerModule's hooks and handler contracts, on Express and Fastify:
 * `beforeRequest` / `afterRequest` / `invalidResponse` around protected
 * resources (with the request `@Req()` gives); a decision handler returning
 * `true` approves as the signed-in user (`resourceOwner`), and refuses without
 * one; an access-token handler that throws leaves the request token unspent;
 * `OAuth1ServerService.verifyRequest()` in a route of the app's own.
 */
import { Controller, ForbiddenException, Get, Post, Req, UseFilters } from '@nestjs/common';
import {
  AccessTokenEndpoint,
  OAuth1AuthorizeEndpoint,
  OAuth1ProviderError,
  OAuth1ResponseException,
  OAuth1ResponseFilter,
  OAuth1ServerService,
} from '../../../lib/index.js';
import { appClient, type TestUser } from '../../fixtures/oauth1-provider-app.js';
import {
  startNestOAuth1Provider,
  type NestProviderApp,
} from '../../fixtures/nest-apps/oauth1-provider.app.js';
import { PLATFORMS } from '../../fixtures/nest-apps/start-app.js';

@Controller('session')
class SessionRoutes {
  constructor(private readonly oauth1: OAuth1ServerService<TestUser>) {}

  /** The consent form of a signed-in user: `true` approves as `resourceOwner(request)`. */
  @Post('authorize')
  @OAuth1AuthorizeEndpoint()
  approve(): boolean {
    return true;
  }

  /** An access-token handler that refuses (a client the app has blocked). */
  @Post('access_token')
  @AccessTokenEndpoint()
  blocked(): never {
    throw new ForbiddenException('This client is blocked');
  }

  /** verifyRequest() where a decorator does not fit; refusals answered by the module's filter. */
  @Get('photos')
  @UseFilters(OAuth1ResponseFilter)
  async photos(@Req() req: { sawBefore?: boolean }): Promise<object> {
    try {
      const { user, realms } = await this.oauth1.verifyRequest(req, ['photos']);
      return { user, realms, sawBefore: req.sawBefore === true };
    } catch (err) {
      if (err instanceof OAuth1ProviderError) throw new OAuth1ResponseException(err.response);
      throw err;
    }
  }
}

describe.each(PLATFORMS)('OAuth1ServerModule hooks and handlers, on %s', (platform) => {
  let app: NestProviderApp;
  const seen: Array<{ before?: string; after?: boolean }> = [];

  beforeAll(async () => {
    app = await startNestOAuth1Provider(platform, {
      app: { controllers: [SessionRoutes] },
      module: {
        resourceOwner: (request: { headers: Record<string, string | undefined> }) => {
          const id = request.headers['x-session-user'];
          return id ? { id, name: 'Session user' } : undefined;
        },
        beforeRequest(request, httpRequest: { sawBefore?: boolean }) {
          httpRequest.sawBefore = true;
          seen.push({ before: new URL(request.url).pathname });
        },
        afterRequest(valid, _oauth, request) {
          seen.push({ after: valid });
          return request.headers['x-deny'] === undefined;
        },
        invalidResponse(error) {
          if (error.problem !== 'nonce_used') return undefined;
          return {
            status: 401,
            headers: { 'Content-Type': 'application/json' },
            body: '{"error":"replayed"}',
          };
        },
      },
    });
  });
  afterAll(() => app?.close());
  afterEach(() => expect(app.serverErrors).toEqual([]));

  const newClient = () => appClient(app);

  const approve = (oauthToken: string, user?: string) =>
    app.fetch(`${app.origin}/session/authorize`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(user ? { 'x-session-user': user } : {}),
      },
      body: new URLSearchParams({ oauth_token: oauthToken }),
    });

  it('`true` approves as the signed-in resource owner; without one: 403, the request token unspent', async () => {
    const client = newClient();
    const temporary = await client.fetchRequestToken(app.endpoints.requestToken);
    const anonymous = await approve(temporary.oauth_token);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.json()).toMatchObject({
      message: 'No signed-in resource owner approved this request',
    });

    const approved = await approve(temporary.oauth_token, 'u-42');
    expect(approved.status).toBe(302);
    client.parseAuthorizationResponse(approved.headers.get('location')!);
    const token = await client.fetchAccessToken(app.endpoints.accessToken);
    expect(token).toMatchObject({ user_id: 'u-42', screen_name: 'Session user' });
  });

  it('an access-token handler that throws: its error, and the request token still works once', async () => {
    const client = newClient();
    const temporary = await client.fetchRequestToken(app.endpoints.requestToken);
    const approved = await approve(temporary.oauth_token, 'u-7');
    client.parseAuthorizationResponse(approved.headers.get('location')!);
    const blocked = await client
      .fetchAccessToken(`${app.origin}/session/access_token`)
      .catch((e) => e);
    expect(blocked).toMatchObject({ status: 403 });
    await expect(client.fetchAccessToken(app.endpoints.accessToken)).resolves.toMatchObject({
      user_id: 'u-7',
    });
  });

  it('beforeRequest sees the request @Req() gives; afterRequest can refuse; invalidResponse answers', async () => {
    const client = newClient();
    const temporary = await client.fetchRequestToken(app.endpoints.requestToken);
    const decision = await approve(temporary.oauth_token, 'u-9');
    client.parseAuthorizationResponse(decision.headers.get('location')!);
    await client.fetchAccessToken(app.endpoints.accessToken);
    seen.length = 0;

    const photos = await client.get(`${app.origin}/session/photos`);
    expect(await photos.json()).toEqual({
      user: { id: 'u-9', name: 'Session user' },
      realms: ['photos'],
      sawBefore: true,
    });
    expect(seen).toEqual([{ before: '/session/photos' }, { after: true }]);

    const denied = await client.get(app.endpoints.me, { headers: { 'x-deny': '1' } });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toMatch(/^oauth_problem=permission_denied&/);

    const signed = client.sign('GET', `${app.origin}/session/photos`);
    const once = () => app.fetch(signed.url, { headers: signed.headers });
    expect((await once()).status).toBe(200);
    const replay = await once();
    expect(replay.status).toBe(401);
    expect(replay.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await replay.text()).toBe('{"error":"replayed"}');
  });
});
