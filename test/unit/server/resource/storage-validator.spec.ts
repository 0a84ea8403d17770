/**
 * StorageValidator: this app's own tokens through a lookup function: exists,
 * not revoked, not expired, a usable record; unknown tokens pass to the next
 * validator.
 */
import { BearerTokenError } from '../../../../lib/server/resource/bearer-error.js';
import {
  StorageValidator,
  type StoredAccessToken,
} from '../../../../lib/server/resource/storage-validator.js';

const NOW = 1_800_000_000;
const record = (extra: Partial<StoredAccessToken> = {}): StoredAccessToken => ({
  clientId: 'app',
  sub: 'alice',
  scope: 'read write',
  expiresAt: NOW + 600,
  ...extra,
});

function validatorFor(stored: StoredAccessToken | undefined, extra = {}) {
  const seen: string[] = [];
  const v = new StorageValidator({
    lookup: async (token) => {
      seen.push(token);
      return token === 'known' ? stored : undefined;
    },
    now: () => NOW * 1000,
    ...extra,
  });
  return { v, seen };
}

async function refused(promise: Promise<unknown>, reason: string) {
  const err = await promise.then(
    () => {
      throw new Error('accepted');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BearerTokenError);
  expect(err).toMatchObject({ error: 'invalid_token', reason });
}

describe('StorageValidator', () => {
  it('a live record gives the principal; the lookup gets the token as sent', async () => {
    const { v, seen } = validatorFor(record({ claims: { tenant: 't1' } }));
    await expect(v.validate('known')).resolves.toEqual({
      sub: 'alice',
      clientId: 'app',
      scope: ['read', 'write'],
      claims: { tenant: 't1', client_id: 'app', sub: 'alice', exp: NOW + 600 },
      token: 'known',
      expiresAt: NOW + 600,
      source: 'storage',
    });
    expect(seen).toEqual(['known']);
  });

  it('takes a plain function, a scope list and a Date expiry', async () => {
    const v = new StorageValidator(() =>
      record({ scope: ['a', 'b'], expiresAt: new Date(Date.now() + 60_000) }),
    );
    await expect(v.validate('x')).resolves.toMatchObject({ scope: ['a', 'b'] });
  });

  it('an unknown token is not this validator’s (undefined, null)', async () => {
    await expect(validatorFor(record()).v.validate('unknown')).resolves.toBeUndefined();
    await expect(new StorageValidator(() => null).validate('x')).resolves.toBeUndefined();
  });

  it('revoked: true, or a revocation time', async () => {
    await refused(validatorFor(record({ revoked: true })).v.validate('known'), 'revoked');
    await refused(validatorFor(record({ revoked: NOW - 5 })).v.validate('known'), 'revoked');
    await refused(validatorFor(record({ revoked: new Date() })).v.validate('known'), 'revoked');
    await expect(
      validatorFor(record({ revoked: false })).v.validate('known'),
    ).resolves.toBeDefined();
  });

  it('expired at the configured clock, with no skew by default', async () => {
    await refused(validatorFor(record({ expiresAt: NOW })).v.validate('known'), 'expired');
    await expect(
      validatorFor(record({ expiresAt: NOW + 1 })).v.validate('known'),
    ).resolves.toBeDefined();
    await expect(
      validatorFor(record({ expiresAt: NOW - 5 }), { clockTolerance: 10 }).v.validate('known'),
    ).resolves.toBeDefined();
  });

  it('fails closed on a record without a usable expiry or client', async () => {
    for (const expiresAt of [undefined, Number.NaN, Infinity, '2030-01-01', new Date('x')]) {
      await refused(
        validatorFor(record({ expiresAt: expiresAt as never })).v.validate('known'),
        'record',
      );
    }
    await refused(validatorFor(record({ clientId: '' })).v.validate('known'), 'record');
  });

  it('a malformed scope is a malformed token', async () => {
    await refused(validatorFor(record({ scope: 7 as never })).v.validate('known'), 'scope');
  });

  it('with an audience: a record for another resource is refused, one without any accepted', async () => {
    const audience = 'https://api.example.com';
    await refused(
      validatorFor(record({ audience: 'https://other.example.com' }), { audience }).v.validate(
        'known',
      ),
      'aud',
    );
    await expect(
      validatorFor(record({ audience: ['x', audience] }), { audience }).v.validate('known'),
    ).resolves.toBeDefined();
    await expect(validatorFor(record(), { audience }).v.validate('known')).resolves.toBeDefined();
  });

  it('needs a lookup function', () => {
    expect(() => new StorageValidator({} as never)).toThrow(
      expect.objectContaining({ code: 'ERR_OAUTH_RESOURCE_CONFIG' }),
    );
  });
});
