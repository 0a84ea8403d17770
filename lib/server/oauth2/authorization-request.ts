import { isCodeVerifier } from '../../core/oauth2/pkce.js';
import {
  formParameters,
  queryParameters,
  type RequestParameters,
  type ServerRequest,
} from '../http/server-request.js';
import { invalidRequest, OAuth2ServerError } from './errors.js';
import { idTokenAlgorithm } from './id-token-issuer.js';
import {
  allowsResponseType,
  isPublicClient,
  normalizeResponseType,
  type OAuth2ServerClient,
} from './oauth2-server-client.js';
import { OAuthParams } from './request-params.js';
import type { ResponseMode } from './responses.js';
import { grantableScope, parseScope } from './scope.js';
import type { ServerContext } from './server-context.js';

/**
 * A validated authorization request: what the consent page shows and what
 * the decision applies to. Only produced by `validateAuthorizationRequest`;
 * the client, the redirect URI, the response type, the scope and PKCE have
 * been checked.
 */
export interface OAuth2AuthorizationRequest {
  /** The registered client. */
  client: OAuth2ServerClient;
  /** The response type, values sorted (`code`, `code id_token`, ...). */
  responseType: string;
  /** Where the response goes: the requested redirect URI (exactly registered), or the client's default. */
  redirectUri: string;
  /** Whether the request named `redirect_uri` (the token request must then repeat it). */
  redirectUriGiven: boolean;
  /** How the response parameters travel. */
  responseMode: ResponseMode;
  /** The requested (or default) scopes, all allowed to the client. */
  scope: string[];
  /** The client's `state`, returned as is. */
  state?: string;
  /** The OpenID Connect `nonce`. */
  nonce?: string;
  /** The PKCE challenge. */
  codeChallenge?: string;
  /** The PKCE method. */
  codeChallengeMethod?: 'S256' | 'plain';
  /** OpenID Connect `prompt` values (`none`, `login`, `consent`, `select_account`). */
  prompt: string[];
  /** OpenID Connect `max_age`, seconds: the decision must carry an `authTime` at most this old. */
  maxAge?: number;
  /** OpenID Connect `login_hint`. */
  loginHint?: string;
  /** OpenID Connect `acr_values`. */
  acrValues?: string[];
  /** OpenID Connect `ui_locales`. */
  uiLocales?: string[];
  /** OpenID Connect `display`. */
  display?: string;
  /** Every request parameter (single-valued), e.g. to repeat as hidden fields of the consent form. */
  parameters: Record<string, string>;
  /** The HTTP request that was validated. */
  request: ServerRequest;
}

/** Where an error of an authorization request can be sent: the client, once it is trusted. */
export interface AuthorizationErrorTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
}

/** An authorization request error, with the client to redirect to when its redirect URI was trusted. */
export class AuthorizationRequestError extends Error {
  /**
   * @param error - the protocol error
   * @param target - the trusted redirect, if any
   */
  constructor(
    readonly error: OAuth2ServerError,
    readonly target?: AuthorizationErrorTarget,
  ) {
    super(error.message, { cause: error });
  }
}

const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

/**
 * Validates an authorization request (RFC 6749 §4.1.1, §4.2.1, OIDC Core
 * §3.1.2.1) in the order RFC 6749 §4.1.2.1 sets: client and redirect URI
 * first (their errors are never redirected), then everything else (redirected
 * to the client with `error`).
 *
 * Parameters come from the query string; a POST whose form body names
 * `client_id` uses the body instead.
 *
 * @throws {AuthorizationRequestError} with the redirect target once the redirect URI is trusted
 */
export async function validateAuthorizationRequest(
  ctx: ServerContext,
  request: ServerRequest,
): Promise<OAuth2AuthorizationRequest> {
  const params = new OAuthParams(readParameters(request));
  const { client, redirectUri, redirectUriGiven } = await trustedClient(ctx, params);
  const rawType = safe(() => params.get('response_type'));
  const target: AuthorizationErrorTarget = {
    redirectUri,
    responseMode: defaultMode(rawType),
    state: safe(() => params.get('state')),
  };
  try {
    const responseMode = readResponseMode(params, target);
    target.responseMode = responseMode;
    return await validateRest(ctx, request, params, {
      client,
      redirectUri,
      redirectUriGiven,
      responseMode,
      state: params.get('state'),
    });
  } catch (err) {
    if (err instanceof OAuth2ServerError) throw new AuthorizationRequestError(err, target);
    throw err;
  }
}

function readParameters(request: ServerRequest): RequestParameters {
  if (request.method === 'POST') {
    const form =
      request.contentType === undefined ||
      request.contentType === 'application/x-www-form-urlencoded'
        ? formParameters(request.body)
        : undefined;
    if (form?.has('client_id')) return form;
  } else if (request.method !== 'GET') {
    throw new AuthorizationRequestError(
      invalidRequest('the authorization endpoint accepts GET and POST'),
    );
  }
  try {
    return queryParameters(request.url);
  } catch {
    throw new AuthorizationRequestError(invalidRequest('the request URL is malformed'));
  }
}

