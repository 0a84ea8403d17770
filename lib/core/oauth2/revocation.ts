// Token revocation (RFC 7009) and introspection (RFC 7662) for OAuth2Client.
import { readOAuthResponse } from '../http/fetcher.js';
import type { OAuth2Context } from './oauth2-context.js';
import { missingEndpoint } from './params.js';

/** A token to revoke or introspect, with the optional type hint. */
export interface TokenRequestOptions {
  /** The token value. */
  token: string;
  /** `access_token` or `refresh_token` (RFC 7009 §2.1). */
  tokenTypeHint?: string;
}

/**
 * Revokes a token at the revocation endpoint, authenticated with the client's method.
 *
 * @internal
 */
export async function revoke(
  ctx: OAuth2Context,
  url: string | undefined,
  options: TokenRequestOptions,
): Promise<void> {
  const endpoint =
    url ?? ctx.options.revocationEndpoint ?? (await ctx.discovered('revocation_endpoint'));
  if (!endpoint) throw missingEndpoint('revocation');
  const { response, request } = await ctx.postForm(
    endpoint,
    tokenBody(options),
    ctx.hooks.revokeTokenRequest,
  );
  if (response.ok) {
    await response.arrayBuffer().catch(() => undefined);
    return;
  }
  await readOAuthResponse(response, ctx.callContext(request, []));
}

/**
 * Asks the introspection endpoint about a token, authenticated with the client's method.
 *
 * @internal
 */
export async function introspect(
  ctx: OAuth2Context,
  url: string | undefined,
  options: TokenRequestOptions,
): Promise<Record<string, unknown>> {
  const endpoint =
    url ?? ctx.options.introspectionEndpoint ?? (await ctx.discovered('introspection_endpoint'));
  if (!endpoint) throw missingEndpoint('introspection');
  const { response, request } = await ctx.postForm(
    endpoint,
    tokenBody(options),
    ctx.hooks.introspectTokenRequest,
  );
  return readOAuthResponse(response, ctx.callContext(request, []));
}

function tokenBody(options: TokenRequestOptions): URLSearchParams {
  const body = new URLSearchParams({ token: options.token });
  if (options.tokenTypeHint) body.set('token_type_hint', options.tokenTypeHint);
  return body;
}
