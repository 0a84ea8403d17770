/**
 * Error construction for the OAuth 1 client, in one place. Like the rest of
 * core, messages are fixed wording plus at most an endpoint's origin and path:
 * never a token, a secret, a verifier, a query string or a body.
 */
import { OAuthError, type OAuthErrorOptions } from '../errors.js';
import { Redactor } from '../util/redact.js';

/**
 * The `code` of every `TypeError` the OAuth 1 client throws for a programming
 * mistake (a bad option or argument), so callers can branch on it.
 */
export type OAuth1TypeErrorCode =
  | 'ERR_OAUTH1_INVALID_OPTION'
  | 'ERR_OAUTH1_INVALID_RSA_KEY'
  | 'ERR_OAUTH1_INVALID_URL'
  | 'ERR_OAUTH1_INVALID_METHOD'
  | 'ERR_OAUTH1_BODY_SIGNATURE'
  | 'ERR_OAUTH1_BODY_NOT_ALLOWED'
  | 'ERR_OAUTH1_MISSING_VERIFIER';

/** A `TypeError` carrying an {@link OAuth1TypeErrorCode}. */
export interface OAuth1TypeError extends TypeError {
  /** Which mistake it is, stable for callers to branch on. */
  code: OAuth1TypeErrorCode;
}

/**
 * Builds a `TypeError` with a `code`.
 *
 * @internal
 */
export function oauth1TypeError(
  code: OAuth1TypeErrorCode,
  message: string,
  cause?: unknown,
): OAuth1TypeError {
  const error = new TypeError(
    message,
    cause === undefined ? undefined : { cause },
  ) as OAuth1TypeError;
  error.code = code;
  return error;
}

/**
 * The provider reported a problem the OAuth Problem Reporting way
 * (`oauth_problem=nonce_used&oauth_problem_advice=...`): an {@link OAuthError}
 * whose `error` is the problem.
 *
 * @internal
 */
export function problemError(
  data: Record<string, unknown>,
  secrets: Iterable<string | undefined>,
  options: OAuthErrorOptions,
): OAuthError {
  const redactor = new Redactor(secrets);
  const problem = redactor.text(String(data.oauth_problem));
  const advice =
    typeof data.oauth_problem_advice === 'string'
      ? redactor.text(data.oauth_problem_advice)
      : undefined;
  return new OAuthError(problem, {
    description: advice,
    response: redactor.value(data),
    ...options,
  });
}

/** Message texts of the OAuth 1 client. @internal */
export const messages = {
  missingTokenInResponse: (endpoint: string) =>
    `token response from ${endpoint} has no oauth_token or oauth_token_secret`,
  callbackNotConfirmed: (endpoint: string) =>
    `${endpoint} did not confirm the callback (oauth_callback_confirmed is not "true"): not an OAuth 1.0a provider`,
  noRequestToken:
    'no request token: call fetchRequestToken() first or pass the request token explicitly',
  noVerifier:
    'no verifier: call parseAuthorizationResponse() with the callback URL or pass options.verifier',
  tokenMismatch:
    'the oauth_token of the authorization response is not the request token of this flow',
  denied: 'the resource owner denied the authorization request',
  missingCallbackParam: (name: string) => `the authorization response has no ${name}`,
} as const;
