// The grants of OAuth2Client.fetchToken: authorization code (with the hybrid
// and implicit responses), password and client credentials.
import { InvalidTokenError, MissingTokenError, OAuthError } from '../errors.js';
import type { OAuth2Token } from '../token.js';
import { parseAuthorizationResponse } from './authorization.js';
import { checkIdToken, sameUser, tokenFromProvider } from './id-token-check.js';
import type { OAuth2Context } from './oauth2-context.js';
import type { FetchTokenOptions } from './oauth2-types.js';
import { appendExtra, hasOpenId, joinScope, missingEndpoint } from './params.js';
import { addUserinfoClaims } from './userinfo-claims.js';

const FETCH_TOKEN_OPTIONS = new Set([
  'authorizationResponse',
  'code',
  'codeVerifier',
  'state',
  'nonce',
  'maxAge',
  'grantType',
  'username',
  'password',
  'redirectUri',
  'scope',
  'headers',
]);

/** Authorization response parameters that are not part of the token. */
const RESPONSE_ONLY_PARAMS = ['state', 'iss', 'session_state'];

/** What {@link obtainToken} falls back on: the client's own settings and flow values. */
export interface GrantDefaults {
  /** The client's scope. */
  scope?: string;
  /** The client's redirect URI. */
  redirectUri?: string;
}

/**
 * Runs a grant at the token endpoint (or reads an implicit response) and
 * returns the validated token. `options` carries the flow's `state`,
 * `codeVerifier`, `nonce` and `maxAge` already resolved by the caller.
 *
 * @internal
 */
export async function obtainToken(
  ctx: OAuth2Context,
  url: string | undefined,
  options: FetchTokenOptions,
  defaults: GrantDefaults,
): Promise<OAuth2Token> {
  await ctx.loadIfDiscovered();
  let code = options.code;
  let frontChannelClaims: Record<string, unknown> | undefined;
  const { nonce, maxAge } = options;
  const requestedScope = joinScope(options.scope) ?? defaults.scope;
  // A nonce is only ever sent with an OpenID Connect request.
  const openid = hasOpenId(requestedScope) || nonce !== undefined;
  if (options.authorizationResponse !== undefined) {
    const params = parseAuthorizationResponse(
      options.authorizationResponse,
      options.state,
      ctx.metadata,
    );
    code = params.get('code') ?? undefined;
    if (code === undefined) {
      // Implicit (`token`, `id_token`, `id_token token`): everything came in the fragment.
      if (!params.has('access_token') && !params.has('id_token')) {
        throw new OAuthError('invalid_response', {
          message: 'the authorization response has neither a code nor a token',
        });
      }
      const raw = Object.fromEntries(params);
      for (const key of RESPONSE_ONLY_PARAMS) delete raw[key];
      return acceptToken(ctx, raw, {
        nonce,
        maxAge,
        openid,
        scope: requestedScope,
        frontChannel: true,
      });
    }
    const idToken = params.get('id_token');
    if (idToken) {
      if (nonce === undefined) throw noNonce();
      // Hybrid flow: the front-channel ID token binds the code (c_hash) before we spend it.
      frontChannelClaims = await checkIdToken(ctx, idToken, {
        nonce,
        maxAge,
        code,
        state: params.get('state') ?? undefined,
        requireHashes: ['c_hash'],
      });
    }
  }

  const grantType = grantTypeOf({ ...options, code });
  const body = new URLSearchParams({ grant_type: grantType });
  const secrets: (string | undefined)[] = [];
  const codeGrant = grantType === 'authorization_code';
  // Fail closed before the code is spent: an OpenID Connect login has a nonce to check.
  if (codeGrant && openid && nonce === undefined) throw noNonce();
  if (codeGrant) {
    const redirectUri = options.redirectUri ?? defaults.redirectUri;
    const verifier = options.codeVerifier;
    body.set('code', code ?? '');
    if (redirectUri) body.set('redirect_uri', redirectUri);
    if (verifier) body.set('code_verifier', verifier);
    secrets.push(code, verifier);
  } else if (grantType === 'password') {
    body.set('username', options.username ?? '');
    body.set('password', options.password ?? '');
    secrets.push(options.password);
  }
  const scope = joinScope(options.scope) ?? (codeGrant ? undefined : defaults.scope);
  if (scope) body.set('scope', scope);
  appendExtra(body, options, FETCH_TOKEN_OPTIONS);

  const endpoint = url ?? ctx.tokenEndpoint;
  if (!endpoint) throw missingEndpoint('token');
  const raw = await ctx.postToTokenEndpoint(
    endpoint,
    body,
    secrets,
    options.headers,
    ctx.hooks.accessTokenResponse,
  );
  return acceptToken(ctx, raw, {
    nonce,
    maxAge,
    code,
    expected: frontChannelClaims,
    // OIDC Core §3.1.3.3: the token response of an OpenID Connect code flow has an ID token.
    openid: codeGrant && openid,
    scope: requestedScope,
    login: codeGrant,
  });
}

/**
 * The grant `fetchToken` runs for these options: the given one, else
 * `authorization_code` with a code (or an authorization response), `password`
 * with a username or password, `client_credentials` otherwise.
 *
 * @internal
 */
export function grantTypeOf(options: FetchTokenOptions): string {
  if (options.grantType) return options.grantType;
  if (options.code !== undefined || options.authorizationResponse !== undefined) {
    return 'authorization_code';
  }
  if (options.username !== undefined || options.password !== undefined) return 'password';
  return 'client_credentials';
}

/**
 * Normalizes a token response and validates its ID token. A `userinfo`
 * member from the provider is dropped: `userinfo` is ours, set from a
 * validated ID token (and UserInfo) only.
 */
async function acceptToken(
  ctx: OAuth2Context,
  raw: Record<string, unknown>,
  check: {
    nonce?: string;
    maxAge?: number;
    code?: string;
    /** The token came in the authorization response (implicit flow). */
    frontChannel?: boolean;
    /** Claims the new ID token must agree with (same `iss` and `sub`). */
    expected?: Record<string, unknown>;
    /** OpenID Connect was requested: an ID token (and an expected nonce) is required. */
    openid?: boolean;
    /** The requested scope (decides the UserInfo call). */
    scope?: string;
    /** A user logged in (code or implicit flow): UserInfo claims may be added. */
    login?: boolean;
  },
): Promise<OAuth2Token> {
  const token = tokenFromProvider(raw);
  const hasAccessToken = typeof token.access_token === 'string' && token.access_token !== '';
  if (!hasAccessToken && token.id_token === undefined) throw new MissingTokenError();
  if (token.id_token === undefined) {
    if (check.openid) {
      throw new InvalidTokenError(
        'id_token',
        'the response has none although openid was requested',
      );
    }
    return token;
  }
  if (check.nonce === undefined && (check.frontChannel || check.login)) {
    throw noNonce();
  }
  token.userinfo = await checkIdToken(ctx, token.id_token, {
    ...check,
    accessToken: hasAccessToken ? token.access_token : undefined,
    requireHashes: check.frontChannel && hasAccessToken ? ['at_hash'] : undefined,
  });
  if (check.expected) sameUser(check.expected, token.userinfo);
  if (check.login || check.frontChannel) {
    await addUserinfoClaims(ctx, token, token.scope ?? check.scope);
  }
  return token;
}

/** An ID token from a login cannot be checked without the nonce of its request: fail closed. */
function noNonce(): InvalidTokenError {
  return new InvalidTokenError(
    'nonce',
    'no expected nonce: pass the nonce sent with the authorization request',
  );
}
