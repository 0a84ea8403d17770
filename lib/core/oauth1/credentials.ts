// Reading the provider's answers for OAuth1Client: the credentials endpoints' (RFC 5849 §2.1,
// §2.3) and the callback (§2.2).
import { MissingTokenError, OAuthError } from '../errors.js';
import {
  DEFAULT_TIMEOUT,
  parseBody,
  parseOAuthResponse,
  readResponseText,
  sendToEndpoint,
  type CallContext,
  type HttpOptions,
} from '../http/fetcher.js';
import type { OAuth1Token } from '../token.js';
import type { OAuth1AuthorizationResponse, OAuth1SignedRequest } from './oauth1-types.js';
import { describeEndpoint, Redactor } from '../util/redact.js';
import { messages, oauth1TypeError, problemError } from './oauth1-errors.js';

/**
 * Reads a temporary or token credentials response: an OAuth Problem Reporting
 * body (`oauth_problem=...`) becomes an {@link OAuthError} with that code; the
 * rest is {@link readOAuthResponse}'s job (JSON or form, `error` members,
 * non-OAuth answers). The credentials must be there.
 *
 * @internal
 * @throws {MissingTokenError} when the response has no `oauth_token` or `oauth_token_secret`
 */
export async function readCredentials(
  response: Response,
  context: CallContext,
): Promise<OAuth1Token> {
  const text = await readResponseText(response, context);
  const parsed = parseBody(text, response.headers.get('content-type') ?? '');
  if (parsed && parsed.oauth_problem !== undefined && parsed.oauth_problem !== '') {
    throw problemError(parsed, context.secrets ?? [], {
      endpoint: context.endpoint,
      status: response.status,
    });
  }
  const data = parseOAuthResponse(text, response, context);
  const oauthToken = toText(data.oauth_token);
  const oauthTokenSecret = toText(data.oauth_token_secret);
  if (!oauthToken || oauthTokenSecret === undefined) {
    throw new MissingTokenError({
      endpoint: context.endpoint,
      status: response.status,
      response: new Redactor(context.secrets ?? []).value(data),
      message: messages.missingTokenInResponse(context.endpoint),
    });
  }
  return { ...data, oauth_token: oauthToken, oauth_token_secret: oauthTokenSecret };
}

/**
 * Reads the callback request (RFC 5849 §2.2): its query parameters (first
 * value of each), or the provider's refusal as an error.
 *
 * @internal
 * @throws {OAuthError} `access_denied` (`denied=...`, or Authlib's `error=access_denied`), the
 *   provider's `oauth_problem`, `invalid_request` when `oauth_token` or `oauth_verifier` is missing
 * @throws {TypeError} `ERR_OAUTH1_INVALID_URL` when `url` is not a URL
 */
export function readCallback(
  url: string | URL,
  secrets: Iterable<string | undefined>,
): OAuth1AuthorizationResponse {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://callback.invalid');
  } catch {
    throw oauth1TypeError('ERR_OAUTH1_INVALID_URL', 'the authorization response URL is not a URL');
  }
  const params: Record<string, string> = {};
  for (const [name, value] of parsed.searchParams) {
    if (!Object.hasOwn(params, name)) params[name] = value;
  }
  if (params.oauth_problem !== undefined) throw problemError(params, secrets, {});
  // A refusal: `denied=<token>` (Twitter and others), or `error=access_denied` (Authlib).
  if (params.denied !== undefined || params.error === 'access_denied') {
    throw new OAuthError('access_denied', { message: messages.denied });
  }
  for (const name of ['oauth_token', 'oauth_verifier'] as const) {
    if (!params[name]) {
      throw new OAuthError('invalid_request', { message: messages.missingCallbackParam(name) });
    }
  }
  return params as OAuth1AuthorizationResponse;
}

/**
 * Checks that a token given by the caller has the OAuth 1 credential fields.
 *
 * @internal
 * @throws {TypeError} `ERR_OAUTH1_INVALID_OPTION` otherwise
 */
export function checkToken(token: OAuth1Token): OAuth1Token {
  if (
    !token ||
    typeof token !== 'object' ||
    typeof token.oauth_token !== 'string' ||
    token.oauth_token === '' ||
    (token.oauth_token_secret !== undefined && typeof token.oauth_token_secret !== 'string')
  ) {
    throw oauth1TypeError(
      'ERR_OAUTH1_INVALID_OPTION',
      'a token must be an object with a string oauth_token and oauth_token_secret',
    );
  }
  return { oauth_token: token.oauth_token, oauth_token_secret: token.oauth_token_secret ?? '' };
}

function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Refuses temporary credentials whose provider did not confirm the callback
 * (RFC 5849 §2.1: `oauth_callback_confirmed` must be `true`). Compared
 * case-insensitively: Authlib's server writes out a Python bool, `True`.
 *
 * @param data - the temporary credentials response
 * @param endpoint - the temporary credential request endpoint
 * @throws {OAuthError} `callback_not_confirmed` naming the endpoint
 * @internal
 */
export function checkCallbackConfirmed(data: OAuth1Token, endpoint: URL): void {
  const confirmed = data.oauth_callback_confirmed;
  if (confirmed === true || String(confirmed).toLowerCase() === 'true') return;
  const where = describeEndpoint(endpoint);
  throw new OAuthError('callback_not_confirmed', {
    endpoint: where,
    message: messages.callbackNotConfirmed(where),
  });
}

/**
 * POSTs a signed request to a credentials endpoint (RFC 5849 §2.1, §2.3)
 * and reads the credentials it answers.
 *
 * @param signed - the signed `POST`
 * @param http - fetch, timeout and byte cap
 * @param secrets - values to keep out of any error message
 * @returns the credentials and the response's other fields
 * @internal
 */
export async function requestCredentials(
  signed: OAuth1SignedRequest,
  http: HttpOptions,
  secrets: Array<string | undefined>,
): Promise<OAuth1Token> {
  const response = await sendToEndpoint(
    signed.url,
    { method: 'POST', headers: signed.headers, body: signed.body ?? null },
    http,
  );
  return readCredentials(response, {
    endpoint: describeEndpoint(signed.url),
    timeout: http.timeout ?? DEFAULT_TIMEOUT,
    secrets,
  });
}
