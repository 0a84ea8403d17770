import { SignJWT } from 'jose';
import { computeTokenHash } from '../../core/oidc/hash-claims.js';
import { OAuth2ServerError } from './errors.js';
import type { OAuth2ServerClient } from './oauth2-server-client.js';
import type { ServerContext } from './server-context.js';

/** What goes into an ID token. */
export interface IdTokenInput {
  /** The client: the audience and authorized party. */
  client: OAuth2ServerClient;
  /** The user. */
  subject: string;
  /** The `nonce` of the authentication request. */
  nonce?: string;
  /** When the user authenticated, epoch seconds. */
  authTime?: number;
  /** Authentication context class reference. */
  acr?: string;
  /** Authentication methods. */
  amr?: string[];
  /** The access token issued with it (`at_hash`). */
  accessToken?: string;
  /** The code issued with it (`c_hash`). */
  code?: string;
  /** User claims to include (`name`, `email`, ...), already filtered by scope. */
  claims?: Record<string, unknown>;
}

/**
 * The algorithm of a client's ID tokens, checked against the server's keys.
 * @throws {OAuth2ServerError} `invalid_scope` when the server cannot sign ID tokens for the client
 */
export function idTokenAlgorithm(ctx: ServerContext, client: OAuth2ServerClient): string {
  const alg = client.idTokenSignedResponseAlg ?? ctx.keys.defaultAlgorithm;
  if (!alg || !ctx.keys.signer(alg)) {
    throw new OAuth2ServerError(
      'invalid_scope',
      'the server cannot sign ID tokens for this client',
    );
  }
  return alg;
}

/**
 * Signs an OpenID Connect ID token (OIDC Core §2): `iss`, `sub`, `aud` and
 * `azp` (the client), `exp`, `iat`, and when known `auth_time`, `nonce`,
 * `acr`, `amr`, `at_hash` and `c_hash` (computed by the same
 * `computeTokenHash` the client validates with).
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export async function signIdToken(ctx: ServerContext, input: IdTokenInput): Promise<string> {
  const alg = idTokenAlgorithm(ctx, input.client);
  const { key, kid } = await (ctx.keys.signer(alg) as NonNullable<
    ReturnType<typeof ctx.keys.signer>
  >);
  const now = ctx.now();
  const payload: Record<string, unknown> = {
    ...input.claims,
    iss: ctx.issuer,
    sub: input.subject,
    aud: input.client.clientId,
    azp: input.client.clientId,
    iat: now,
    exp: now + ctx.idTokenExpiresIn,
  };
  if (input.authTime !== undefined) payload.auth_time = input.authTime;
  if (input.nonce !== undefined) payload.nonce = input.nonce;
  if (input.acr !== undefined) payload.acr = input.acr;
  if (input.amr !== undefined) payload.amr = input.amr;
  if (input.accessToken !== undefined) payload.at_hash = computeTokenHash(input.accessToken, alg);
  if (input.code !== undefined) payload.c_hash = computeTokenHash(input.code, alg);
  return new SignJWT(payload).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key);
}
