/**
 * What the database holds after real flows (code + PKCE + refresh rotation,
 * client credentials with a secret, with a `client_secret_jwt` assertion and
 * with a `private_key_jwt` one, the password grant, a code left unredeemed),
 * dumped table by table on PostgreSQL and SQLite: no access token, refresh
 * token, ID token, code, code verifier or client secret in clear in any
 * column; their SHA-256 hashes are there (so the dump is real).
 */
import { hashClientSecret, hashToken } from '../../../lib/server/oauth2/index.js';
import { USER } from '../../fixtures/auth-server/clients.js';
import { obtainCode } from '../../fixtures/auth-server/raw-flow.js';
import { STORAGES } from '../../fixtures/auth-server/storages.js';
import { useAuthServerSuite } from '../../fixtures/auth-server/suite.js';
import { tokenRequests, type Answer } from '../../fixtures/auth-server/token-requests.js';

const TYPEORM = STORAGES.filter((f) => f.name.startsWith('TypeORM')).map(
  (f) => [f.name, f] as const,
);

describe.each(TYPEORM)('table dump, %s', (_name, factory) => {
  const suite = useAuthServerSuite(factory);
  const { tokenAs, redeem } = tokenRequests(suite);

  it('holds no token, code or client secret in clear, only their hashes', async () => {
    const clear: string[] = [];
    const ok = (answer: Answer) => {
      expect(answer.status).toBe(200);
      for (const field of ['access_token', 'refresh_token', 'id_token']) {
        if (typeof answer.body[field] === 'string') clear.push(answer.body[field] as string);
      }
      return answer.body;
    };

    const first = await obtainCode(suite.as, 'basic-client');
    clear.push(first.code, first.verifier);
    const tokens = ok(await redeem('basic', first.code, first.verifier));
    const rotated = ok(
      await tokenAs('basic', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
      }),
    );
    ok(await tokenAs('post', { grant_type: 'client_credentials' }));
    ok(await tokenAs('secretJwt', { grant_type: 'client_credentials' }));
    ok(await tokenAs('es256', { grant_type: 'client_credentials' }));
    const publicCode = await obtainCode(suite.as, 'public-client');
    clear.push(publicCode.code, publicCode.verifier);
    ok(await redeem('none', publicCode.code, publicCode.verifier));
    ok(
      await tokenAs('none', {
        grant_type: 'password',
        username: USER.username,
        password: USER.password,
        scope: 'openid',
      }),
    );
    const pending = await obtainCode(suite.as, 'basic-client');
    clear.push(pending.code, pending.verifier, USER.password);
    const { specs } = suite.clients;
    const secrets = [specs.basic.secret!, specs.post.secret!, specs.secretJwt.secret!];
    clear.push(...secrets);
    expect(clear.length).toBeGreaterThanOrEqual(20);

    const dump = await suite.handle.dump();
    for (const value of clear) expect(dump).not.toContain(value);
    // The dump is real: hashes of what was issued are in it.
    expect(dump).toContain(hashToken(tokens.access_token as string));
    expect(dump).toContain(hashToken(rotated.refresh_token as string));
    expect(dump).toContain(hashToken(first.code)); // the family of the code's tokens
    expect(dump).toContain(hashToken(pending.code)); // the unredeemed code's row
    expect(dump).toContain(hashClientSecret(specs.basic.secret!));
    // The rotated-away refresh token is kept, revoked, for reuse detection.
    const tables = JSON.parse(dump) as Record<string, Record<string, unknown>[]>;
    const old = tables.oauth2_tokens.find(
      (row) => row.refresh_token_hash === hashToken(tokens.refresh_token as string),
    );
    expect(old?.revoked).toBeTruthy();
    // Every hash column holds a SHA-256, base64url.
    for (const row of tables.oauth2_tokens) {
      expect(row.access_token_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
      if (row.refresh_token_hash !== null) {
        expect(row.refresh_token_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }
    }
    for (const row of tables.oauth2_grants) expect(row.code_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The assertions' jti are remembered in the cache, under hashed keys.
    expect(tables.oauth2_cache.length).toBeGreaterThanOrEqual(2);
    for (const row of tables.oauth2_cache) {
      expect(row.cache_key).toMatch(/^oauth2:(jti|code-replayed):[A-Za-z0-9_-]{43}$/);
    }
  });
});
