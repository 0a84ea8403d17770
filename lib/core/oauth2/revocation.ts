// Token revocation (RFC 7009) and introspection (RFC 7662) for OAuth2Client.
import { MissingTokenError } from '../errors.js';
import { discardBody, readOAuthResponse } from '../http/fetcher.js';
import type { OAuth2Token } from '../token.js';
import type { OAuth2Context } from './oauth2-context.js';
import type { TokenRequestOptions } from './oauth2-types.js';
import { missingEndpoint } from './params.js';

/**
 * Revokes a token at the revocation endpoint, authenticated with the client's method.
 *
 * @internal
 */
export async function revoke(
  ctx: OAuth2Context,
  url: string | undefined,
  options: TokenRequestOptions,
  current: OAuth2Token | undefined,
): Promise<void> {
  const body = tokenBody(options, current, ['refresh_token', 'access_token'], 'revoke');
  const endpoint =
    url ?? ctx.options.revocationEndpoint ?? (await ctx.discovered('revocation_endpoint'));
  if (!endpoint) throw missingEndpoint('revocation');
  const { response, request } = await ctx.postForm(endpoint, body, ctx.hooks.revokeTokenRequest);
  if (response.ok) {
    discardBody(response);
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
  current: OAuth2Token | undefined,
): Promise<Record<string, unknown>> {
  const body = tokenBody(options, current, ['access_token', 'refresh_token'], 'introspect');
  const endpoint =
    url ?? ctx.options.introspectionEndpoint ?? (await ctx.discovered('introspection_endpoint'));
  if (!endpoint) throw missingEndpoint('introspection');
  const { response, request } = await ctx.postForm(
    endpoint,
    body,
    ctx.hooks.introspectTokenRequest,
  );
  return readOAuthResponse(response, ctx.callContext(request, []));
}

/**
 * The form of a revocation or introspection request: `token` (a string as
 * given, else the first of `order` the token object has) and the type hint.
 */
function tokenBody(
  options: TokenRequestOptions,
  current: OAuth2Token | undefined,
  order: readonly ('access_token' | 'refresh_token')[],
  action: string,
): URLSearchParams {
  const given = options.token ?? current;
  let value: unknown;
  let hint = options.tokenTypeHint;
  if (typeof given === 'string') {
    value = given;
  } else if (given && typeof given === 'object') {
    const kind = order.find((name) => typeof given[name] === 'string' && given[name] !== '');
    if (kind) {
      value = given[kind];
      hint ??= kind;
    }
  } else if (given !== undefined && given !== null) {
    throw Object.assign(new TypeError(`the token to ${action} must be a string or a token`), {
      code: 'ERR_OAUTH_INVALID_TOKEN',
    });
  }
  if (typeof value !== 'string' || value === '') {
    throw new MissingTokenError({
      message: `no token to ${action}: pass one, or give the client a token`,
    });
  }
  const body = new URLSearchParams({ token: value });
  if (hint) body.set('token_type_hint', hint);
  return body;
}
