/**
 * JwtAccessTokenValidator against a hand-made issuer: every RFC 9068 check on
 * its own (each test breaks exactly one thing in an otherwise valid token),
 * algorithm confusion, discovery faults and the junk-kid flood.
 */
import { exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { MetadataCache } from '../../../../lib/core/oidc/discovery.js';
import { InvalidResponseError, OAuthError } from '../../../../lib/core/errors.js';
import { BearerTokenError } from '../../../../lib/server/resource/bearer-error.js';
import { checkJwtAccessTokenClaims } from '../../../../lib/server/resource/jwt-claims.js';
import {
  JwtAccessTokenValidator,
  type JwtAccessTokenOptions,
} from '../../../../lib/server/resource/jwt-validator.js';
import { jsonRoute, unsecured } from '../../core/oidc/support.js';
import { AUDIENCE, hmacJws, startTestIssuer, type TestIssuer } from './support.js';

let t: TestIssuer;

beforeAll(async () => {
  t = await startTestIssuer();
});
afterAll(() => t.close());
afterEach(() => {
  for (const key of Object.keys(t.metadata)) delete t.metadata[key];
});

const validator = (extra: Partial<JwtAccessTokenOptions> = {}) =>
  new JwtAccessTokenValidator({ issuer: t.issuer, audience: AUDIENCE, timeout: 2000, ...extra });

/** Expects an `invalid_token` refusal for `reason` that does not repeat the token. */
async function refused(promise: Promise<unknown>, reason: string, token?: string) {
  const err = await promise.then(
    () => {
      throw new Error(`expected a refusal (${reason}), but the token was accepted`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BearerTokenError);
  expect(err).toMatchObject({ error: 'invalid_token', status: 401, reason });
  if (token) {
    const text = `${(err as Error).message} ${JSON.stringify(err)} ${(err as BearerTokenError).description}`;
    for (const part of token.split('.').filter((p) => p.length > 8))
      expect(text).not.toContain(part);
  }
  return err as BearerTokenError;
}

describe('JwtAccessTokenValidator: a valid token', () => {
  it('gives the principal: sub, client_id, scope, claims, the token, exp', async () => {
    const claims = t.claims();
    const token = await t.mint(claims);
    await expect(validator().validate(token)).resolves.toEqual({
      sub: 'alice',
      clientId: 'app',
      scope: ['read', 'write'],
      claims,
      token,
      expiresAt: claims.exp,
      source: 'jwt',
    });
  });

  it('accepts `typ` with the application/ prefix, in any case', async () => {
    const v = validator();
    await expect(
      v.validate(await t.mint(t.claims(), { typ: 'application/at+JWT' })),
    ).resolves.toBeDefined();
    await expect(v.validate(await t.mint(t.claims(), { typ: 'AT+JWT' }))).resolves.toBeDefined();
  });

  it('accepts an audience list that contains this API, and any of several configured audiences', async () => {
    const listed = await t.mint(t.claims({ aud: ['https://other.example.com', AUDIENCE] }));
    await expect(validator().validate(listed)).resolves.toBeDefined();
    const v = validator({ audience: ['urn:a', AUDIENCE] });
    await expect(v.validate(await t.mint())).resolves.toBeDefined();
  });

  it('reads `scp` (a list, as Entra ID and Okta send it) when there is no `scope`', async () => {
    const token = await t.mint(t.claims({ scope: undefined, scp: ['read', 'admin'] }));
    await expect(validator().validate(token)).resolves.toMatchObject({ scope: ['read', 'admin'] });
  });

  it('tolerates 60 s of clock skew by default (exp, nbf, iat)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const v = validator();
    await expect(v.validate(await t.mint(t.claims({ exp: now - 50 })))).resolves.toBeDefined();
    await expect(v.validate(await t.mint(t.claims({ nbf: now + 50 })))).resolves.toBeDefined();
    await expect(v.validate(await t.mint(t.claims({ iat: now + 50 })))).resolves.toBeDefined();
  });

  it('with relaxed required claims, takes the client from `azp` (Auth0, Keycloak)', async () => {
    const v = validator({ requiredClaims: ['iss', 'exp', 'aud', 'sub'] });
    const token = await t.mint(t.claims({ client_id: undefined, jti: undefined, azp: 'spa' }));
    await expect(v.validate(token)).resolves.toMatchObject({ clientId: 'spa' });
  });

  it('with `jwksUri` and `issuer`, never fetches the metadata', async () => {
    const before = t.server.hits('/.well-known/openid-configuration');
    const v = validator({ jwksUri: `${t.issuer}/jwks` });
    await expect(v.validate(await t.mint())).resolves.toBeDefined();
    expect(t.server.hits('/.well-known/openid-configuration')).toBe(before);
  });
});

describe('JwtAccessTokenValidator: each check refuses on its own', () => {
  it('typ: missing, or `JWT` (an ID token, a plain JWT)', async () => {
    const v = validator();
    const none = await t.mint(t.claims(), { typ: undefined });
    await refused(v.validate(none), 'typ', none);
    await refused(v.validate(await t.mint(t.claims(), { typ: 'JWT' })), 'typ');
    await refused(v.validate(await t.mint(t.claims(), { typ: 'at+jwt+x' })), 'typ');
  });

  it('typ is configurable: `JWT` accepted when listed, a missing one when allowed', async () => {
    const jwt = validator({ typ: ['at+jwt', 'JWT'] });
    await expect(jwt.validate(await t.mint(t.claims(), { typ: 'JWT' }))).resolves.toBeDefined();
    await refused(jwt.validate(await t.mint(t.claims(), { typ: undefined })), 'typ');
    const missing = validator({ allowMissingTyp: true });
    await expect(
      missing.validate(await t.mint(t.claims(), { typ: undefined })),
    ).resolves.toBeDefined();
  });

  it('aud: another resource, none, or a malformed one', async () => {
    const v = validator();
    const other = await t.mint(t.claims({ aud: 'https://other.example.com' }));
    await refused(v.validate(other), 'aud', other);
    await refused(v.validate(await t.mint(t.claims({ aud: undefined }))), 'aud');
    await refused(v.validate(await t.mint(t.claims({ aud: [42] }))), 'aud');
    // Even when `aud` is not in the required claims.
    const relaxed = validator({ requiredClaims: [] });
    await refused(relaxed.validate(await t.mint(t.claims({ aud: undefined }))), 'aud');
  });

  it('audienceClaim client_id (Amazon Cognito: no aud, the app client in client_id)', async () => {
    const v = validator({
      audience: 'app-client-1',
      audienceClaim: 'client_id',
      allowMissingTyp: true,
      requiredClaims: ['iss', 'exp', 'sub', 'client_id', 'iat', 'jti'],
    });
    const cognito = (extra: Record<string, unknown>) =>
      t.mint(t.claims({ aud: undefined, token_use: 'access', ...extra }), { typ: undefined });
    await expect(v.validate(await cognito({ client_id: 'app-client-1' }))).resolves.toMatchObject({
      clientId: 'app-client-1',
    });
    // Another app client's token, and a Cognito ID token (aud = the client, no client_id).
    await refused(v.validate(await cognito({ client_id: 'app-client-2' })), 'aud');
    await refused(
      v.validate(await cognito({ client_id: undefined, aud: 'app-client-1', token_use: 'id' })),
      'aud',
    );
    // With the default, the same token has no audience at all.
    await refused(
      validator({ allowMissingTyp: true }).validate(await cognito({ client_id: AUDIENCE })),
      'aud',
    );
    expect(() => validator({ audienceClaim: 'azp' as never })).toThrow(/audienceClaim must be/);
  });

  it('exp: past the skew, missing, or not a number', async () => {
    const now = Math.floor(Date.now() / 1000);
    const v = validator();
    await refused(v.validate(await t.mint(t.claims({ exp: now - 61 }))), 'expired');
    await refused(v.validate(await t.mint(t.claims({ exp: undefined }))), 'exp');
    await refused(
      validator({ requiredClaims: [] }).validate(await t.mint(t.claims({ exp: undefined }))),
      'exp',
    );
    await refused(v.validate(await t.mint(t.claims({ exp: `${now + 600}` }))), 'exp');
  });

  it('exp against the configured clock and skew', async () => {
    const claims = t.claims();
    const token = await t.mint(claims);
    const at = (s: number) => validator({ now: () => s * 1000, clockTolerance: 5 });
    await expect(at((claims.exp as number) + 4).validate(token)).resolves.toBeDefined();
    await refused(at((claims.exp as number) + 5).validate(token), 'expired');
  });

  it('nbf: in the future beyond the skew, or malformed', async () => {
    const now = Math.floor(Date.now() / 1000);
    const v = validator();
    await refused(v.validate(await t.mint(t.claims({ nbf: now + 120 }))), 'nbf');
    await refused(v.validate(await t.mint(t.claims({ nbf: 'soon' }))), 'nbf');
  });

  it('iat: issued in the future beyond the skew, or malformed', async () => {
    const now = Math.floor(Date.now() / 1000);
    const v = validator();
    await refused(v.validate(await t.mint(t.claims({ iat: now + 120 }))), 'iat');
    await refused(v.validate(await t.mint(t.claims({ iat: 'now' }))), 'iat');
  });

  it.each(['sub', 'client_id', 'jti', 'iat'])('required claim %s: missing', async (claim) => {
    await refused(validator().validate(await t.mint(t.claims({ [claim]: undefined }))), claim);
  });

  it.each(['sub', 'client_id', 'jti'])('%s: present but not a non-empty string', async (claim) => {
    const v = validator();
    await refused(v.validate(await t.mint(t.claims({ [claim]: 7 }))), claim);
    await refused(v.validate(await t.mint(t.claims({ [claim]: '' }))), claim);
  });

  it('cnf: a sender-constrained (DPoP / mTLS) token is not a bearer token', async () => {
    await refused(validator().validate(await t.mint(t.claims({ cnf: { jkt: 'abc' } }))), 'cnf');
  });

  it('scope: a number or an object is a malformed token', async () => {
    await refused(validator().validate(await t.mint(t.claims({ scope: 7 }))), 'scope');
    await refused(
      validator().validate(await t.mint(t.claims({ scope: undefined, scp: { a: 1 } }))),
      'scope',
    );
  });

  it('iss: the verified claims must name the issuer (checked after the routing peek too)', () => {
    const rules = {
      issuer: t.issuer,
      audiences: [AUDIENCE],
      audienceClaim: 'aud' as const,
      typ: ['at+jwt'],
      allowMissingTyp: false,
      requiredClaims: [],
      clockTolerance: 0,
      now: Date.now,
    };
    const claims = t.claims({ iss: 'https://evil.example.com' });
    expect(() => checkJwtAccessTokenClaims({ typ: 'at+jwt' }, claims, rules, 'x')).toThrow(
      expect.objectContaining({ reason: 'iss' }),
    );
  });

  it('a JWT of another issuer is not this validator’s (undefined: the next one is asked)', async () => {
    const token = await t.mint(t.claims({ iss: 'https://other-issuer.example.com' }));
    await expect(validator().validate(token)).resolves.toBeUndefined();
    await expect(validator().validate('e30.bm90LWpzb24.c2ln')).resolves.toBeUndefined();
    const noIss = await t.mint(t.claims({ iss: undefined }));
    await expect(validator().validate(noIss)).resolves.toBeUndefined();
  });
});

describe('JwtAccessTokenValidator: signatures and algorithms', () => {
  it('forged signature: signed by another key under the issuer’s kid', async () => {
    const other = await generateKeyPair('RS256');
    const token = await t.mint(t.claims(), {}, other.privateKey);
    await refused(validator().validate(token), 'signature', token);
  });

  it('a tampered payload (scope raised) fails the signature', async () => {
    const token = await t.mint(t.claims({ scope: 'read' }));
    const [h, , s] = token.split('.');
    const raised = Buffer.from(JSON.stringify(t.claims({ scope: 'read admin' }))).toString(
      'base64url',
    );
    await refused(validator().validate(`${h}.${raised}.${s}`), 'signature');
  });

  it('alg none, in any case, with or without a signature', async () => {
    const v = validator();
    for (const alg of ['none', 'None', 'NONE']) {
      const token = unsecured(t.claims(), { alg, typ: 'at+jwt' });
      await refused(v.validate(token), 'alg', token);
      await refused(v.validate(`${token}c2ln`), 'alg');
    }
  });

  it('HS256 signed with the issuer’s public key (PEM, JWK JSON, modulus bytes) is refused', async () => {
    const pem = await exportSPKI(t.rsa.publicKey);
    const keys = [pem, JSON.stringify(t.rsa.jwk), Buffer.from(t.rsa.jwk.n!, 'base64url')];
    const v = validator();
    const wide = validator({ algorithms: ['RS256', 'HS256'] });
    for (const key of keys) {
      const token = hmacJws({ alg: 'HS256', typ: 'at+jwt', kid: 'r1' }, t.claims(), key);
      await refused(v.validate(token), 'alg', token);
      // Listing HS256 does not help: a resource server has no shared secret.
      await refused(wide.validate(token), 'alg', token);
    }
  });

  it('only the algorithms the issuer advertises: ES256 refused once the issuer lists only RS256', async () => {
    const es = await t.mint(t.claims(), { alg: 'ES256', kid: 'e1' }, t.ec.privateKey);
    await expect(validator().validate(es)).resolves.toBeDefined();
    t.metadata.id_token_signing_alg_values_supported = ['RS256'];
    await refused(validator().validate(es), 'alg');
  });

  it('access_token_signing_alg_values_supported wins over the ID-token list', async () => {
    const es = await t.mint(t.claims(), { alg: 'ES256', kid: 'e1' }, t.ec.privateKey);
    t.metadata.access_token_signing_alg_values_supported = ['RS256'];
    await refused(validator().validate(es), 'alg');
    await expect(validator().validate(await t.mint())).resolves.toBeDefined();
  });

  it('explicit algorithms override the metadata; one without an asymmetric algorithm is a start-up error', async () => {
    const es = await t.mint(t.claims(), { alg: 'ES256', kid: 'e1' }, t.ec.privateKey);
    await refused(validator({ algorithms: ['RS256'] }).validate(es), 'alg');
    expect(() => validator({ algorithms: ['HS256', 'none'] })).toThrow(
      expect.objectContaining({ code: 'ERR_OAUTH_RESOURCE_CONFIG' }),
    );
  });

  it('an issuer that advertises only HMAC algorithms is an invalid response (502), not a skip', async () => {
    t.metadata.id_token_signing_alg_values_supported = ['HS256'];
    await expect(validator().validate(await t.mint())).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('a junk-kid flood costs at most one re-fetch of the key set', async () => {
    const v = validator();
    await v.validate(await t.mint());
    const before = t.server.hits('/jwks');
    const tokens = await Promise.all(
      Array.from({ length: 200 }, (_, i) => t.mint(t.claims(), { kid: `junk-${i}` })),
    );
    const results = await Promise.allSettled(tokens.map((token) => v.validate(token)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    for (const r of results) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ reason: 'signature' });
    }
    expect(t.server.hits('/jwks') - before).toBeLessThanOrEqual(1);
  });
});

describe('JwtAccessTokenValidator: configuration and discovery', () => {
  it('needs an audience, and an issuer or a metadata URL', () => {
    for (const bad of [{ audience: '' }, { audience: [] }, { audience: undefined }]) {
      expect(
        () => new JwtAccessTokenValidator({ issuer: t.issuer, ...bad } as JwtAccessTokenOptions),
      ).toThrow(expect.objectContaining({ code: 'ERR_OAUTH_RESOURCE_CONFIG' }));
    }
    expect(() => new JwtAccessTokenValidator({ audience: AUDIENCE })).toThrow(
      expect.objectContaining({ code: 'ERR_OAUTH_RESOURCE_CONFIG' }),
    );
  });

  it('metadata naming another issuer is refused (invalid_issuer), and retried on the next token', async () => {
    const path = '/.well-known/openid-configuration';
    const good = t.server.routes.get(path)!;
    t.server.routes.set(
      path,
      jsonRoute(() => ({ issuer: 'https://evil.example.com', jwks_uri: `${t.issuer}/jwks` })),
    );
    const v = validator();
    await expect(v.validate(await t.mint())).rejects.toMatchObject({ error: 'invalid_issuer' });
    t.server.routes.set(path, good);
    await expect(v.validate(await t.mint())).resolves.toBeDefined();
  });

  it('a refreshed metadata document with a new jwks_uri gets a new key cache', async () => {
    const metadataCache = new MetadataCache({ ttl: 0 });
    const v = validator({ metadataCache });
    await expect(v.validate(await t.mint())).resolves.toBeDefined();
    const moved = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(moved.publicKey)), kid: 'moved' };
    t.server.routes.set(
      '/jwks-2',
      jsonRoute(() => ({ keys: [jwk] })),
    );
    t.metadata.jwks_uri = `${t.issuer}/jwks-2`;
    const token = await t.mint(t.claims(), { kid: 'moved' }, moved.privateKey);
    await expect(v.validate(token)).resolves.toBeDefined();
    expect(t.server.hits('/jwks-2')).toBe(1);
  });

  it('metadata without jwks_uri is an invalid response naming the metadata URL', async () => {
    t.server.routes.set(
      '/no-jwks/.well-known/openid-configuration',
      jsonRoute(() => ({ issuer: `${t.issuer}/no-jwks` })),
    );
    const v = new JwtAccessTokenValidator({ issuer: `${t.issuer}/no-jwks`, audience: AUDIENCE });
    const token = await t.mint(t.claims({ iss: `${t.issuer}/no-jwks` }));
    const err = await v.validate(token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as OAuthError).message).toContain('/no-jwks/.well-known/openid-configuration');
  });
});
