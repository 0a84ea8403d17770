import {
  AuthorizationServer,
  MemoryOAuth2ServerStorage,
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

const REDIRECT_URI = 'https://app.example/cb';
const CLIENT_AUTH = { client_id: 'app', client_secret: SECRET };

/** A code `server` issues to client `app` for user `u1` (scope `read`). */
async function issueCode(server: AuthorizationServer): Promise<string> {
  const url = `${ISSUER}/authorize?client_id=app&response_type=code&scope=read&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`;
  const { authorization } = await server.validateAuthorizationRequest(get(url));
  const redirect = await server.createAuthorizationResponse(authorization!, {
    allow: true,
    user: { sub: 'u1' },
  });
  return new URL(redirect.headers.Location as string).searchParams.get('code')!;
}

/** Client `app` redeems `code` at `server`'s token endpoint. */
const redeemCode = (server: AuthorizationServer, code: string) =>
  server.createTokenResponse(
    formPost('/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      ...CLIENT_AUTH,
    }),
  );

/** Client `app` uses `refreshToken` at `server`'s token endpoint. */
const refresh = (server: AuthorizationServer, refreshToken: string) =>
  server.createTokenResponse(
    formPost('/token', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...CLIENT_AUTH,
    }),
  );

describe('AuthorizationServer against a storage it cannot trust', () => {
  it('never accepts a record the storage returned for another hash', async () => {
    const storage = memoryStorage();
    const server = new AuthorizationServer({ issuer: ISSUER, storage, keys: [RSA_KEY] });
    const issued = json(await server.createTokenResponse(clientCredentials())) as {
      access_token: string;
    };
    const record = storage.tokenRecords()[0];
    // A broken storage that answers every query with the same record.
    const sloppy = Object.assign(Object.create(storage) as MemoryOAuth2ServerStorage, {
      getToken: () => ({ ...record, refreshTokenHash: 'x', refreshTokenExpiresAt: 9e9 }),
    });
    const broken = new AuthorizationServer({ issuer: ISSUER, storage: sloppy, keys: [RSA_KEY] });
    expect(await broken.findAccessToken('guessed-token')).toBeUndefined();
    expect(await broken.findAccessToken(issued.access_token)).toBeDefined();
    expect(json(await refresh(broken, 'guessed')).error).toBe('invalid_grant');
    const introspection = await broken.createIntrospectionResponse(
      formPost('/introspect', { token: 'guessed', client_id: 'app', client_secret: SECRET }),
    );
    expect(json(introspection)).toEqual({ active: false });
  });

  it('treats an expired access token as inactive everywhere', async () => {
    let now = Date.now();
    const server = makeServer({ now: () => now, tokenExpiresIn: 60 });
    const { access_token } = json(await server.createTokenResponse(clientCredentials())) as {
      access_token: string;
    };
    expect(await server.findAccessToken(access_token)).toBeDefined();
    now += 61_000;
    expect(await server.findAccessToken(access_token)).toBeUndefined();
    const introspection = await server.createIntrospectionResponse(
      formPost('/introspect', { token: access_token, client_id: 'app', client_secret: SECRET }),
    );
    expect(json(introspection)).toEqual({ active: false });
  });
});

