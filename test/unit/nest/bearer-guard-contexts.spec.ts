/**
 * `OAuthBearerGuard` outside HTTP (issue 14): where it reads the token of a
 * WebSocket (socket.io's handshake headers or `auth: { token }`) and of a
 * microservice message (gRPC metadata, NATS, Kafka and RabbitMQ headers),
 * with the same RFC 6750 rules as HTTP, and what a refusal becomes there
 * (`WsException` carrying `{ error, error_description }`). The WebSocket flow
 * over a real connection is test/e2e/nest-resource-websocket.e2e-spec.ts.
 */
import { ExecutionContextHost } from '@nestjs/core/internal';
import { Test, type TestingModule } from '@nestjs/testing';
import { WsException } from '@nestjs/websockets';
import {
  OAUTH_ACCESS_TOKEN_LOOKUP,
  OAuthBearerException,
  OAuthBearerGuard,
  OAuthResourceModule,
  OAuthResourceService,
  getOAuthPrincipal,
  RequireOAuth,
} from '../../../lib/index.js';

const TOKEN = 'stored-token-value';
const lookup = (token: string) =>
  token === TOKEN
    ? { clientId: 'app', sub: 'bob', scope: 'read', expiresAt: Date.now() / 1000 + 60 }
    : undefined;

class Handlers {
  @RequireOAuth('read') read() {}
  @RequireOAuth('write') write() {}
}

/** A guard of the app that needs one more scope than the route's. */
class WriteGuard extends OAuthBearerGuard {
  protected override getRequiredScopes(): string[] {
    return ['read', 'write'];
  }
}

let moduleRef: TestingModule;
let guard: OAuthBearerGuard;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [OAuthResourceModule.forRoot({ realm: 'msgs' })],
    providers: [
      { provide: OAUTH_ACCESS_TOKEN_LOOKUP, useValue: lookup },
      OAuthBearerGuard,
      WriteGuard,
    ],
  }).compile();
  await moduleRef.init();
  guard = moduleRef.get(OAuthBearerGuard);
});
afterAll(async () => {
  await moduleRef?.close();
});

function context(type: 'ws' | 'rpc' | 'http', args: unknown[], handler: 'read' | 'write' = 'read') {
  const host = new ExecutionContextHost(args, Handlers, Handlers.prototype[handler]);
  host.setType(type);
  return host;
}

/** What the guard threw, or `true`. */
const outcome = (ctx: ExecutionContextHost) => guard.canActivate(ctx).catch((err: unknown) => err);

describe('microservice messages: the authorization metadata', () => {
  const grpc = (...values: string[]) => ({
    get: (key: string) => (key === 'authorization' ? values : []),
  });
  const nats = (value?: string) => ({
    getHeaders: () => ({ get: (key: string) => (key === 'authorization' ? (value ?? '') : '') }),
  });
  const kafka = (value?: string) => ({
    getMessage: () => ({
      headers: value === undefined ? {} : { authorization: Buffer.from(value) },
    }),
  });
  const rmq = (value?: string) => ({
    getMessage: () => ({
      properties: { headers: value === undefined ? {} : { authorization: value } },
    }),
  });

  it.each([
    ['gRPC metadata', grpc(`Bearer ${TOKEN}`)],
    ['NATS headers', nats(`Bearer ${TOKEN}`)],
    ['Kafka headers (a Buffer)', kafka(`Bearer ${TOKEN}`)],
    ['RabbitMQ headers', rmq(`Bearer ${TOKEN}`)],
  ])(
    '%s: a valid token passes and its principal is kept with the message context',
    async (_name, ctx) => {
      expect(await outcome(context('rpc', [{ order: 1 }, ctx]))).toBe(true);
      expect(getOAuthPrincipal(ctx)).toMatchObject({ sub: 'bob', source: 'storage' });
    },
  );

  it.each([
    ['no metadata', grpc(), 'Unauthorized'],
    ['gRPC metadata sent twice', grpc(`Bearer ${TOKEN}`, `Bearer ${TOKEN}`), 'invalid_request'],
    ['an unknown token', nats('Bearer nope'), 'invalid_token'],
    ['a malformed header', kafka('Bearer a b'), 'invalid_request'],
  ])('%s: refused', async (_name, ctx, expected) => {
    const err = await outcome(context('rpc', [{}, ctx]));
    // Without @nestjs/microservices installed, the refusal stays an OAuthBearerException.
    const body = (err as OAuthBearerException).getResponse() as Record<string, unknown>;
    expect(body.error ?? body.message).toBe(expected);
  });

  it('a scope the token lacks: insufficient_scope', async () => {
    const err = await outcome(context('rpc', [{}, rmq(`Bearer ${TOKEN}`)], 'write'));
    expect((err as OAuthBearerException).getStatus()).toBe(403);
  });
});

