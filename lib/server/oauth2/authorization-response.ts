import type { ServerResponse } from '../http/server-request.js';
import type {
  AuthorizationErrorTarget,
  OAuth2AuthorizationRequest,
} from './authorization-request.js';
import { OAuth2ServerError } from './errors.js';
import { signIdToken } from './id-token-issuer.js';
import type { OAuth2ServerUser } from './oauth2-server-storage.js';
import { authorizationRedirect, errorResponse, plainRedirect } from './responses.js';
import { formatScope, parseScope } from './scope.js';
import type { ServerContext } from './server-context.js';
import { generateToken, hashToken } from './token-hash.js';
import { issueTokens } from './token-issuer.js';
import { userClaims } from './user-claims.js';

/** Why a user did not authorize: the RFC 6749 / OIDC Core error sent back to the client. */
export type OAuth2DenialError =
  | 'access_denied'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  | 'account_selection_required';

/**
 * The app's answer to a validated authorization request (the seed's
 * `authorize_handler` return value): `true`/`false`, or an object naming the
 * user and what was granted.
 */
export type OAuth2AuthorizationDecision =
  | boolean
  | {
      /** Whether the user approved. */
      allow: boolean;
      /** The user who approved (required to allow, unless given separately). */
      user?: OAuth2ServerUser;
      /** The scopes granted: at most the requested ones (anything else is dropped); default all requested. */
      scope?: string | readonly string[];
      /** When the user authenticated, epoch seconds (required when the request had `max_age`). */
      authTime?: number;
      /** Authentication context class reference achieved. */
      acr?: string;
      /** Authentication methods used (`pwd`, `otp`, ...). */
      amr?: string[];
      /** The error when not allowed (default `access_denied`; `login_required` etc. for `prompt=none`). */
      error?: OAuth2DenialError;
    };

/**
 * Applies the decision: redirects back to the client with a `code`, tokens
 * and/or an ID token (or an error), always with `state` and RFC 9207 `iss`.
 *
 * @throws {TypeError} (`ERR_OAUTH_SERVER_USER`) when the decision allows without a user
 */
export async function createAuthorizationResponse(
  ctx: ServerContext,
  authz: OAuth2AuthorizationRequest,
  decision: OAuth2AuthorizationDecision,
  user?: OAuth2ServerUser,
): Promise<ServerResponse> {
  const d = typeof decision === 'boolean' ? { allow: decision } : decision;
  const target = {
    redirectUri: authz.redirectUri,
    responseMode: authz.responseMode,
    state: authz.state,
  };
  if (!d.allow) {
    const code = d.error ?? 'access_denied';
    return authorizationErrorResponse(
      ctx,
      new OAuth2ServerError(code, DENIALS[code] ?? DENIALS.access_denied),
      target,
    );
  }
  const who = d.user ?? user;
  if (!who || typeof who.sub !== 'string' || who.sub === '') {
    throw Object.assign(
      new TypeError('OAuth2 server: an allowing decision needs a user with a "sub"'),
      {
        code: 'ERR_OAUTH_SERVER_USER',
      },
    );
  }
  const now = ctx.now();
  if (authz.maxAge !== undefined && (d.authTime === undefined || now - d.authTime > authz.maxAge)) {
    return authorizationErrorResponse(
      ctx,
      new OAuth2ServerError('login_required', DENIALS.login_required),
      target,
    );
  }
  const narrowed = typeof d.scope === 'string' ? (parseScope(d.scope) ?? []) : d.scope;
  const scope = narrowed ? authz.scope.filter((s) => narrowed.includes(s)) : authz.scope;
  const types = authz.responseType.split(' ');
  if (types.includes('id_token') && !scope.includes('openid')) {
    return authorizationErrorResponse(
      ctx,
      new OAuth2ServerError('invalid_scope', 'the openid scope was not granted'),
      target,
    );
  }
  const params: Record<string, string> = {};
  let code: string | undefined;
  if (types.includes('code')) {
    code = generateToken();
    await ctx.codes.save(
      {
        codeHash: hashToken(code),
        clientId: authz.client.clientId,
        subject: who.sub,
        scope,
        redirectUri: authz.redirectUriGiven ? authz.redirectUri : undefined,
        expiresAt: now + ctx.codeExpiresIn,
        codeChallenge: authz.codeChallenge,
        codeChallengeMethod: authz.codeChallengeMethod,
        nonce: scope.includes('openid') ? authz.nonce : undefined,
        authTime: d.authTime,
        acr: d.acr,
        amr: d.amr,
      },
      now,
    );
    params.code = code;
  }
  let accessToken: string | undefined;
  if (types.includes('token')) {
    const issued = await issueTokens(ctx, {
      client: authz.client,
      scope,
      subject: who.sub,
      refreshToken: false,
    });
    accessToken = issued.accessToken;
    params.access_token = accessToken;
    params.token_type = 'Bearer';
    params.expires_in = String(ctx.tokenExpiresIn);
    params.scope = formatScope(scope);
  }
  if (types.includes('id_token')) {
    params.id_token = await signIdToken(ctx, {
      client: authz.client,
      subject: who.sub,
      nonce: authz.nonce,
      authTime: d.authTime,
      acr: d.acr,
      amr: d.amr,
      accessToken,
      code,
      // With no access token there is no UserInfo call: the claims go in the ID token (OIDC Core §5.4).
      claims:
        accessToken === undefined && code === undefined
          ? await userClaims(ctx, who.sub, scope, authz.client)
          : undefined,
    });
  }
  if (authz.state !== undefined) params.state = authz.state;
  params.iss = ctx.issuer;
  return authorizationRedirect(authz.redirectUri, params, authz.responseMode);
}

/**
 * The response to a failed authorization request: back to the client with
 * `error`, `state` and `iss` when its redirect URI is trusted; else to the
 * `errorUri` page, or a JSON 400.
 */
export function authorizationErrorResponse(
  ctx: ServerContext,
  err: OAuth2ServerError,
  target?: AuthorizationErrorTarget,
): ServerResponse {
  const params: Record<string, string> = { error: err.error };
  if (err.description) params.error_description = err.description;
  if (!target) {
    if (ctx.options.errorUri)
      return plainRedirect(new URL(ctx.options.errorUri, ctx.issuer).href, params);
    return errorResponse(err);
  }
  if (ctx.options.errorUri) params.error_uri = ctx.options.errorUri;
  if (target.state !== undefined) params.state = target.state;
  params.iss = ctx.issuer;
  return authorizationRedirect(target.redirectUri, params, target.responseMode);
}

const DENIALS: Record<string, string> = {
  access_denied: 'the user denied the request',
  login_required: 'the user must log in',
  consent_required: 'the user must consent',
  interaction_required: 'the user must interact with the server',
  account_selection_required: 'the user must select an account',
};
