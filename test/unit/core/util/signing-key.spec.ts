import { SignJWT } from 'jose';
import { constants, generateKeyPairSync, verify } from 'node:crypto';
import { importSigningKey } from '../../../../lib/core/util/signing-key.js';

describe('importSigningKey', () => {
  it('signs PS256 with an RSA-PSS (id-RSASSA-PSS) private key, which jose cannot take as it is', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const input of [privateKey, pem]) {
      const { key, alg } = await importSigningKey(input);
      expect(alg).toBe('PS256');
      const jws = await new SignJWT({ a: 1 }).setProtectedHeader({ alg }).sign(key);
      const [h, p, s] = jws.split('.');
      const ok = verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        Buffer.from(s, 'base64url'),
      );
      expect(ok).toBe(true);
    }
  });

  it('refuses public keys and empty secrets without echoing key material', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const err = (await importSigningKey(pem).catch((e: unknown) => e)) as Error & { code: string };
    expect(err.code).toBe('ERR_OAUTH_INVALID_KEY');
    expect(err.message).not.toContain(pem.split('\n')[1]);
    await expect(importSigningKey('')).rejects.toMatchObject({ code: 'ERR_OAUTH_INVALID_KEY' });
  });
});
