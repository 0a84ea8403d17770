/**
 * A minimal, fast OpenID Connect provider for the login benchmarks (3 and 6),
 * on 127.0.0.1 with a random port: the browser steps cost one redirect, so a
 * login's time is mostly the app's own work.
 *
 * It keeps no per-login state, so it cannot grow the heap of the process it
 * runs in (benchmark 6 measures that heap): authorization codes and access
 * tokens are HMAC-signed, self-contained values. Codes are checked for
 * expiry, client, redirect URI and PKCE (S256), but a code is not refused
 * when reused (that would need storage). Clients authenticate with
 * `client_secret_basic` or `client_secret_post`. ID tokens are RS256 and
 * carry `nonce` and `at_hash`; the authorization response carries `iss`
 * (RFC 9207). The user is always `alice`.
 */
import { once } from 'node:events';
import {
  createHash,
  createHmac,
  generateKeyPairSync,
  randomBytes,
  sign,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The claims of the one user. */
export const STUB_USER = {
  sub: 'alice',
  name: 'Alice Example',
  email: 'alice@example.com',
  email_verified: true,
} as const;

/** A running stub provider. */
export interface StubProvider {
  /** The issuer: `http://127.0.0.1:PORT`. */
  issuer: string;
  discoveryUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  clientId: string;
  clientSecret: string;
  /** Requests served, by endpoint. */
  stats: { authorize: number; token: number; userinfo: number; refused: number };
  close(): Promise<void>;
}

const CODE_TTL_S = 60;
const TOKEN_TTL_S = 3600;

/**
 * Starts the stub provider.
 * @param options - the one client's id and secret
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export async function startStubProvider(
  options: { clientId?: string; clientSecret?: string } = {},
): Promise<StubProvider> {
  const clientId = options.clientId ?? 'bench-app';
  const clientSecret = options.clientSecret ?? `secret-${randomBytes(16).toString('base64url')}`;
  const macKey = randomBytes(32);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `stub-${randomBytes(6).toString('base64url')}`;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const stats = { authorize: 0, token: 0, userinfo: 0, refused: 0 };

  const server = createServer();
  server.keepAliveTimeout = 60_000;
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metadata = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    grant_types_supported: ['authorization_code'],
    scopes_supported: ['openid', 'email', 'profile'],
    authorization_response_iss_parameter_supported: true,
  };

  const seal = (payload: Record<string, unknown>): string => {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${createHmac('sha256', macKey).update(body).digest('base64url')}`;
  };
  const unseal = (value: string | null): Record<string, any> | undefined => {
    const [body, mac] = (value ?? '').split('.');
    if (!body || !mac) return undefined;
    const expected = createHmac('sha256', macKey).update(body).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return payload.exp > Date.now() / 1000 ? payload : undefined;
  };

  const authorize = (url: URL, res: ServerResponse): void => {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      return refuse(res, 400, 'invalid_request');
    }
    if (q.get('client_id') !== clientId || target.hostname !== '127.0.0.1') {
      return refuse(res, 400, 'invalid_client');
    }
    if (q.get('response_type') !== 'code') return refuse(res, 400, 'unsupported_response_type');
    const challenge = q.get('code_challenge');
    if (challenge !== null && q.get('code_challenge_method') !== 'S256') {
      return refuse(res, 400, 'invalid_request');
    }
    stats.authorize++;
    const code = seal({
      c: clientId,
      r: redirectUri,
      ch: challenge,
      n: q.get('nonce'),
      s: q.get('scope') ?? '',
      exp: Math.floor(Date.now() / 1000) + CODE_TTL_S,
      j: randomBytes(8).toString('base64url'),
    });
    target.searchParams.set('code', code);
    const state = q.get('state');
    if (state !== null) target.searchParams.set('state', state);
    target.searchParams.set('iss', issuer);
    res.writeHead(302, { location: target.href, 'content-length': 0 });
    res.end();
  };

  const token = (req: IncomingMessage, form: URLSearchParams, res: ServerResponse): void => {
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    }
    if (id !== clientId || secret !== clientSecret) return refuse(res, 401, 'invalid_client');
    if (form.get('grant_type') !== 'authorization_code') {
      return refuse(res, 400, 'unsupported_grant_type');
    }
    const code = unseal(form.get('code'));
    if (!code || code.c !== clientId || code.r !== form.get('redirect_uri')) {
      return refuse(res, 400, 'invalid_grant');
    }
    if (code.ch !== null) {
      const verifier = form.get('code_verifier') ?? '';
      const computed = createHash('sha256').update(verifier).digest('base64url');
      if (computed !== code.ch) return refuse(res, 400, 'invalid_grant');
    }
    stats.token++;
    const now = Math.floor(Date.now() / 1000);
    const accessToken = seal({ sub: STUB_USER.sub, c: clientId, exp: now + TOKEN_TTL_S });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_S,
      scope: code.s,
    };
    if (String(code.s).split(' ').includes('openid')) {
      const digest = createHash('sha256').update(accessToken).digest();
      body.id_token = signJwt(privateKey, kid, {
        iss: issuer,
        sub: STUB_USER.sub,
        aud: clientId,
        iat: now,
        exp: now + 600,
        auth_time: now,
        ...(code.n ? { nonce: code.n } : {}),
        at_hash: digest.subarray(0, 16).toString('base64url'),
        name: STUB_USER.name,
        email: STUB_USER.email,
        email_verified: STUB_USER.email_verified,
      });
    }
    json(res, 200, body);
  };

  const userinfo = (req: IncomingMessage, res: ServerResponse): void => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    if (!unseal(bearer)) {
      stats.refused++;
      res.writeHead(401, {
        'www-authenticate': 'Bearer error="invalid_token"',
        'content-length': 0,
      });
      res.end();
      return;
    }
    stats.userinfo++;
    json(res, 200, STUB_USER);
  };

  function refuse(res: ServerResponse, status: number, error: string): void {
    stats.refused++;
    json(res, status, { error });
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /.well-known/openid-configuration') return json(res, 200, metadata);
    if (route === 'GET /jwks') return json(res, 200, { keys: [jwk] });
    if (route === 'GET /authorize') return authorize(url, res);
    if (route === 'GET /userinfo') return userinfo(req, res);
    if (route === 'POST /token') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          token(req, new URLSearchParams(Buffer.concat(chunks).toString()), res);
        } catch {
          refuse(res, 400, 'invalid_request');
        }
      });
      return;
    }
    json(res, 404, { error: 'not_found' });
  });

  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    authorizeUrl: metadata.authorization_endpoint,
    tokenUrl: metadata.token_endpoint,
    userinfoUrl: metadata.userinfo_endpoint,
    clientId,
    clientSecret,
    stats,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}

/** A compact RS256 JWS of `claims` (RFC 7515 §7.1). */
function signJwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString(
    'base64url',
  );
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const input = `${header}.${payload}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': data.length,
    'cache-control': 'no-store',
  });
  res.end(data);
}