async function trustedClient(ctx: ServerContext, params: OAuthParams) {
  const fail = (err: OAuth2ServerError) => new AuthorizationRequestError(err);
  let clientId: string;
  let requested: string | undefined;
  try {
    clientId = params.require('client_id');
    requested = params.get('redirect_uri');
  } catch (err) {
    throw fail(err as OAuth2ServerError);
  }
  const client = await ctx.storage.getClient(clientId);
  if (!client || client.clientId !== clientId) {
    throw fail(new OAuth2ServerError('invalid_client', 'the client is unknown', { status: 400 }));
  }
  const registered = client.redirectUris ?? [];
  if (requested !== undefined) {
    if (!registered.includes(requested) || !isRedirectable(requested)) {
      throw fail(invalidRequest('the redirect_uri is not registered for the client'));
    }
    return { client, redirectUri: requested, redirectUriGiven: true };
  }
  const fallback =
    client.defaultRedirectUri ?? (registered.length === 1 ? registered[0] : undefined);
  const openid = safe(() => params.get('scope'))
    ?.split(' ')
    .includes('openid');
  if (
    fallback === undefined ||
    !registered.includes(fallback) ||
    !isRedirectable(fallback) ||
    openid
  ) {
    throw fail(invalidRequest('the redirect_uri parameter is missing'));
  }
  return { client, redirectUri: fallback, redirectUriGiven: false };
}

function readResponseMode(params: OAuthParams, target: AuthorizationErrorTarget): ResponseMode {
  const mode = params.get('response_mode');
  if (mode === undefined) return target.responseMode;
  if (mode !== 'query' && mode !== 'fragment' && mode !== 'form_post') {
    throw invalidRequest('the response_mode is not supported');
  }
  return mode;
}

interface Trusted {
  client: OAuth2ServerClient;
  redirectUri: string;
  redirectUriGiven: boolean;
  responseMode: ResponseMode;
  state?: string;
}

async function validateRest(
  ctx: ServerContext,
  request: ServerRequest,
  params: OAuthParams,
  trusted: Trusted,
): Promise<OAuth2AuthorizationRequest> {
  const { client } = trusted;
  if (params.has('request')) {
    throw new OAuth2ServerError('request_not_supported', 'request objects are not supported');
  }
  if (params.has('request_uri')) {
    throw new OAuth2ServerError('request_uri_not_supported', 'request_uri is not supported');
  }
  const responseType = normalizeResponseType(params.require('response_type'));
  if (!ctx.responseTypesSupported.includes(responseType)) {
    throw new OAuth2ServerError('unsupported_response_type', 'the response type is not supported');
  }
  if (!allowsResponseType(client, responseType)) {
    throw new OAuth2ServerError('unauthorized_client', 'the client may not use this response type');
  }
  const types = responseType.split(' ');
  if (trusted.responseMode === 'query' && responseType !== 'code') {
    throw invalidRequest('tokens must not be returned in the query');
  }
  const scope = grantableScope(
    client,
    parseScope(params.get('scope')),
    ctx.options.scopesSupported,
  );
  const openid = scope.includes('openid');
  if (types.includes('id_token') && !openid) {
    throw invalidRequest('an id_token response needs the openid scope');
  }
  if (openid) idTokenAlgorithm(ctx, client);
  const nonce = params.get('nonce');
  if (types.includes('id_token') && nonce === undefined) {
    throw invalidRequest('the nonce parameter is required with an id_token response');
  }
  const pkce = types.includes('code') ? readPkce(ctx, params, client) : {};
  const prompt = [
    ...new Set((params.get('prompt') ?? '').split(' ').filter((p) => PROMPTS.has(p))),
  ];
  if (prompt.includes('none') && prompt.length > 1) {
    throw invalidRequest('prompt=none cannot be combined with other values');
  }
  const maxAgeText = params.get('max_age');
  if (maxAgeText !== undefined && !/^\d{1,10}$/.test(maxAgeText)) {
    throw invalidRequest('max_age must be a non-negative integer');
  }
  const list = (name: string) => params.get(name)?.split(' ').filter(Boolean);
  return {
    client,
    responseType,
    redirectUri: trusted.redirectUri,
    redirectUriGiven: trusted.redirectUriGiven,
    responseMode: trusted.responseMode,
    scope,
    state: trusted.state,
    nonce,
    ...pkce,
    prompt,
    maxAge: maxAgeText === undefined ? undefined : Number(maxAgeText),
    loginHint: params.get('login_hint'),
    acrValues: list('acr_values'),
    uiLocales: list('ui_locales'),
    display: params.get('display'),
    parameters: params.toRecord(),
    request,
  };
}

function readPkce(
  ctx: ServerContext,
  params: OAuthParams,
  client: OAuth2ServerClient,
): Pick<OAuth2AuthorizationRequest, 'codeChallenge' | 'codeChallengeMethod'> {
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method') ?? 'plain'; // RFC 7636 §4.3 default
  if (challenge === undefined) {
    if (params.has('code_challenge_method')) throw invalidRequest('code_challenge is missing');
    if (isPublicClient(client) || ctx.options.requirePkce === 'all') {
      throw invalidRequest('PKCE is required: code_challenge is missing');
    }
    return {};
  }
  if (method === 'S256') {
    if (!S256_CHALLENGE.test(challenge)) throw invalidRequest('the code_challenge is malformed');
  } else if (method === 'plain') {
    if (!ctx.options.allowPlainPkce) {
      throw invalidRequest('the plain code_challenge_method is not allowed: use S256');
    }
    if (!isCodeVerifier(challenge)) throw invalidRequest('the code_challenge is malformed');
  } else {
    throw invalidRequest('the code_challenge_method is not supported');
  }
  return { codeChallenge: challenge, codeChallengeMethod: method };
}

function defaultMode(responseType: string | undefined): ResponseMode {
  return responseType !== undefined &&
    responseType.split(' ').some((t) => t === 'token' || t === 'id_token')
    ? 'fragment'
    : 'query';
}

/** An absolute URI without a fragment (RFC 6749 §3.1.2). */
function isRedirectable(uri: string): boolean {
  try {
    return new URL(uri).hash === '' && !uri.includes('#');
  } catch {
    return false;
  }
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
