import { jest } from '@jest/globals';
import { createCodeStore } from '../../../../lib/server/oauth2/code-store.js';
import {
  hashClientSecret,
  MemoryOAuth2ServerStorage,
  MemoryServerCache,
  type OAuth2AuthorizationGrant,
} from '../../../../lib/server/oauth2/index.js';
import { takeFromCache, useOnce } from '../../../../lib/server/oauth2/server-cache.js';

const grant = (codeHash: string): OAuth2AuthorizationGrant => ({
  codeHash,
  clientId: 'app',
  subject: 'u1',
  scope: ['read'],
  expiresAt: Math.floor(Date.now() / 1000) + 60,
});

describe('MemoryOAuth2ServerStorage', () => {
  it('keeps a client secret only as its hash, except for client_secret_jwt (the HMAC key)', () => {
    const storage = new MemoryOAuth2ServerStorage({
      clients: [
        { clientId: 'a', clientSecret: 's3cret', redirectUris: [] },
        {
          clientId: 'b',
          clientSecret: 'hmac-key',
          tokenEndpointAuthMethod: 'client_secret_jwt',
          redirectUris: [],
        },
      ],
    });
    expect(storage.getClient('a')).toEqual({
      clientId: 'a',
      clientSecretHash: hashClientSecret('s3cret'),
      redirectUris: [],
    });
    expect(storage.getClient('b')?.clientSecret).toBe('hmac-key');
  });

  it('deletes a grant once, revokes a record once (what single use and rotation rely on)', () => {
    const storage = new MemoryOAuth2ServerStorage();
    storage.saveGrant(grant('h1'));
    expect(storage.deleteGrant('h1')).toBe(true);
    expect(storage.deleteGrant('h1')).toBe(false);
    const record = {
      id: 'r1',
      familyId: 'f1',
      clientId: 'app',
      scope: ['read'],
      accessTokenHash: 'ah',
      accessTokenExpiresAt: 0,
      issuedAt: 0,
      refreshTokenHash: 'rh',
    };
    storage.saveToken(record);
    storage.saveToken({ ...record, id: 'r2', accessTokenHash: 'ah2', refreshTokenHash: 'rh2' });
    expect(storage.revokeToken({ id: 'r1' })).toBe(true);
    expect(storage.revokeToken({ id: 'r1' })).toBe(false);
    expect(storage.getToken({ refreshTokenHash: 'rh' })?.revoked).toBe(true);
    expect(storage.revokeToken({ familyId: 'f1' })).toBe(true);
    expect(storage.getToken({ accessTokenHash: 'ah2' })?.revoked).toBe(true);
    expect(storage.revokeToken({ familyId: 'f1' })).toBe(false);
  });

  it('offers the password grant only when some user has a username', async () => {
    expect(new MemoryOAuth2ServerStorage({ users: [{ sub: 'u' }] }).getUser).toBeUndefined();
    const storage = new MemoryOAuth2ServerStorage({
      users: [{ sub: 'u', username: 'bob', password: 'pw' }],
    });
    const client = { clientId: 'c', redirectUris: [] };
    expect(await storage.getUser!('bob', 'pw', client)).toEqual({ sub: 'u' });
    expect(await storage.getUser!('bob', 'PW', client)).toBeUndefined();
  });
});

describe('MemoryServerCache', () => {
  it('expires entries, takes and adds atomically, and stays within its bound', () => {
    let now = 1_000_000;
    const cache = new MemoryServerCache({ maxEntries: 2, now: () => now });
    cache.set('a', 1, 10);
    expect(cache.add('a', 2, 10)).toBe(false);
    now += 11_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.add('a', 3, 10)).toBe(true);
    expect(cache.take('a')).toBe(3);
    expect(cache.take('a')).toBeUndefined();
    cache.set('x', 1);
    cache.set('y', 2);
    cache.set('z', 3);
    expect([cache.get('x'), cache.get('y'), cache.get('z')]).toEqual([undefined, 2, 3]);
  });

  it('useOnce and takeFromCache fall back to get/set/delete when the cache has no atomic operations', async () => {
    const map = new Map<string, unknown>();
    const plain = {
      get: (k: string) => map.get(k),
      set: (k: string, v: unknown) => void map.set(k, v),
      delete: (k: string) => void map.delete(k),
    };
    expect(await useOnce(plain, 'jti', 60)).toBe(true);
    expect(await useOnce(plain, 'jti', 60)).toBe(false);
    map.set('code', 'g');
    expect(await takeFromCache(plain, 'code')).toBe('g');
    expect(map.has('code')).toBe(false);
  });
});

describe('code store', () => {
  it('over a cache: a code is taken once, and a foreign value is never a grant', async () => {
    const cache = new MemoryServerCache();
    const store = createCodeStore(new MemoryOAuth2ServerStorage(), cache);
    await store.save(grant('h1'), Math.floor(Date.now() / 1000));
    expect(await store.take('h1')).toMatchObject({ codeHash: 'h1' });
    expect(await store.take('h1')).toBeUndefined();
    cache.set('oauth2:code:h2', { codeHash: 'other' });
    expect(await store.take('h2')).toBeUndefined();
  });

  it('over a storage: refuses the grant unless deleteGrant reports it removed it (fail closed)', async () => {
    const storage = new MemoryOAuth2ServerStorage();
    const voidDelete = Object.assign(Object.create(storage) as MemoryOAuth2ServerStorage, {
      deleteGrant: jest.fn(() => undefined as unknown as boolean),
    });
    storage.saveGrant(grant('h1'));
    expect(await createCodeStore(voidDelete).take('h1')).toBeUndefined();
    expect(await createCodeStore(storage).take('h1')).toMatchObject({ codeHash: 'h1' });
  });
});