describe('socket.io sockets: handshake headers, or auth: { token }', () => {
  const socket = (handshake: object) => ({ handshake });

  it('the Authorization header of the handshake', async () => {
    const client = socket({ headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await outcome(context('ws', [client, {}]))).toBe(true);
    expect(getOAuthPrincipal(client)).toMatchObject({ sub: 'bob' });
  });

  it('auth: { token }, as a browser sends it', async () => {
    expect(
      await outcome(context('ws', [socket({ headers: {}, auth: { token: TOKEN } }), {}])),
    ).toBe(true);
  });

  it('both at once: invalid_request; none: no token; a bad one: invalid_token, as WsExceptions', async () => {
    const both = socket({ headers: { authorization: `Bearer ${TOKEN}` }, auth: { token: TOKEN } });
    const cases: [object, object][] = [
      [
        both,
        {
          error: 'invalid_request',
          error_description: 'The access token was sent by more than one method',
        },
      ],
      [socket({ headers: {} }), { statusCode: 401, message: 'Unauthorized' }],
      [
        socket({ headers: {}, auth: { token: 'not valid!' } }),
        { error: 'invalid_request', error_description: 'Malformed bearer token' },
      ],
      [
        socket({ headers: { authorization: 'Bearer unknown' } }),
        { error: 'invalid_token', error_description: 'The access token is not valid' },
      ],
    ];
    for (const [client, error] of cases) {
      const err = await outcome(context('ws', [client, {}]));
      expect(err).toBeInstanceOf(WsException);
      expect((err as WsException).getError()).toEqual(error);
    }
  });
});

describe('HTTP: the decorator and a request guarded twice', () => {
  it('@RequireOAuth refuses a scope that is not an RFC 6749 scope token, when the route is declared', () => {
    for (const bad of ['two words', '', 'quote"', 'back\\slash']) {
      expect(() => RequireOAuth(bad)).toThrow(
        expect.objectContaining({ name: 'TypeError', code: 'ERR_OAUTH_SCOPE' }),
      );
    }
  });

  it('verifyRequest with a malformed scope: the programming mistake is thrown as it is', async () => {
    const service = moduleRef.get(OAuthResourceService);
    const request = { method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } };
    await expect(service.verifyRequest(request, ['two words'])).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_OAUTH_SCOPE',
    });
  });

  it('a second guard needing more scopes than the first validated does not reuse its verdict', async () => {
    const request = { method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } };
    const http = () => context('http', [request, {}]);
    expect(await outcome(http())).toBe(true);
    expect(getOAuthPrincipal(request)).toMatchObject({ sub: 'bob', scope: ['read'] });
    const err = await moduleRef
      .get(WriteGuard)
      .canActivate(http())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthBearerException);
    expect((err as OAuthBearerException).getStatus()).toBe(403);
    expect((err as OAuthBearerException).headers['WWW-Authenticate']).toBe(
      'Bearer realm="msgs", error="insufficient_scope", error_description="The access token does not grant every scope this resource needs", scope="read write"',
    );
  });
});
