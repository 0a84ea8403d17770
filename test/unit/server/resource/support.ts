/**
 * Helpers of the resource-protection unit tests: a hand-made issuer on
 * 127.0.0.1 (metadata, JWK set, an introspection endpoint whose answer the
 * test sets) and a token minter. For attacks and faults only; flows are
 * proven against oidc-provider in test/e2e/server-resource-*.e2e-spec.ts.
 */
import { createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { jsonRoute, startServer, type TestServer } from '../../core/oidc/support.js';

export const AUDIENCE = 'https://api.example.com';

export interface TestIssuer {
  server: TestServer;
  issuer: string;
  metadataUrl: string;
  /** The RSA signing key (kid `r1`, RS256). */
  rsa: { privateKey: CryptoKey; publicKey: CryptoKey; jwk: JWK };
  /** An EC key (kid `e1`, ES256), also in the set. */
  ec: { privateKey: CryptoKey; publicKey: CryptoKey; jwk: JWK };
  /** Metadata members merged into the served document. */
  metadata: Record<string, unknown>;
  /** What the introspection endpoint answers next (status and body), and what it received. */
  introspection: { status: number; body: unknown; delay?: number; bodies: URLSearchParams[] };
  /** Claims of a valid RFC 9068 token, `now` in seconds. */
  claims(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Signs claims with the RSA key (or `key`), `typ: at+jwt`, kid `r1`, unless the header says otherwise. */
  mint(
    claims?: Record<string, unknown>,
    header?: Record<string, unknown>,
    key?: CryptoKey,
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const [rsaPair, ecPair] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
  ]);
  const rsa = {
    ...rsaPair,
    jwk: { ...(await exportJWK(rsaPair.publicKey)), kid: 'r1', use: 'sig' },
  };
  const ec = { ...ecPair, jwk: { ...(await exportJWK(ecPair.publicKey)), kid: 'e1', use: 'sig' } };
  const metadata: Record<string, unknown> = {};
  const introspection: TestIssuer['introspection'] = {
    status: 200,
    body: { active: false },
    bodies: [],
  };
  const server = await startServer();
  const issuer = server.url;
  server.routes.set(
    '/.well-known/openid-configuration',
    jsonRoute(() => ({
      issuer,
      jwks_uri: `${issuer}/jwks`,
      introspection_endpoint: `${issuer}/introspect`,
      id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      ...metadata,
    })),
  );
  server.routes.set(
    '/jwks',
    jsonRoute(() => ({ keys: [rsa.jwk, ec.jwk] })),
  );
  server.routes.set('/introspect', async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    introspection.bodies.push(new URLSearchParams(Buffer.concat(chunks).toString()));
    if (introspection.delay) await new Promise((r) => setTimeout(r, introspection.delay));
    res.writeHead(introspection.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(introspection.body));
  });
  const claims = (extra: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: issuer,
      aud: AUDIENCE,
      sub: 'alice',
      client_id: 'app',
      jti: `jti-${Math.random()}`,
      iat: now,
      exp: now + 600,
      scope: 'read write',
      ...extra,
    };
  };
  return {
    server,
    issuer,
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    rsa,
    ec,
    metadata,
    introspection,
    claims,
    mint(body = claims(), header = {}, key = rsa.privateKey) {
      return new SignJWT(body)
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'r1', ...header } as never)
        .sign(key);
    },
    close: () => server.close(),
  };
}

/** A JWS signed by hand with HMAC: for `alg` confusion attacks (HS256 keyed with public key bytes). */
export function hmacJws(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: string | Buffer,
  hash = 'sha256',
): string {
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${enc(header)}.${enc(claims)}`;
  return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`;
}

/** A deterministic PRNG (mulberry32) for seeded fuzzing. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
