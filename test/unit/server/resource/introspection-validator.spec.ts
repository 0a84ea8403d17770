/**
 * IntrospectionValidator against a hand-made endpoint: each check of an
 * active answer on its own, endpoint faults (502 / 504, never a 401 blamed on
 * the token), single flight, the cache switch, and no token in any message.
 * The flows (auth methods, revocation, cache counts) run against oidc-provider
 * in test/e2e/server-resource-introspection.e2e-spec.ts.
 */
import { inspect } from 'node:util';
import {
  InvalidResponseError,
  OAuthError,
  OAuthTimeoutError,
} from '../../../../lib/core/errors.js';
import { OAuth2Client } from '../../../../lib/core/oauth2/oauth2-client.js';
import { BearerTokenError } from '../../../../lib/server/resource/bearer-error.js';
import {
  IntrospectionValidator,
  type IntrospectionOptions,
} from '../../../../lib/server/resource/introspection-validator.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support.js';

const TOKEN = 'opaque-token-0123456789abcdef';
let t: TestIssuer;

beforeAll(async () => {
  t = await startTestIssuer();
});
afterAll(() => t.close());
beforeEach(() => {
  t.introspection.status = 200;
  t.introspection.delay = 0;
  t.introspection.bodies.length = 0;
  t.introspection.body = activeAnswer();
});

function activeAnswer(extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    active: true,
    iss: t.issuer,
    aud: AUDIENCE,
    sub: 'alice',
    client_id: 'app',
    scope: 'read write',
    token_type: 'Bearer',
    iat: now,
    exp: now + 600,
    ...extra,
  };
}

const validator = (extra: Partial<IntrospectionOptions> = {}) =>
  new IntrospectionValidator({
    issuer: t.issuer,
    clientId: 'api',
    clientSecret: 'api-secret',
    audience: AUDIENCE,
    timeout: 2000,
    ...extra,
  });

