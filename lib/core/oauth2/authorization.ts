// The front channel of OAuth2Client: the authorization URL, and reading the response to it.
import { MismatchingStateError, OAuthError } from '../errors.js';
import type { AuthorizationServerMetadata } from '../oidc/discovery.js';
import { validateAuthorizationResponseIssuer } from '../oidc/response-issuer.js';
import { randomToken } from '../util/random.js';
import type { AuthorizationUrl, AuthorizationUrlOptions } from './oauth2-types.js';
import { hasOpenId, joinScope } from './params.js';
import { createCodeChallenge, createCodeVerifier, type CodeChallengeMethod } from './pkce.js';

const AUTHORIZE_OPTIONS = new Set([
  'state',
  'codeVerifier',
  'nonce',
  'responseType',
  'scope',
  'redirectUri',
]);

/** The client's settings an authorization URL is built from. */
export interface AuthorizationDefaults {
  clientId?: string;
  scope?: string;
  redirectUri?: string;
  state?: string;
  codeChallengeMethod?: CodeChallengeMethod | false;
}

/**
 * Builds an authorization URL (RFC 6749 §4.1.1): `response_type`,
 * `client_id`, `redirect_uri`, `scope`, a CSPRNG `state`, a PKCE challenge
 * and, for OpenID Connect, a `nonce`; other options as query parameters.
 *
 * @internal
 */
export function buildAuthorizationUrl(
  endpoint: string,
  defaults: AuthorizationDefaults,
  options: AuthorizationUrlOptions,
): AuthorizationUrl {
  const target = new URL(endpoint);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw Object.assign(new TypeError('the authorization endpoint is not an http(s) URL'), {
      code: 'ERR_OAUTH_INSECURE_URL',
    });
  }
  // A detached copy: every change to `target.searchParams` would re-serialize the URL.
  const query = new URLSearchParams(target.search);
  const responseType = options.responseType ?? 'code';
  const scope = joinScope(options.scope) ?? defaults.scope;
  const redirectUri = options.redirectUri ?? defaults.redirectUri;
  const state = options.state ?? defaults.state ?? randomToken();
  query.set('response_type', responseType);
  if (defaults.clientId !== undefined) query.set('client_id', defaults.clientId);
  if (redirectUri) query.set('redirect_uri', redirectUri);
  if (scope) query.set('scope', scope);
  query.set('state', state);

  const result: AuthorizationUrl = { url: '', state };
  const method = defaults.codeChallengeMethod ?? 'S256';
  if (method && responseType.split(' ').includes('code')) {
    const verifier = options.codeVerifier ?? createCodeVerifier();
    query.set('code_challenge', createCodeChallenge(verifier, method));
    query.set('code_challenge_method', method);
    result.codeVerifier = verifier;
  }
  if (hasOpenId(scope) || responseType.split(' ').includes('id_token')) {
    const nonce = options.nonce ?? randomToken();
    query.set('nonce', nonce);
    result.nonce = nonce;
  }
  for (const [key, value] of Object.entries(options)) {
    if (!AUTHORIZE_OPTIONS.has(key) && value !== undefined && value !== null) {
      query.set(key, String(value));
    }
  }
  const maxAge = query.get('max_age');
  if (maxAge !== null && Number.isFinite(Number(maxAge))) result.maxAge = Number(maxAge);
  target.search = query.toString();
  result.url = target.toString();
  return result;
}

/**
 * Reads an authorization response (query and fragment), checks its state
 * and (RFC 9207) its issuer, and raises the provider's error.
 *
 * @internal
 * @throws {MismatchingStateError} when the state is not the expected one
 * @throws {OAuthError} the provider's `error`, or `invalid_issuer`
 */
export function parseAuthorizationResponse(
  response: string,
  expectedState: string | undefined,
  metadata: AuthorizationServerMetadata | undefined,
): URLSearchParams {
  let url: URL;
  try {
    url = new URL(response, 'http://localhost');
  } catch {
    throw new OAuthError('invalid_request', {
      message: 'the authorization response is not a URL',
    });
  }
  const params = new URLSearchParams(url.search);
  if (url.hash.length > 1) {
    for (const [key, value] of new URLSearchParams(url.hash.slice(1))) params.append(key, value);
  }
  const received = params.get('state');
  if (!expectedState || received !== expectedState) {
    throw new MismatchingStateError();
  }
  if (metadata) validateAuthorizationResponseIssuer(params, metadata);
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description');
    throw new OAuthError(error, {
      description: description ?? undefined,
      uri: params.get('error_uri') ?? undefined,
      endpoint: 'the authorization endpoint',
    });
  }
  return params;
}
