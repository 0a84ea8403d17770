/**
 * TypeOrmOAuth2ServerStorage and TypeOrmOAuth2ServerCache method by method,
 * on PostgreSQL and SQLite: client registration (secret shown once, stored
 * as a hash or sealed), every storage method's contract, purging, the cache
 * with expiry, the schema's indexes and types, and the configuration errors.
 * (The protocol runs over them in the server-oauth2-* suites; races in
 * typeorm-concurrency.e2e-spec.ts.)
 */
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  hashClientSecret,
  hashToken,
  verifyClientSecret,
  type OAuth2TokenRecord,
} from '../../../lib/server/oauth2/index.js';
import {
  OAuth2ClientEntity,
  TypeOrmOAuth2ServerCache,
  TypeOrmOAuth2ServerStorage,
} from '../../../lib/typeorm/index.js';
import { openDatabase, type TestDatabase } from '../../fixtures/typeorm-databases.js';

const CB = 'https://app.example/callback';
const NOW = 1_900_000_000;

describe.each(['sqlite', 'postgres'] as const)('TypeORM storage on %s', (kind) => {
  let db: TestDatabase;
  let storage: TypeOrmOAuth2ServerStorage;
  let clock = NOW * 1000;
  const key = randomBytes(32);

  beforeAll(async () => {
    db = await openDatabase(kind);
    storage = new TypeOrmOAuth2ServerStorage(db.dataSource, {
      clientSecretKey: key.toString('base64url'),
      now: () => clock,
    });
  }, 120_000);
  afterAll(() => db?.close());
  beforeEach(() => {
    clock = NOW * 1000;
  });

  describe('registerClient', () => {
    it('generates an id and a secret, returns the secret once and stores only its hash', async () => {
      const registered = await storage.registerClient({ redirectUris: [CB] });
      expect(registered.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(registered.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(registered.client).toEqual({
        clientId: registered.clientId,
        redirectUris: [CB],
        clientSecretHash: hashClientSecret(registered.clientSecret!),
      });
      const client = (await storage.getClient(registered.clientId))!;
      expect(client).toEqual(registered.client);
      expect(verifyClientSecret(client, registered.clientSecret!, NOW)).toBe(true);
      expect(verifyClientSecret(client, `${registered.clientSecret}x`, NOW)).toBe(false);
      expect(await db.dump()).not.toContain(registered.clientSecret);
    });

    it('keeps every field of the client, and leaves unset ones out (server defaults apply)', async () => {
      const jwks = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] };
      const full = {
        clientId: 'full-client',
        clientSecretExpiresAt: NOW + 86400,
        confidential: true,
        redirectUris: [CB, 'http://127.0.0.1:8080/cb'],
        defaultRedirectUri: CB,
        defaultScopes: ['openid'],
        allowedScopes: ['openid', 'profile'],
        allowedGrantTypes: ['authorization_code', 'client_credentials'],
        allowedResponseTypes: ['code', 'code id_token'],
        tokenEndpointAuthMethod: 'private_key_jwt' as const,
        tokenEndpointAuthSigningAlg: 'ES256',
        jwks,
        jwksUri: 'https://app.example/jwks',
        idTokenSignedResponseAlg: 'ES256',
        clientName: 'Full — client ✓',
      };
      const registered = await storage.registerClient(full);
      expect(registered.clientSecret).toBeUndefined();
      expect(await storage.getClient('full-client')).toEqual(full);
      const pub = await storage.registerClient({ redirectUris: [CB], confidential: false });
      expect(pub.clientSecret).toBeUndefined();
      expect(await storage.getClient(pub.clientId)).toEqual({
        clientId: pub.clientId,
        redirectUris: [CB],
        confidential: false,
      });
      expect(await storage.getClient('no-such-client')).toBeUndefined();
    });

    it('keeps an imported secret as its hash', async () => {
      const secret = 'an imported secret of enough length';
      const registered = await storage.registerClient({
        clientId: 'imported',
        clientSecret: secret,
        tokenEndpointAuthMethod: 'client_secret_post',
        redirectUris: [CB],
      });
      expect(registered.clientSecret).toBe(secret);
      expect((await storage.getClient('imported'))!.clientSecretHash).toBe(
        hashClientSecret(secret),
      );
      expect(await db.dump()).not.toContain(secret);
    });

    it('seals a client_secret_jwt secret: usable with the key, useless without it or on another row', async () => {
      const registered = await storage.registerClient({
        tokenEndpointAuthMethod: 'client_secret_jwt',
        redirectUris: [CB],
      });
      const secret = registered.clientSecret!;
      expect(registered.client.clientSecret).toBeUndefined();
      expect((await storage.getClient(registered.clientId))!.clientSecret).toBe(secret);
      expect(await db.dump()).not.toContain(secret);

      const otherKey = new TypeOrmOAuth2ServerStorage(db.dataSource, {
        clientSecretKey: randomBytes(32),
      });
      expect((await otherKey.getClient(registered.clientId))!.clientSecret).toBeUndefined();
      const noKey = new TypeOrmOAuth2ServerStorage(db.dataSource);
      expect((await noKey.getClient(registered.clientId))!.clientSecret).toBeUndefined();
      await expect(
        noKey.registerClient({ tokenEndpointAuthMethod: 'client_secret_jwt', redirectUris: [CB] }),
      ).rejects.toMatchObject({ code: 'ERR_OAUTH_SERVER_CONFIG', message: /clientSecretKey/ });

      // The sealed secret copied onto another client's row does not open there.
      const victim = await storage.registerClient({
        tokenEndpointAuthMethod: 'client_secret_jwt',
        redirectUris: [CB],
      });
      const repo = db.dataSource.getRepository(OAuth2ClientEntity);
      const sealed = (await repo.findOneBy({ clientId: registered.clientId }))!;
      await repo.update(
        { clientId: victim.clientId },
        { clientSecretEncrypted: sealed.clientSecretEncrypted },
      );
      expect((await storage.getClient(victim.clientId))!.clientSecret).toBeUndefined();
    });

    it.each([
      ['an empty client id', { clientId: '', redirectUris: [CB] }, /clientId/],
      ['a client id with a space', { clientId: 'has space', redirectUris: [CB] }, /clientId/],
      ['a relative redirect URI', { redirectUris: ['/relative/cb'] }, /absolute URL/],
      ['a redirect URI with a fragment', { redirectUris: [`${CB}#frag`] }, /fragment/],
      [
        'an unregistered default redirect URI',
        { redirectUris: [CB], defaultRedirectUri: 'https://other.example/cb' },
        /defaultRedirectUri/,
      ],
      ['redirect URIs as a string', { redirectUris: 'https://app.example/cb' }, /array/],
      [
        'an unknown auth method',
        { redirectUris: [CB], tokenEndpointAuthMethod: 'tls_client_auth' },
        /not supported/,
      ],
      [
        'a secret for a public client',
        { redirectUris: [CB], confidential: false, clientSecret: 'x'.repeat(32) },
        /no secret/,
      ],
      ['a short secret', { redirectUris: [CB], clientSecret: 'short' }, /at least 16/],
    ])('refuses %s', async (_label, registration, message) => {
      await expect(storage.registerClient(registration as never)).rejects.toMatchObject({
        code: 'ERR_OAUTH_CLIENT_REGISTRATION',
        message,
      });
    });

    it('refuses a client id already registered, and keeps the first client', async () => {
      const first = await storage.registerClient({ clientId: 'taken', redirectUris: [CB] });
      await expect(
        storage.registerClient({ clientId: 'taken', redirectUris: ['https://evil.example/cb'] }),
      ).rejects.toMatchObject({ code: 'ERR_OAUTH_CLIENT_REGISTRATION', message: /already/ });
      expect(await storage.getClient('taken')).toEqual(first.client);
    });
  });

  describe('rotateClientSecret and deleteClient', () => {
    it('replaces the secret: the old one stops working, the new one works', async () => {
      const registered = await storage.registerClient({ redirectUris: [CB] });
      const fresh = (await storage.rotateClientSecret(registered.clientId))!;
      expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const client = (await storage.getClient(registered.clientId))!;
      expect(verifyClientSecret(client, registered.clientSecret!, NOW)).toBe(false);
      expect(verifyClientSecret(client, fresh, NOW)).toBe(true);
      const jwt = await storage.registerClient({
        tokenEndpointAuthMethod: 'client_secret_jwt',
        redirectUris: [CB],
      });
      const sealed = (await storage.rotateClientSecret(jwt.clientId))!;
      expect((await storage.getClient(jwt.clientId))!.clientSecret).toBe(sealed);
      expect(await storage.rotateClientSecret('no-such-client')).toBeUndefined();
      const pub = await storage.registerClient({ redirectUris: [CB], confidential: false });
      expect(await storage.rotateClientSecret(pub.clientId)).toBeUndefined();
    });

    it('deletes a client with its codes and tokens', async () => {
      const { clientId } = await storage.registerClient({ redirectUris: [CB] });
      await storage.saveGrant(grant('delete-me', clientId));
      await storage.saveToken(token('delete-me', { clientId }));
      expect(await storage.deleteClient(clientId)).toBe(true);
      expect(await storage.getClient(clientId)).toBeUndefined();
      expect(await storage.getGrant(hashToken('delete-me'))).toBeUndefined();
      expect(await storage.getToken({ accessTokenHash: hashToken('access-delete-me') })).toBe(
        undefined,
      );
      expect(await storage.deleteClient(clientId)).toBe(false);
    });
  });

  function grant(code: string, clientId = 'app') {
    return {
      codeHash: hashToken(code),
      clientId,
      subject: 'user-1',
      scope: ['openid', 'profile'],
      expiresAt: NOW + 60,
    };
  }

  function token(name: string, extra: Partial<OAuth2TokenRecord> = {}): OAuth2TokenRecord {
    return {
      id: `id-${name}`,
      familyId: `family-${name}`,
      clientId: 'app',
      scope: ['openid'],
      accessTokenHash: hashToken(`access-${name}`),
      accessTokenExpiresAt: NOW + 3600,
      refreshTokenHash: hashToken(`refresh-${name}`),
      refreshTokenExpiresAt: NOW + 86400,
      issuedAt: NOW,
      ...extra,
    };
  }

  describe('grants', () => {
    it('keeps every field, and deletes once', async () => {
      const full = {
        ...grant('full-code'),
        redirectUri: CB,
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        codeChallengeMethod: 'S256' as const,
        nonce: 'n-0S6_WzA2Mj',
        authTime: NOW - 5,
        acr: 'urn:example:pwd',
        amr: ['pwd', 'otp'],
      };
      await storage.saveGrant(full);
      expect(await storage.getGrant(full.codeHash)).toEqual(full);
      expect(await storage.deleteGrant(full.codeHash)).toBe(true);
      expect(await storage.deleteGrant(full.codeHash)).toBe(false);
      expect(await storage.getGrant(full.codeHash)).toBeUndefined();
      const minimal = grant('minimal-code');
      await storage.saveGrant(minimal);
      expect(await storage.getGrant(minimal.codeHash)).toEqual(minimal);
    });
  });

  describe('tokens', () => {
    it('finds a record by either hash, with every field', async () => {
      const full = token('full', {
        subject: 'user-1',
        authTime: NOW - 10,
        acr: '1',
        amr: ['pwd'],
      });
      await storage.saveToken(full);
      const expected = { ...full, revoked: false };
      expect(await storage.getToken({ accessTokenHash: full.accessTokenHash })).toEqual(expected);
      expect(await storage.getToken({ refreshTokenHash: full.refreshTokenHash! })).toEqual(
        expected,
      );
      expect(await storage.getToken({ accessTokenHash: full.refreshTokenHash! })).toBeUndefined();
      expect(await storage.getToken({ refreshTokenHash: hashToken('unknown') })).toBeUndefined();
      const bare = token('bare', { refreshTokenHash: undefined, refreshTokenExpiresAt: undefined });
      await storage.saveToken(bare);
      expect(await storage.getToken({ accessTokenHash: bare.accessTokenHash })).toEqual({
        ...bare,
        revoked: false,
      });
    });

    it('revokes a record once, keeps it readable, and revokes a family', async () => {
      const one = token('one', { familyId: 'fam' });
      const two = token('two', { familyId: 'fam' });
      await storage.saveToken(one);
      await storage.saveToken(two);
      expect(await storage.revokeToken({ id: one.id })).toBe(true);
      expect(await storage.revokeToken({ id: one.id })).toBe(false);
      expect(await storage.getToken({ refreshTokenHash: one.refreshTokenHash! })).toMatchObject({
        revoked: true,
      });
      expect(await storage.revokeToken({ familyId: 'fam' })).toBe(true);
      expect(await storage.revokeToken({ familyId: 'fam' })).toBe(false);
      expect(await storage.getToken({ accessTokenHash: two.accessTokenHash })).toMatchObject({
        revoked: true,
      });
      expect(await storage.revokeToken({ id: 'no-such-id' })).toBe(false);
      expect(await storage.revokeToken({ familyId: 'no-such-family' })).toBe(false);
    });

    it('refuses a second record with the same access token hash', async () => {
      await storage.saveToken(token('dup'));
      await expect(storage.saveToken({ ...token('dup'), id: 'another-id' })).rejects.toThrow();
    });
  });

  describe('purgeExpired', () => {
    it('deletes expired codes and fully expired tokens, keeps the rest (revoked ones too)', async () => {
      const purgeDb = await openDatabase(kind);
      const purging = new TypeOrmOAuth2ServerStorage(purgeDb.dataSource);
      try {
        await purging.saveGrant({ ...grant('old'), expiresAt: NOW - 1 });
        await purging.saveGrant(grant('young'));
        // Access expired, refresh alive and revoked: kept for reuse detection.
        await purging.saveToken(token('kept', { accessTokenExpiresAt: NOW - 1 }));
        await purging.revokeToken({ id: 'id-kept' });
        await purging.saveToken(
          token('gone', { accessTokenExpiresAt: NOW - 10, refreshTokenExpiresAt: NOW - 1 }),
        );
        await purging.saveToken(
          token('gone-too', {
            accessTokenExpiresAt: NOW - 1,
            refreshTokenHash: undefined,
            refreshTokenExpiresAt: undefined,
          }),
        );
        expect(await purging.purgeExpired(NOW)).toEqual({ grants: 1, tokens: 2 });
        expect(await purging.getGrant(hashToken('young'))).toBeDefined();
        expect(
          await purging.getToken({ refreshTokenHash: hashToken('refresh-kept') }),
        ).toMatchObject({ revoked: true });
        expect(await purging.purgeExpired(NOW)).toEqual({ grants: 0, tokens: 0 });
      } finally {
        await purgeDb.close();
      }
    });
  });

  describe('users', () => {
    it('has getUser (password grant) and getUserClaims only when the options give them', async () => {
      expect('getUser' in storage).toBe(false);
      expect('getUserClaims' in storage).toBe(false);
      const withUsers = new TypeOrmOAuth2ServerStorage(db.dataSource, {
        getUser: (username, password) =>
          username === 'alice' && password === 'pw' ? { sub: 'u-1' } : undefined,
        getUserClaims: (subject, scope) => ({ sub: subject, scope: scope.join(' ') }),
      });
      const client = { clientId: 'app', redirectUris: [CB] };
      expect(await withUsers.getUser!('alice', 'pw', client)).toEqual({ sub: 'u-1' });
      expect(await withUsers.getUser!('alice', 'no', client)).toBeUndefined();
      expect(await withUsers.getUserClaims!('u-1', ['openid'], client)).toEqual({
        sub: 'u-1',
        scope: 'openid',
      });
    });
  });

  describe('TypeOrmOAuth2ServerCache', () => {
    it('gets, sets, deletes, takes once and adds once, with expiry', async () => {
      const cache = new TypeOrmOAuth2ServerCache(db.dataSource, { now: () => clock });
      await cache.set('k', { a: 1 }, 10);
      expect(await cache.get('k')).toEqual({ a: 1 });
      await cache.set('k', ['replaced'], 10);
      expect(await cache.get('k')).toEqual(['replaced']);
      clock += 10_000;
      expect(await cache.get('k')).toBeUndefined();
      expect(await cache.take('k')).toBeUndefined();

      await cache.set('forever', 'v');
      expect(await cache.take('forever')).toBe('v');
      expect(await cache.take('forever')).toBeUndefined();
      await cache.set('gone', 1, 60);
      await cache.delete('gone');
      expect(await cache.get('gone')).toBeUndefined();

      expect(await cache.add('jti', 1, 5)).toBe(true);
      expect(await cache.add('jti', 1, 5)).toBe(false);
      clock += 5_000;
      // Expired: the key may be used again.
      expect(await cache.add('jti', 1, 5)).toBe(true);
      await cache.set('stale', 1, 1);
      clock += 1_000;
      expect(await cache.purgeExpired()).toBeGreaterThanOrEqual(1);
      expect(await cache.get('jti')).toBe(1);
    });
  });

  describe('schema', () => {
    it('indexes the hash columns, unique for the token hashes', async () => {
      const indexes: { name: string; sql: string }[] =
        kind === 'postgres'
          ? await db.dataSource.query(
              `SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE tablename LIKE 'oauth2_%'`,
            )
          : await db.dataSource.query(
              `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'oauth2_%' AND sql IS NOT NULL`,
            );
      const on = (column: string) =>
        indexes.filter((i) => new RegExp(`\\(\\s*"?${column}"?\\s*\\)`).test(i.sql));
      for (const column of ['access_token_hash', 'refresh_token_hash']) {
        expect(on(column).some((i) => /UNIQUE/i.test(i.sql))).toBe(true);
      }
      for (const column of ['family_id', 'client_id', 'expires_at']) {
        expect(on(column).length).toBeGreaterThan(0);
      }
      // code_hash, client_id (clients), id and cache_key are primary keys.
    });

    it('uses bigint for times, varchar for hashes, text for JSON, boolean for flags', async () => {
      const types = async (table: string): Promise<Record<string, string>> => {
        const rows: { name: string; type: string }[] =
          kind === 'postgres'
            ? await db.dataSource.query(
                `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = $1`,
                [table],
              )
            : await db.dataSource.query(`SELECT name, type FROM pragma_table_info(?)`, [table]);
        return Object.fromEntries(rows.map((r) => [r.name, r.type.toLowerCase()]));
      };
      const tokens = await types('oauth2_tokens');
      expect(tokens.access_token_expires_at).toBe('bigint');
      expect(tokens.access_token_hash).toMatch(/^(character varying|varchar\(64\))$/);
      expect(tokens.scope).toBe('text');
      expect(tokens.revoked).toBe('boolean');
      const clients = await types('oauth2_clients');
      expect(clients.client_secret_hash).toMatch(/^(character varying|varchar\(64\))$/);
      expect(clients.redirect_uris).toBe('text');
    });
  });

  it('names the missing entities when the DataSource does not have them', async () => {
    const bare = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [] });
    await bare.initialize();
    try {
      const wrong = new TypeOrmOAuth2ServerStorage(bare);
      await expect(wrong.getClient('x')).rejects.toMatchObject({
        code: 'ERR_OAUTH_SERVER_CONFIG',
        message: /OAUTH2_SERVER_ENTITIES/,
      });
      await expect(new TypeOrmOAuth2ServerCache(bare).get('x')).rejects.toMatchObject({
        code: 'ERR_OAUTH_SERVER_CONFIG',
      });
    } finally {
      await bare.destroy();
    }
  });

  it('refuses a clientSecretKey that is not 32 bytes', () => {
    for (const clientSecretKey of ['c2hvcnQ', randomBytes(16)]) {
      expect(() => new TypeOrmOAuth2ServerStorage(db.dataSource, { clientSecretKey })).toThrow(
        expect.objectContaining({ code: 'ERR_OAUTH_SERVER_CONFIG' }),
      );
    }
  });
});
