// The refresh_token grant of OAuth2Client (RFC 6749 §6).
import { MissingTokenError } from '../errors.js';
import type { OAuth2Token } from '../token.js';
import { checkIdToken, sameUser, tokenFromProvider } from './id-token-check.js';
import type { OAuth2Context } from './oauth2-context.js';
import type { RefreshTokenOptions } from './oauth2-types.js';
import { appendExtra, joinScope, missingEndpoint } from './params.js';

const REFRESH_OPTIONS = new Set(['refreshToken', 'scope', 'headers']);

/**
 * Refreshes `previous` (or `options.refreshToken`): the new token keeps the
 * old refresh token unless the provider rotated it, and a new ID token must
 * name the same user. `adopt` decides whether the client keeps the token;
 * `updateToken` is told afterwards.
 *
 * @internal
 * @throws {MissingTokenError} when there is no refresh token
 */
export async function refreshToken(
  ctx: OAuth2Context,
  url: string | undefined,
  options: RefreshTokenOptions,
  previous: OAuth2Token | undefined,
  adopt: (token: OAuth2Token, refreshToken: string) => void,
): Promise<OAuth2Token> {
  const refreshToken = options.refreshToken ?? previous?.refresh_token;
  if (!refreshToken) throw new MissingTokenError({ message: 'no refresh token is available' });
  if (!url) await ctx.loadIfDiscovered();
  const endpoint = url ?? ctx.options.refreshTokenEndpoint ?? ctx.tokenEndpoint;
  if (!endpoint) throw missingEndpoint('token');
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
  const scope = joinScope(options.scope);
  if (scope) body.set('scope', scope);
  appendExtra(body, { ...ctx.options.refreshTokenParams, ...options }, REFRESH_OPTIONS);
  const raw = await ctx.postToTokenEndpoint(
    endpoint,
    body,
    [refreshToken],
    options.headers,
    ctx.hooks.refreshTokenResponse,
  );
  const token = tokenFromProvider(raw);
  token.refresh_token ??= refreshToken;
  if (token.id_token !== undefined) {
    token.userinfo = await checkIdToken(ctx, token.id_token, {
      accessToken: token.access_token,
      refresh: true,
    });
    // OIDC Core §12.2: a refreshed ID token is about the same user, from the same issuer.
    if (previous?.userinfo) sameUser(previous.userinfo, token.userinfo);
  } else if (previous?.userinfo) {
    token.userinfo = previous.userinfo;
  }
  adopt(token, refreshToken);
  await ctx.options.updateToken?.(token, {
    refreshToken,
    accessToken: previous?.access_token,
  });
  return token;
}
