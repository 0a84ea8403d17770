// The grants of OAuth2Client.fetchToken: authorization code (with the hybrid
// and implicit responses), password and client credentials.
import { MissingTokenError, OAuthError } from '../errors.js';
import { normalizeToken, type OAuth2Token } from '../token.js';
import { parseAuthorizationResponse } from './authorization.js';
import { checkIdToken, sameUser } from './id-token-check.js';
import type { OAuth2Context } from './oauth2-context.js';
import type { FetchTokenOptions } from './oauth2-types.js';
import { appendExtra, joinScope, missingEndpoint } from './params.js';

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
      return acceptToken(ctx, raw, { nonce, maxAge, frontChannel: true });
    }
    const idToken = params.get('id_token');
    if (idToken) {
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

  const grantType =
    options.grantType ??
    (code !== undefined
      ? 'authorization_code'
      : options.username !== undefined || options.password !== undefined
        ? 'password'
        : 'client_credentials');
  const body = new URLSearchParams({ grant_type: grantType });
  const secrets: (string | undefined)[] = [];
  if (grantType === 'authorization_code') {
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
  const scope =
    joinScope(options.scope) ?? (grantType === 'authorization_code' ? undefined : defaults.scope);
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
  return acceptToken(ctx, raw, { nonce, maxAge, code, expected: frontChannelClaims });
}

/** Normalizes a token response and validates its ID token, if any. */
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
  },
): Promise<OAuth2Token> {
  const token = normalizeToken(raw);
  const hasAccessToken = typeof token.access_token === 'string' && token.access_token !== '';
  if (!hasAccessToken && typeof token.id_token !== 'string') throw new MissingTokenError();
  if (typeof token.id_token === 'string') {
    token.userinfo = await checkIdToken(ctx, token.id_token, {
      ...check,
      accessToken: hasAccessToken ? token.access_token : undefined,
      requireHashes: check.frontChannel && hasAccessToken ? ['at_hash'] : undefined,
    });
    if (check.expected) sameUser(check.expected, token.userinfo);
  }
  return token;
}
