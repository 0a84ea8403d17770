// UserInfo for OAuth2Client: the call itself, and the claims a login adds from it.
import { SCOPE_CLAIMS } from '../oidc/scope-claims.js';
import { fetchUserinfo } from '../oidc/userinfo.js';
import type { OAuth2Token } from '../token.js';
import type { OAuth2Context } from './oauth2-context.js';
import { missingEndpoint } from './params.js';

/**
 * Calls the UserInfo endpoint (configured, else discovered) with an access
 * token; the answer's `sub` must be `expectedSub` when given.
 *
 * @internal
 */
export async function callUserinfo(
  ctx: OAuth2Context,
  accessToken: string,
  expectedSub: string | undefined,
): Promise<Record<string, unknown>> {
  const endpoint = ctx.options.userinfoEndpoint ?? (await ctx.discovered('userinfo_endpoint'));
  if (!endpoint) throw missingEndpoint('userinfo');
  const metadata = ctx.metadata;
  return fetchUserinfo(endpoint, accessToken, {
    http: ctx.http,
    expectedSub,
    issuer: metadata?.issuer,
    clientId: ctx.client.clientId,
    clientSecret: ctx.client.clientSecret,
    keys: metadata?.jwks_uri ? ctx.keys(metadata.jwks_uri) : undefined,
    algorithms: metadata?.userinfo_signing_alg_values_supported,
  });
}

/**
 * After a login's ID token is validated, adds the UserInfo claims when the
 * client's `userinfo` setting asks for them: `'auto'` when the scope asks for
 * claims the ID token lacks and the provider has a UserInfo endpoint,
 * `'always'`, `'never'`. UserInfo's `sub` must be the ID token's; on a merge
 * the ID token's claims win.
 *
 * @internal
 * @param scope - the granted scope, else the requested one
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse
 */
export async function addUserinfoClaims(
  ctx: OAuth2Context,
  token: OAuth2Token,
  scope: string | undefined,
): Promise<void> {
  const mode = ctx.options.userinfo ?? 'auto';
  const claims = token.userinfo;
  if (mode === 'never' || !claims || typeof token.access_token !== 'string') return;
  if (token.access_token === '' || typeof claims.sub !== 'string') return;
  if (mode === 'auto') {
    const hasEndpoint = ctx.options.userinfoEndpoint ?? (await ctx.discovered('userinfo_endpoint'));
    if (!hasEndpoint || !lacksScopeClaims(scope, claims)) return;
  }
  const fetched = await callUserinfo(ctx, token.access_token, claims.sub);
  token.userinfo = { ...fetched, ...claims };
}

/** Whether the main claim of a requested scope (`name`, `email`, ...) is missing from `claims`. */
function lacksScopeClaims(scope: string | undefined, claims: Record<string, unknown>): boolean {
  if (!scope) return false;
  return scope.split(' ').some((name) => {
    const main = Object.hasOwn(SCOPE_CLAIMS, name) ? SCOPE_CLAIMS[name][0] : undefined;
    return main !== undefined && claims[main] === undefined;
  });
}
