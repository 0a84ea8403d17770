import type { JWTVerifyGetKey } from 'jose';
import { InvalidTokenError, OAuthError } from '../errors.js';
import {
  DEFAULT_TIMEOUT,
  readOAuthResponse,
  readResponseText,
  discardBody,
  sendToEndpoint,
  type HttpOptions,
} from '../http/fetcher.js';
import { describeEndpoint, Redactor } from '../util/redact.js';
import { verifyJws } from './id-token.js';
import type { JwksCache } from './jwks.js';

/** Options of {@link fetchUserinfo}. */
export interface UserinfoOptions {
  /** Custom `fetch` and timeout. */
  http?: HttpOptions;
  /** The ID token's `sub`: the response's `sub` must equal it (OpenID Connect Core §5.3.2). */
  expectedSub?: string;
  /** The provider's issuer: a signed response's `iss`, when present, must equal it. */
  issuer?: string;
  /** The client's `client_id`: a signed response's `aud`, when present, must contain it. */
  clientId?: string;
  /** The client secret: the HMAC key of an `HS*`-signed response, if those are allowed. */
  clientSecret?: string;
  /** The provider's keys, to verify a signed (`application/jwt`) response. */
  keys?: JwksCache | JWTVerifyGetKey;
  /**
   * Allowed algorithms of a signed response (the metadata's
   * `userinfo_signing_alg_values_supported`); default `['RS256']`.
   */
  algorithms?: string[];
}

/**
 * Calls the OpenID Connect UserInfo endpoint with a bearer token and returns
 * the claims. A signed response (`application/jwt`) is verified with the
 * provider's keys; its `iss` and `aud` are checked when present.
 *
 * @param endpoint - the `userinfo_endpoint`
 * @param accessToken - the access token
 * @param options - transport, expected `sub`, keys for a signed response
 * @returns the user's claims
 * @throws {OAuthError} when the endpoint refuses the token (`invalid_token`, read from
 *   `WWW-Authenticate`, with the HTTP status) or answers an OAuth error
 * @throws {InvalidTokenError} (`sub`) when `sub` is not `expectedSub`; (`signature`, `alg`,
 *   `iss`, `aud`, `format`) when a signed response does not verify
 * @throws {InvalidResponseError} when the body is neither JSON nor a JWT, or on a 5xx
 * @throws {OAuthNetworkError | OAuthTimeoutError} when the endpoint cannot be reached in time
 * @example
 * ```ts
 * const profile = await fetchUserinfo(metadata.userinfo_endpoint!, token.access_token, {
 *   expectedSub: token.userinfo?.sub as string,
 * });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export async function fetchUserinfo(
  endpoint: string,
  accessToken: string,
  options: UserinfoOptions = {},
): Promise<Record<string, unknown>> {
  const where = describeEndpoint(endpoint);
  const timeout = options.http?.timeout ?? DEFAULT_TIMEOUT;
  const response = await sendToEndpoint(
    endpoint,
    {
      method: 'GET',
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/json, application/jwt',
      },
    },
    options.http,
  );
  const challenge = response.headers.get('www-authenticate');
  if ((response.status === 401 || response.status === 403) && challenge) {
    discardBody(response);
    const params = parseChallenge(challenge);
    const redactor = new Redactor([accessToken]);
    throw new OAuthError(redactor.text(params.error ?? 'invalid_token'), {
      description:
        params.error_description !== undefined
          ? redactor.text(params.error_description)
          : undefined,
      endpoint: where,
      status: response.status,
    });
  }

  let claims: Record<string, unknown>;
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (response.ok && type === 'application/jwt') {
    const text = (await readResponseText(response, { endpoint: where, timeout })).trim();
    claims = await verifySignedUserinfo(text, options);
  } else {
    claims = await readOAuthResponse(response, {
      endpoint: where,
      timeout,
      secrets: [accessToken],
    });
  }
  if (options.expectedSub !== undefined && claims.sub !== options.expectedSub) {
    throw userinfoError('sub', 'the subject is not the one of the ID token');
  }
  return claims;
}

async function verifySignedUserinfo(
  jwt: string,
  options: UserinfoOptions,
): Promise<Record<string, unknown>> {
  const verified = await verifyJws(jwt, {
    algorithms: options.algorithms ?? ['RS256'],
    keys: options.keys,
    secret: options.clientSecret,
    label: 'UserInfo response',
  });
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch (err) {
    throw userinfoError('format', 'the payload is not JSON', err);
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) {
    throw userinfoError('format', 'the payload is not a JSON object');
  }
  const record = claims as Record<string, unknown>;
  if (options.issuer !== undefined && record.iss !== undefined && record.iss !== options.issuer) {
    throw userinfoError('iss', 'the issuer is not the expected one');
  }
  if (options.clientId !== undefined && record.aud !== undefined) {
    const aud = typeof record.aud === 'string' ? [record.aud] : record.aud;
    if (!Array.isArray(aud) || !aud.includes(options.clientId)) {
      throw userinfoError('aud', 'the response is not intended for this client');
    }
  }
  return record;
}

function userinfoError(claim: string, detail: string, cause?: unknown): InvalidTokenError {
  return new InvalidTokenError(claim, detail, {
    message: `invalid UserInfo response: ${claim}: ${detail}`,
    cause,
  });
}

/** Reads `error` and `error_description` from a `WWW-Authenticate: Bearer ...` challenge. */
function parseChallenge(header: string): { error?: string; error_description?: string } {
  const out: { error?: string; error_description?: string } = {};
  const pattern = /(error|error_description)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (const match of header.matchAll(pattern)) {
    const key = match[1].toLowerCase() as 'error' | 'error_description';
    const value = (match[2] ?? match[3]).replace(/\\(.)/g, '$1');
    if (out[key] === undefined) out[key] = value.slice(0, 500);
  }
  return out;
}