async function refused(promise: Promise<unknown>, reason: string) {
  const err = await promise.then(
    () => {
      throw new Error(`expected a refusal (${reason})`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BearerTokenError);
  expect(err).toMatchObject({ error: 'invalid_token', reason });
  expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain(TOKEN);
}

describe('IntrospectionValidator: answers', () => {
  it('an active answer gives the principal; the request is authenticated and hints access_token', async () => {
    const answer = activeAnswer();
    t.introspection.body = answer;
    await expect(validator().validate(TOKEN)).resolves.toEqual({
      sub: 'alice',
      clientId: 'app',
      scope: ['read', 'write'],
      claims: answer,
      token: TOKEN,
      expiresAt: answer.exp,
      source: 'introspection',
    });
    const sent = t.introspection.bodies[0];
    expect(sent.get('token')).toBe(TOKEN);
    expect(sent.get('token_type_hint')).toBe('access_token');
    const auth = t.server.last('/introspect')!.headers.authorization!;
    expect(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString()).toBe('api:api-secret');
  });

  it('inactive', async () => {
    t.introspection.body = { active: false };
    await refused(validator().validate(TOKEN), 'inactive');
  });

  it('unsupported_token_type or invalid_token from the endpoint means inactive (oidc-provider and JWTs)', async () => {
    t.introspection.status = 400;
    t.introspection.body = { error: 'unsupported_token_type', error_description: `no ${TOKEN}` };
    await refused(validator().validate(TOKEN), 'inactive');
  });

  it.each([
    ['refresh_token', false],
    ['DPoP', false],
    ['N_A', false],
    ['bearer', true],
    ['Bearer', true],
    [undefined, false],
    [7, false],
  ])('token_type %j accepted: %j', async (tokenType, ok) => {
    t.introspection.body = activeAnswer({ token_type: tokenType });
    if (ok) await expect(validator().validate(TOKEN)).resolves.toBeDefined();
    else await refused(validator().validate(TOKEN), 'token_type');
  });

  it('requireTokenType: false accepts an answer without token_type, still not another type', async () => {
    t.introspection.body = activeAnswer({ token_type: undefined });
    await expect(validator({ requireTokenType: false }).validate(TOKEN)).resolves.toBeDefined();
    t.introspection.body = activeAnswer({ token_type: 'refresh_token' });
    await refused(validator({ requireTokenType: false }).validate(TOKEN), 'token_type');
  });

  it('exp passed (the server said active, our clock disagrees), and a malformed exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    t.introspection.body = activeAnswer({ exp: now - 120 });
    await refused(validator({ cache: false }).validate(TOKEN), 'expired');
    t.introspection.body = activeAnswer({ exp: 'later' });
    await refused(validator({ cache: false }).validate(TOKEN), 'exp');
  });

  it('a cached answer is checked against the clock again on every use', async () => {
    let now = Date.now();
    const v = validator({ now: () => now, cache: { ttl: 3_600_000 }, clockTolerance: 0 });
    t.introspection.body = activeAnswer({ exp: Math.floor(now / 1000) + 30 });
    await expect(v.validate(TOKEN)).resolves.toBeDefined();
    now += 31_000;
    await refused(v.validate(TOKEN), 'expired');
  });

  it('nbf in the future', async () => {
    t.introspection.body = activeAnswer({ nbf: Math.floor(Date.now() / 1000) + 600 });
    await refused(validator().validate(TOKEN), 'nbf');
  });

  it('iss of another issuer (when the answer has one)', async () => {
    t.introspection.body = activeAnswer({ iss: 'https://evil.example.com' });
    await refused(validator().validate(TOKEN), 'iss');
    t.introspection.body = activeAnswer({ iss: undefined });
    await expect(validator().validate(TOKEN)).resolves.toBeDefined();
  });

  it('aud: another resource, or none, is refused; audience: false accepts any', async () => {
    t.introspection.body = activeAnswer({ aud: 'https://other.example.com' });
    await refused(validator().validate(TOKEN), 'aud');
    t.introspection.body = activeAnswer({ aud: undefined });
    await refused(validator().validate(TOKEN), 'aud');
    await expect(validator({ audience: false }).validate(TOKEN)).resolves.toBeDefined();
    t.introspection.body = activeAnswer({ aud: ['x', AUDIENCE] });
    await expect(validator().validate(TOKEN)).resolves.toBeDefined();
  });

  it('cnf: a sender-constrained token', async () => {
    t.introspection.body = activeAnswer({ cnf: { 'x5t#S256': 'abc' } });
    await refused(validator().validate(TOKEN), 'cnf');
  });

  it('a malformed scope', async () => {
    t.introspection.body = activeAnswer({ scope: ['read', 7] });
    await refused(validator().validate(TOKEN), 'scope');
  });
});

describe('IntrospectionValidator: endpoint faults are 502 / 504 material, never the token’s fault', () => {
  it('no boolean `active`', async () => {
    for (const body of [{}, { active: 'true' }, { active: 1 }]) {
      t.introspection.body = body;
      await expect(validator().validate(TOKEN)).rejects.toBeInstanceOf(InvalidResponseError);
    }
  });

  it('our credentials refused (invalid_client), with the token echoed in the description', async () => {
    t.introspection.status = 401;
    t.introspection.body = {
      error: 'invalid_client',
      error_description: `bad client for ${TOKEN}`,
    };
    const err = await validator()
      .validate(TOKEN)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).not.toBeInstanceOf(BearerTokenError);
    expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain(TOKEN);
  });

  it('an HTML error page', async () => {
    t.server.routes.set(
      '/html',
      (_req, res) => void res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>'),
    );
    const v = validator({ introspectionEndpoint: `${t.issuer}/html` });
    await expect(v.validate(TOKEN)).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('a timeout', async () => {
    t.introspection.delay = 500;
    await expect(validator({ timeout: 100 }).validate(TOKEN)).rejects.toBeInstanceOf(
      OAuthTimeoutError,
    );
  });

  it('failures are not cached: the next request asks again', async () => {
    const v = validator();
    t.introspection.status = 503;
    t.introspection.body = { nope: true };
    await expect(v.validate(TOKEN)).rejects.toBeInstanceOf(InvalidResponseError);
    t.introspection.status = 200;
    t.introspection.body = activeAnswer();
    await expect(v.validate(TOKEN)).resolves.toBeDefined();
    expect(v.calls).toBe(2);
  });
});

describe('IntrospectionValidator: calls', () => {
  it('concurrent requests with one token share one call; later ones hit the cache', async () => {
    t.introspection.delay = 50;
    const v = validator();
    await Promise.all(Array.from({ length: 20 }, () => v.validate(TOKEN)));
    await v.validate(TOKEN);
    expect(v.calls).toBe(1);
    expect(t.introspection.bodies).toHaveLength(1);
  });

  it('an inactive answer is cached briefly (negativeTtl)', async () => {
    let now = Date.now();
    const v = validator({ now: () => now, cache: { negativeTtl: 1000 } });
    t.introspection.body = { active: false };
    await refused(v.validate(TOKEN), 'inactive');
    await refused(v.validate(TOKEN), 'inactive');
    expect(v.calls).toBe(1);
    now += 1000;
    await refused(v.validate(TOKEN), 'inactive');
    expect(v.calls).toBe(2);
  });

  it('keeps no token in memory: the cache is keyed by its hash', async () => {
    const v = validator();
    await v.validate(TOKEN);
    expect(inspect(v, { depth: 20, showHidden: true })).not.toContain(TOKEN);
  });

  it('cache: false introspects every time', async () => {
    const v = validator({ cache: false });
    await v.validate(TOKEN);
    await v.validate(TOKEN);
    expect(v.calls).toBe(2);
  });

  it('client_secret_post, and a given OAuth2Client with its own method', async () => {
    await validator({ tokenEndpointAuthMethod: 'client_secret_post' }).validate(TOKEN);
    expect(t.introspection.bodies[0].get('client_secret')).toBe('api-secret');
    const client = new OAuth2Client({ clientId: 'c2', tokenEndpointAuthMethod: 'none' });
    await validator({ client, clientId: undefined }).validate(TOKEN);
    expect(t.introspection.bodies[1].get('client_id')).toBe('c2');
  });

  it('endpoint from the metadata, or given; configuration mistakes fail at start-up', async () => {
    const v = new IntrospectionValidator({
      introspectionEndpoint: `${t.issuer}/introspect`,
      clientId: 'api',
      clientSecret: 's',
      audience: AUDIENCE,
    });
    await expect(v.validate(TOKEN)).resolves.toBeDefined();
    const config = expect.objectContaining({ code: 'ERR_OAUTH_RESOURCE_CONFIG' });
    expect(() => new IntrospectionValidator({ clientId: 'api', audience: AUDIENCE })).toThrow(
      config,
    );
    expect(() => new IntrospectionValidator({ issuer: t.issuer, audience: AUDIENCE })).toThrow(
      config,
    );
    expect(
      () => new IntrospectionValidator({ issuer: t.issuer, clientId: 'api' } as never),
    ).toThrow(config);
    expect(
      () => new IntrospectionValidator({ issuer: t.issuer, clientId: 'api', audience: [] }),
    ).toThrow(config);
  });
});
