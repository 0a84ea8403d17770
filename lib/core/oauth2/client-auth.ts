import { SignJWT } from 'jose';
import { importSigningKey, type SigningKey, type SigningKeyInput } from '../util/signing-key.js';
import { randomToken } from '../util/random.js';

/** The built-in token endpoint authentication methods (RFC 6749 §2.3, OIDC Core §9). */
export type ClientAuthMethod =
  'client_secret_basic' | 'client_secret_post' | 'none' | 'client_secret_jwt' | 'private_key_jwt';

/** A request to an authenticated endpoint, as client authentication sees and changes it. */
export interface ClientAuthRequest {
  /** The endpoint URL. */
  url: string;
  /** The request headers (e.g. `Authorization: Basic ...` after `client_secret_basic`). */
  headers: Headers;
  /** The form-encoded request body (e.g. `client_id`, `client_assertion`). */
  body: URLSearchParams;
}

/** What a client authentication method needs to know about the client. */
export interface ClientCredentials {
  /** The client identifier (RFC 6749 §2.2). */
  readonly clientId?: string;
  /** The client secret (RFC 6749 §2.3.1), for the secret-based methods. */
  readonly clientSecret?: string;
}

/**
 * A client authentication method: adds credentials to a token, revocation or
 * introspection request. May be async.
 *
 * @param client - the client (its `clientId`, `clientSecret`)
 * @param method - the HTTP method (`POST`)
 * @param url - the endpoint
 */
export type ClientAuthFunction = (
  client: ClientCredentials,
  method: string,
  url: string,
  headers: Headers,
  body: URLSearchParams,
) => ClientAuthRequest | Promise<ClientAuthRequest>;

/** A private key for `private_key_jwt`: a JWK, a PKCS#8/PKCS#1/SEC1 PEM string, a KeyObject or a CryptoKey. */
export type ClientKey = SigningKeyInput;

/** Settings of the JWT-based methods. */
export interface ClientAssertionOptions {
  /** Private key for `private_key_jwt`. */
  clientKey?: ClientKey;
  /** `kid` header of the assertion (defaults to the JWK's `kid`). */
  clientKeyId?: string;
  /** Signing algorithm (inferred from the key: RS256, PS256, ES256/384/512, EdDSA; HS256 for the secret). */
  clientKeyAlg?: string;
  /** Lifetime of an assertion in seconds (default 60). */
  assertionLifetime?: number;
}

/**
 * The `client_assertion_type` of the JWT-based methods.
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-2.2
 */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The claims of a client assertion (RFC 7523 §3, OIDC Core §9): the client is
 * both `iss` and `sub`, `aud` names the authorization server, `jti` makes it
 * single use. The client produces this layout; the server checks it.
 */
export interface ClientAssertionClaims {
  /** The client id. */
  iss: string;
  /** The client id again. */
  sub: string;
  /** The endpoint (or the issuer) the assertion is for. */
  aud: string;
  /** A random, single-use identifier. */
  jti: string;
  /** Issue time, epoch seconds. */
  iat: number;
  /** Expiry, epoch seconds. */
  exp: number;
}

/**
 * Builds the claims of a client assertion: `iss` = `sub` = the client id,
 * `aud`, a random `jti`, `iat` now and `exp` after `lifetime` seconds.
 *
 * @param clientId - the client id
 * @param audience - the endpoint URL (or the issuer)
 * @param lifetime - seconds until `exp`
 * @param now - the current time, epoch seconds
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-3
 */
export function clientAssertionClaims(
  clientId: string,
  audience: string,
  lifetime: number,
  now: number = Math.floor(Date.now() / 1000),
): ClientAssertionClaims {
  return {
    iss: clientId,
    sub: clientId,
    aud: audience,
    jti: randomToken(16),
    iat: now,
    exp: now + lifetime,
  };
}

/**
 * Encodes a client id or secret with application/x-www-form-urlencoded before
 * it goes into HTTP Basic, as RFC 6749 §2.3.1 requires.
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-2.3.1
 */
export function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `client_secret_basic`: `Authorization: Basic base64(formEncode(id):formEncode(secret))`. */
export const clientSecretBasic: ClientAuthFunction = (client, _method, url, headers, body) => {
  const credentials = `${formEncode(client.clientId ?? '')}:${formEncode(client.clientSecret ?? '')}`;
  headers.set('Authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
  return { url, headers, body };
};

/** `client_secret_post`: `client_id` and `client_secret` in the form body. */
export const clientSecretPost: ClientAuthFunction = (client, _method, url, headers, body) => {
  body.set('client_id', client.clientId ?? '');
  body.set('client_secret', client.clientSecret ?? '');
  return { url, headers, body };
};

/** `none`: a public client sends only its `client_id`. */
export const clientNone: ClientAuthFunction = (client, _method, url, headers, body) => {
  body.set('client_id', client.clientId ?? '');
  return { url, headers, body };
};

/**
 * Builds the JWT-based methods (`client_secret_jwt`, `private_key_jwt`, RFC 7523 §2.2):
 * a short-lived assertion with `iss` = `sub` = client id, `aud` = the endpoint,
 * a random `jti`. The key is imported once per client.
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-2.2
 */
export function createJwtAuth(
  kind: 'client_secret_jwt' | 'private_key_jwt',
  options: ClientAssertionOptions,
): ClientAuthFunction {
  let signer: Promise<SigningKey> | undefined;
  let signerSecret: string | undefined;
  return async (client, _method, url, headers, body) => {
    if (kind === 'client_secret_jwt') {
      if (!signer || signerSecret !== client.clientSecret) {
        signer = importSigningKey(client.clientSecret ?? '', options.clientKeyAlg ?? 'HS256');
        signerSecret = client.clientSecret;
      }
    } else {
      if (!options.clientKey) {
        throw Object.assign(new TypeError('private_key_jwt needs a clientKey'), {
          code: 'ERR_OAUTH_CLIENT_KEY',
        });
      }
      signer ??= importSigningKey(options.clientKey, options.clientKeyAlg);
    }
    const { key, alg, kid } = await signer;
    const header: { alg: string; kid?: string } = { alg };
    const keyId = options.clientKeyId ?? kid;
    if (keyId) header.kid = keyId;
    const claims = clientAssertionClaims(
      client.clientId ?? '',
      url,
      options.assertionLifetime ?? 60,
    );
    const assertion = await new SignJWT({ ...claims }).setProtectedHeader(header).sign(key);
    body.set('client_id', client.clientId ?? '');
    body.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
    body.set('client_assertion', assertion);
    return { url, headers, body };
  };
}
