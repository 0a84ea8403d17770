/**
 * The RFC 7523 JWT bearer grant of our authorization server: a registered
 * client presents an assertion it signed with its own key. Driven by this
 * library's AssertionClient (no client authentication, the assertion names
 * the client) and by openid-client (private_key_jwt plus the grant), on
 * node:http and through the Nest module on Express and Fastify.
 */
import * as oidc from 'openid-client';
import { AssertionClient } from '../../lib/core/assertion/assertion-client.js';
import { OAuthError } from '../../lib/core/errors.js';
import { MemoryOAuth2ServerStorage } from '../../lib/server/oauth2/index.js';
import { USER } from '../fixtures/auth-server/clients.js';
import { assertionClaims, basicAuth, signAssertion } from '../fixtures/auth-server/raw-flow.js';
import { useAuthServerSuite } from '../fixtures/auth-server/suite.js';
import { SUITE_ROWS } from '../fixtures/auth-server/servers.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe.each(SUITE_ROWS)('JWT bearer grant, %s', (_name, factory, start) => {
  const suite = useAuthServerSuite(
    factory,
    () => ({
      jwtBearer: {
        // The service may act for alice only.
        getUser: (subject) => (subject === USER.username ? { sub: USER.sub } : undefined),
      },
    }),
    start,
  );

  const serviceKey = () => suite.clients.specs.service.key!;
  const assertionClient = (subject?: string) =>
    new AssertionClient({
      tokenEndpoint: suite.as.server.endpoints.token,
      issuer: 'service-client',
      subject,
      audience: suite.as.server.endpoints.token,
      key: serviceKey().privateJwk,
      header: { kid: serviceKey().kid },
      scope: 'api:read',
      expiresIn: 300,
    });

  it('issues a token to AssertionClient for the client itself', async () => {
    const token = await assertionClient().fetchToken();
    expect(token).toMatchObject({ token_type: 'Bearer', scope: 'api:read' });
    expect(token.refresh_token).toBeUndefined();
    const introspection = await suite.as.post(
      '/introspect',
      { token: token.access_token },
      basicAuth('basic-client', suite.clients.specs.basic.secret!),
    );
    expect(await introspection.json()).toMatchObject({ active: true, client_id: 'service-client' });
  });

  it('lets the client act for a user that getUser accepts, and refuses others', async () => {
    const token = await assertionClient(USER.username).fetchToken();
    expect(token.access_token).toBeDefined();
    const err = await assertionClient('mallory')
      .fetchToken()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect((err as OAuthError).error).toBe('invalid_grant');
  });

  it('refuses a replayed assertion and one signed by another key', async () => {
    const assertion = await signAssertion(
      serviceKey().privateKey,
      { alg: 'ES256', kid: serviceKey().kid },
      {
        ...assertionClaims('service-client', suite.as.server.endpoints.token),
      },
    );
    const form = { grant_type: GRANT, assertion };
    expect((await suite.as.post('/token', form)).status).toBe(200);
    const replay = await suite.as.post('/token', form);
    expect(await replay.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'the assertion was already used',
    });
    const forged = await signAssertion(
      suite.clients.specs.es256.key!.privateKey,
      { alg: 'ES256', kid: serviceKey().kid },
      {
        ...assertionClaims('service-client', suite.as.server.endpoints.token),
      },
    );
    const answer = await suite.as.post('/token', { grant_type: GRANT, assertion: forged });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'the assertion signature does not verify',
    });
  });

  it('refuses an assertion of a client without the grant, or of an unknown issuer', async () => {
    const rs = suite.clients.specs.rs256.key!;
    const notAllowed = await signAssertion(
      rs.privateKey,
      { alg: 'RS256', kid: rs.kid },
      {
        ...assertionClaims('rs256-client', suite.as.server.endpoints.token),
      },
    );
    const answer = await suite.as.post('/token', { grant_type: GRANT, assertion: notAllowed });
    expect(await answer.json()).toMatchObject({ error: 'unauthorized_client' });
    const unknown = await signAssertion(
      rs.privateKey,
      { alg: 'RS256' },
      assertionClaims('nobody', suite.as.issuer),
    );
    expect(
      await (await suite.as.post('/token', { grant_type: GRANT, assertion: unknown })).json(),
    ).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('runs through openid-client with private_key_jwt client authentication', async () => {
    const key = serviceKey();
    const config = await oidc.discovery(
      new URL(suite.as.issuer),
      'service-client',
      {},
      oidc.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }),
      { execute: [oidc.allowInsecureRequests] },
    );
    const assertion = await signAssertion(
      key.privateKey,
      { alg: 'ES256', kid: key.kid },
      {
        ...assertionClaims('service-client', suite.as.issuer),
      },
    );
    const tokens = await oidc.genericGrantRequest(config, GRANT, { assertion, scope: 'api:read' });
    expect(tokens.scope).toBe('api:read');
  });

  it('is off unless enabled', async () => {
    const plain = await start({
      storage: new MemoryOAuth2ServerStorage(suite.clients.seed),
    });
    try {
      const answer = await plain.post('/token', { grant_type: GRANT, assertion: 'x.y.z' });
      expect(await answer.json()).toMatchObject({ error: 'unsupported_grant_type' });
      const metadata = (await (
        await fetch(`${plain.issuer}/.well-known/openid-configuration`)
      ).json()) as {
        grant_types_supported: string[];
      };
      expect(metadata.grant_types_supported).not.toContain(GRANT);
    } finally {
      await plain.close();
    }
  });
});
