/**
 * Our authorization server, served on node:http, driven by three client
 * libraries no one here wrote the server for: openid-client 6, oauth4webapi 3
 * and this library's own OAuth2Client. Every grant and client authentication
 * method; each library validates the ID tokens itself. Runs on every storage
 * of `STORAGES`.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { hashToken } from '../../lib/server/oauth2/index.js';
import { USER, type ClientSpec } from '../fixtures/auth-server/clients.js';
import { PEERS, type Peer } from '../fixtures/auth-server/peers.js';
import type { AuthServerFixture } from '../fixtures/auth-server/server.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { STORAGE_ROWS } from '../fixtures/auth-server/storages.js';

const AUTH_METHODS = ['basic', 'post', 'none', 'secretJwt', 'rs256', 'es256', 'eddsa'] as const;

/** How the last token request authenticated, as the server received it. */
function tokenRequestAuth(as: AuthServerFixture): Record<string, unknown> {
  const request = as.requests.filter((r) => r.url.endsWith('/token')).at(-1)!;
  const body = new URLSearchParams(request.body as string);
  const assertion = body.get('client_assertion');
  return {
    basic: request.headers.authorization?.toString().startsWith('Basic ') ?? false,
    secretInBody: body.has('client_secret'),
    clientId: body.get('client_id') ?? undefined,
    assertionAlg: assertion ? decodeProtectedHeader(assertion).alg : undefined,
    assertionAud: assertion ? decodeJwt(assertion).aud : undefined,
  };
}

/** What {@link tokenRequestAuth} must show for a client's method. */
function expectedAuth(spec: ClientSpec, issuer: string): Record<string, unknown> {
  switch (spec.method) {
    case 'client_secret_basic':
      return { basic: true, secretInBody: false };
    case 'client_secret_post':
      return { basic: false, secretInBody: true, clientId: spec.clientId };
    case 'none':
      return {
        basic: false,
        secretInBody: false,
        clientId: spec.clientId,
        assertionAlg: undefined,
      };
    case 'client_secret_jwt':
      return {
        basic: false,
        secretInBody: false,
        assertionAlg: 'HS256',
        assertionAud: expect.anything(),
      };
    default:
      return {
        basic: false,
        secretInBody: false,
        assertionAlg: expect.stringMatching(
          spec.key!.alg === 'EdDSA' ? /^(EdDSA|Ed25519)$/ : spec.key!.alg,
        ),
        assertionAud: expect.stringContaining(issuer),
      };
  }
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: { error?: string; code?: string }) => err.error ?? err.code ?? err,
  );

