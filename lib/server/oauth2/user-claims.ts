import { SCOPE_CLAIMS } from '../../core/oidc/scope-claims.js';
import type { OAuth2ServerClient } from './oauth2-server-client.js';
import type { ServerContext } from './server-context.js';

/** Claims the server sets itself; a user claim never overrides them. */
const PROTOCOL_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'azp',
  'at_hash',
  'c_hash',
  's_hash',
  'sid',
  'cnf',
]);

/**
 * The user's claims for the granted scopes, from the storage's
 * `getUserClaims`: claims of a standard scope that was not granted are
 * dropped, and so are the protocol claims (`sub`, `iss`, `aud`, ...), which
 * the server sets itself.
 *
 * @param ctx - the server
 * @param subject - the user
 * @param scope - the granted scopes
 * @param client - the client asking
 */
export async function userClaims(
  ctx: ServerContext,
  subject: string,
  scope: readonly string[],
  client: OAuth2ServerClient,
): Promise<Record<string, unknown>> {
  const claims = (await ctx.storage.getUserClaims?.(subject, scope, client)) ?? {};
  const withheld = new Set(
    Object.entries(SCOPE_CLAIMS)
      .filter(([s]) => !scope.includes(s))
      .flatMap(([, names]) => names),
  );
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (!withheld.has(name) && !PROTOCOL_CLAIMS.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}
