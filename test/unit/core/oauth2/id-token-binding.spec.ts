/**
 * ID tokens bound to what they came with: a refreshed ID token names the same
 * user (OIDC Core §12.2), a token endpoint must return an access token, and a
 * template issuer needs an `iss`. The provider here is a stubbed fetch serving
 * metadata keys and token responses (one branch each; flows run in test/e2e).
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { InvalidTokenError, MissingTokenError } from '../../../../lib/core/errors.js';
import { OAuth2Client } from '../../../../lib/core/oauth2/oauth2-client.js';
import { validateIdToken } from '../../../../lib/core/oidc/id-token.js';

const ISSUER = 'https://op.example';
let privateKey: CryptoKey;
let jwks: unknown;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] };
});

const idToken = (claims: Record<string, unknown>) =>
  new SignJWT({ iss: ISSUER, aud: 'app', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);

function provider(tokenResponse: () => Promise<Record<string, unknown>>) {
  const fetch = async (input: string | URL | Request) => {
    const body = String(input).endsWith('/jwks') ? jwks : await tokenResponse();
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  };
  return new OAuth2Client({
    clientId: 'app',
    clientSecret: 'secret',
    stateless: true,
    fetch,
    metadata: {
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
    },
  });
}

describe('ID-token binding', () => {
  it('refuses a refresh whose new ID token is about another user', async () => {
    const client = provider(async () => ({
      access_token: 'new',
      expires_in: 3600,
      id_token: await idToken({ sub: 'mallory' }),
    }));
    const alice = {
      access_token: 'old',
      refresh_token: 'r',
      expires_at: 1,
      userinfo: { iss: ISSUER, sub: 'alice' },
    };
    const err = await client.ensureActiveToken(alice).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTokenError);
    expect(err).toMatchObject({ claim: 'sub' });
  });

  it('accepts a refresh whose new ID token is about the same user', async () => {
    const client = provider(async () => ({
      access_token: 'new',
      expires_in: 3600,
      id_token: await idToken({ sub: 'alice' }),
    }));
    const token = await client.ensureActiveToken({
      access_token: 'old',
      refresh_token: 'r2',
      expires_at: 1,
      userinfo: { iss: ISSUER, sub: 'alice' },
    });
    expect(token.userinfo?.sub).toBe('alice');
  });

  it('refuses a token response with an ID token but no access token', async () => {
    const client = provider(async () => ({ id_token: await idToken({ sub: 'alice' }) }));
    await expect(client.fetchToken(undefined, { code: 'c' })).rejects.toBeInstanceOf(
      MissingTokenError,
    );
  });

  it('never sends "Bearer undefined" for a token without an access token', async () => {
    const client = provider(async () => ({}));
    await expect(
      client.get('https://api.example/me', { token: { id_token: 'x' } as never }),
    ).rejects.toBeInstanceOf(MissingTokenError);
  });

  it('requires the hash claims it is told to (c_hash in the hybrid flow)', async () => {
    const token = await idToken({ sub: 'alice' });
    const options = { issuer: ISSUER, clientId: 'app', keys: createLocalJWKSet(jwks as never) };
    await expect(validateIdToken(token, { ...options, code: 'abc' })).resolves.toBeTruthy();
    await expect(
      validateIdToken(token, { ...options, code: 'abc', requireHashes: ['c_hash'] }),
    ).rejects.toMatchObject({ claim: 'c_hash' });
  });

  it('refuses a token without iss under a {tenantid} template issuer', async () => {
    const token = await new SignJWT({ aud: 'app', sub: 'alice' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const keys = createLocalJWKSet(jwks as never);
    await expect(
      validateIdToken(token, {
        issuer: 'https://login.example/{tenantid}/v2.0',
        clientId: 'app',
        keys,
      }),
    ).rejects.toMatchObject({ claim: 'iss' });
  });
});