describe.each(STORAGE_ROWS)('authorization server on the %s storage', (_name, factory) => {
  const suite = useAuthServerSuite(factory);

  describe.each(PEERS.map((p) => [p.name, p] as const))('%s', (_peer, peer: Peer) => {
    it.each(AUTH_METHODS)(
      'logs in with the code flow, PKCE and %s client authentication',
      async (method) => {
        const spec = suite.clients.specs[method];
        const client = await peer.client(suite.as, spec);
        const tokens = await client.login();
        expect(tokenRequestAuth(suite.as)).toMatchObject(expectedAuth(spec, suite.as.issuer));
        expect(tokens.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(decodeProtectedHeader(tokens.id_token!).alg).toBe(spec.idTokenAlg ?? 'RS256');
        expect(tokens.claims).toMatchObject({
          iss: suite.as.issuer,
          sub: USER.sub,
          aud: spec.clientId,
          auth_time: expect.any(Number),
          acr: 'urn:example:pwd',
          amr: ['pwd'],
        });
        expect(await client.userinfo(tokens.access_token, USER.sub)).toEqual({
          sub: USER.sub,
          name: USER.claims.name,
          given_name: USER.claims.given_name,
          email: USER.claims.email,
          email_verified: true,
        });
      },
    );

    it('rotates refresh tokens, and a reused one revokes the whole family', async () => {
      const client = await peer.client(suite.as, suite.clients.specs.basic);
      const first = await client.login('openid profile api:read');
      expect(first.refresh_token).toBeDefined();
      const second = await client.refresh(first.refresh_token!);
      expect(second.refresh_token).toBeDefined();
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.claims).toMatchObject({
        sub: USER.sub,
        aud: suite.clients.specs.basic.clientId,
      });
      expect(second.scope).toBe('openid profile api:read');
      // The old pair is gone with the rotation.
      expect(await client.introspect(first.access_token)).toEqual({ active: false });
      expect(await client.introspect(second.access_token)).toMatchObject({ active: true });
      // Reuse of the rotated refresh token: refused, and the family (second pair) is revoked.
      expect(await errorOf(client.refresh(first.refresh_token!))).toBe('invalid_grant');
      expect(await client.introspect(second.access_token)).toEqual({ active: false });
      expect(await errorOf(client.refresh(second.refresh_token!))).toBe('invalid_grant');
    });

    it('narrows the scope on refresh and never widens it', async () => {
      const client = await peer.client(suite.as, suite.clients.specs.basic);
      const tokens = await client.login('openid api:read');
      expect(
        await errorOf(client.refresh(tokens.refresh_token!, 'openid api:read api:write')),
      ).toBe('invalid_scope');
      const narrowed = await client.refresh(tokens.refresh_token!, 'openid');
      expect(narrowed.scope).toBe('openid');
      expect(await errorOf(client.refresh(narrowed.refresh_token!, 'openid api:read'))).toBe(
        'invalid_scope',
      );
    });

    it('issues client_credentials tokens to a confidential client, without refresh token', async () => {
      const client = await peer.client(suite.as, suite.clients.specs.post);
      const tokens = await client.clientCredentials('api:read');
      expect(tokens).toMatchObject({ scope: 'api:read', expires_in: 3600 });
      expect(tokens.refresh_token).toBeUndefined();
      expect(tokens.id_token).toBeUndefined();
      const introspected = await client.introspect(tokens.access_token);
      expect(introspected).toMatchObject({
        active: true,
        client_id: 'post-client',
        scope: 'api:read',
      });
      expect(introspected.sub).toBeUndefined();
    });

    it('runs the password grant through getUser, with an ID token for openid', async () => {
      const client = await peer.client(suite.as, suite.clients.specs.basic);
      const tokens = await client.password(USER.username, USER.password, 'openid email');
      expect(tokens.claims).toMatchObject({ sub: USER.sub, iss: suite.as.issuer });
      expect(await client.userinfo(tokens.access_token, USER.sub)).toEqual({
        sub: USER.sub,
        email: USER.claims.email,
        email_verified: true,
      });
      expect(await errorOf(client.password(USER.username, 'wrong password', 'openid'))).toBe(
        'invalid_grant',
      );
    });

    it('revokes an access token (RFC 7009) and introspection then says inactive (RFC 7662)', async () => {
      const client = await peer.client(suite.as, suite.clients.specs.basic);
      const tokens = await client.login();
      expect(await client.introspect(tokens.access_token)).toMatchObject({
        active: true,
        sub: USER.sub,
        client_id: suite.clients.specs.basic.clientId,
        token_type: 'Bearer',
        iss: suite.as.issuer,
      });
      await client.revoke(tokens.access_token, 'access_token');
      expect(await client.introspect(tokens.access_token)).toEqual({ active: false });
      // Revoking an unknown token is a success (RFC 7009 §2.2).
      await client.revoke('never-issued-token');
    });

    it('revokes a refresh token with its whole family', async () => {
      const client = await peer.client(suite.as, suite.clients.specs.rs256);
      const tokens = await client.login();
      const refreshed = await client.refresh(tokens.refresh_token!);
      await client.revoke(refreshed.refresh_token!, 'refresh_token');
      expect(await client.introspect(refreshed.access_token)).toEqual({ active: false });
      expect(await errorOf(client.refresh(refreshed.refresh_token!))).toBe('invalid_grant');
    });
  });

  it('keeps only hashes of tokens and codes in the storage', async () => {
    const client = await PEERS[0].client(suite.as, suite.clients.specs.basic);
    const tokens = await client.login();
    const dump = await suite.handle.dump();
    expect(dump).not.toContain(tokens.access_token);
    expect(dump).not.toContain(tokens.refresh_token);
    expect(dump).toContain(hashToken(tokens.access_token));
  });
});