describe('AuthorizationServer grant checks the peers cannot reach', () => {
  it('treats losing the rotation race as reuse: refused, and the family revoked', async () => {
    const storage = memoryStorage();
    const server = new AuthorizationServer({ issuer: ISSUER, storage, keys: [RSA_KEY] });
    const tokens = json(await redeemCode(server, await issueCode(server))) as {
      refresh_token: string;
    };
    // Another request rotated the token between this one's read and its revoke: the read is stale.
    const stale = storage.tokenRecords()[0];
    storage.revokeToken({ id: stale.id });
    const racing = Object.assign(Object.create(storage) as MemoryOAuth2ServerStorage, {
      getToken: () => ({ ...stale, revoked: false }),
    });
    const loser = new AuthorizationServer({ issuer: ISSUER, storage: racing, keys: [RSA_KEY] });
    const answer = await refresh(loser, tokens.refresh_token);
    expect(json(answer)).toEqual({
      error: 'invalid_grant',
      error_description: 'the refresh token is invalid',
    });
    expect(storage.tokenRecords().every((r) => r.revoked)).toBe(true);
  });

  it('saves the new pair before claiming the old one, so a reuse racing the winner revokes the winner too', async () => {
    const storage = memoryStorage();
    const server = new AuthorizationServer({ issuer: ISSUER, storage, keys: [RSA_KEY] });
    const tokens = json(await redeemCode(server, await issueCode(server))) as {
      refresh_token: string;
    };
    // The moment this request claims the old pair, a concurrent reuse sees it revoked and
    // revokes the family (what a losing request does): the pair this request issues must go too.
    const racing = Object.assign(Object.create(storage) as MemoryOAuth2ServerStorage, {
      revokeToken(query: Parameters<MemoryOAuth2ServerStorage['revokeToken']>[0]) {
        const changed = storage.revokeToken(query);
        const old = storage.tokenRecords().find((r) => 'id' in query && r.id === query.id);
        if (changed && old) storage.revokeToken({ familyId: old.familyId });
        return changed;
      },
    });
    const winner = new AuthorizationServer({ issuer: ISSUER, storage: racing, keys: [RSA_KEY] });
    const rotated = json(await refresh(winner, tokens.refresh_token)) as { access_token: string };
    expect(rotated.access_token).toEqual(expect.any(String));
    expect(storage.tokenRecords()).toHaveLength(2);
    expect(storage.tokenRecords().every((r) => r.revoked)).toBe(true);
    expect(await server.findAccessToken(rotated.access_token)).toBeUndefined();
  });

  it('revokes the tokens of a redemption that a replay of its code overtook before they were saved', async () => {
    const storage = memoryStorage();
    let replay: (() => ReturnType<typeof redeemCode>) | undefined;
    // The replay arrives (and is refused, revoking the family: still empty) while the first
    // redemption saves its tokens.
    const racing = Object.assign(Object.create(storage) as MemoryOAuth2ServerStorage, {
      async saveToken(record: Parameters<MemoryOAuth2ServerStorage['saveToken']>[0]) {
        const pending = replay;
        replay = undefined;
        if (pending) expect(json(await pending()).error).toBe('invalid_grant');
        storage.saveToken(record);
      },
    });
    const server = new AuthorizationServer({ issuer: ISSUER, storage: racing, keys: [RSA_KEY] });
    const code = await issueCode(server);
    replay = () => redeemCode(server, code);
    const first = json(await redeemCode(server, code)) as { access_token: string };
    expect(first.access_token).toEqual(expect.any(String));
    expect(replay).toBeUndefined();
    expect(await server.findAccessToken(first.access_token)).toBeUndefined();
  });

  it('refuses client_credentials to a public client even when it lists the grant', async () => {
    const storage = memoryStorage();
    storage.addClient({
      clientId: 'spa',
      tokenEndpointAuthMethod: 'none',
      redirectUris: [],
      defaultScopes: ['read'],
      allowedGrantTypes: ['client_credentials'],
    });
    const server = new AuthorizationServer({ issuer: ISSUER, storage });
    const answer = await server.createTokenResponse(
      formPost('/token', { grant_type: 'client_credentials', client_id: 'spa' }),
    );
    expect(json(answer)).toEqual({
      error: 'unauthorized_client',
      error_description: 'a public client cannot use client_credentials',
    });
  });

  it('refuses introspection to a public client', async () => {
    const storage = memoryStorage();
    storage.addClient({ clientId: 'spa', tokenEndpointAuthMethod: 'none', redirectUris: [] });
    const server = new AuthorizationServer({ issuer: ISSUER, storage });
    const { access_token } = json(await server.createTokenResponse(clientCredentials())) as {
      access_token: string;
    };
    const answer = await server.createIntrospectionResponse(
      formPost('/introspect', { token: access_token, client_id: 'spa' }),
    );
    expect(answer.status).toBe(401);
    expect(json(answer)).toEqual({
      error: 'invalid_client',
      error_description: 'a public client cannot introspect tokens',
    });
  });
});
