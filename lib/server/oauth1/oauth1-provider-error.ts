/**
 * Refusals of the OAuth 1.0a provider, in one place: the RFC 5849 §3.2
 * status (400 for a malformed request, 401 for credentials that do not
 * check out) and an OAuth Problem Reporting body (`oauth_problem=...`, the
 * de-facto extension every OAuth 1 client reads). Advice texts are fixed
 * wording: they may name a protocol parameter, never repeat a value.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.2
 * @see https://wiki.oauth.net/w/page/12238543/ProblemReporting
 */
import type { ServerResponse } from '../http/server-request.js';

/** The `oauth_problem` codes the provider answers with. */
export type OAuth1Problem =
  | 'parameter_absent'
  | 'parameter_rejected'
  | 'signature_method_rejected'
  | 'version_rejected'
  | 'insecure_transport'
  | 'timestamp_refused'
  | 'nonce_used'
  | 'signature_invalid'
  | 'consumer_key_unknown'
  | 'token_rejected'
  | 'token_expired'
  | 'verifier_invalid'
  | 'permission_denied';

/** The HTTP status of each {@link OAuth1Problem}. */
export const OAUTH1_PROBLEM_STATUS: Readonly<Record<OAuth1Problem, number>> = Object.freeze({
  parameter_absent: 400,
  parameter_rejected: 400,
  signature_method_rejected: 400,
  version_rejected: 400,
  insecure_transport: 400,
  timestamp_refused: 401,
  nonce_used: 401,
  signature_invalid: 401,
  consumer_key_unknown: 401,
  token_rejected: 401,
  token_expired: 401,
  verifier_invalid: 401,
  permission_denied: 403,
});

/**
 * A request the provider refused. `response` is what to send back: the
 * problem-reporting answer by default, or what the `invalidResponse` hook
 * or the `errorUri` setting made of it.
 */
export class OAuth1ProviderError extends Error {
  /** The HTTP status (400, 401 or 403). */
  readonly status: number;
  /** The `oauth_problem`. */
  readonly problem: OAuth1Problem;
  /** The `oauth_problem_advice`: fixed wording, never a request value. */
  readonly advice: string;
  /** Further problem-reporting fields (`oauth_parameters_absent`, `oauth_acceptable_timestamps`, ...). */
  readonly details: Readonly<Record<string, string>>;
  /** The response to send. */
  response: ServerResponse;

  /**
   * @param problem - the `oauth_problem`
   * @param advice - fixed text saying what is wrong
   * @param details - further problem-reporting fields
   */
  constructor(problem: OAuth1Problem, advice: string, details: Record<string, string> = {}) {
    super(`${problem}: ${advice}`);
    this.name = new.target.name;
    this.status = OAUTH1_PROBLEM_STATUS[problem];
    this.problem = problem;
    this.advice = advice;
    this.details = Object.freeze({ ...details });
    this.response = problemResponse(this);
  }
}

/**
 * The default answer to a refusal: the status, a form-encoded
 * `oauth_problem` body, `Cache-Control: no-store`, and on a 401 a
 * `WWW-Authenticate: OAuth` challenge.
 *
 * @param error - the refusal
 * @returns the response
 */
export function problemResponse(error: OAuth1ProviderError): ServerResponse {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
    'Cache-Control': 'no-store',
  };
  if (error.status === 401) headers['WWW-Authenticate'] = 'OAuth';
  const body = new URLSearchParams({
    oauth_problem: error.problem,
    oauth_problem_advice: error.advice,
    ...error.details,
  });
  return { status: error.status, headers, body: body.toString() };
}

/** The names the advice texts may mention (anything else is "a protocol parameter"). */
const KNOWN_PARAMETERS = new Set([
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_callback',
  'oauth_verifier',
  'oauth_body_hash',
  'realm',
]);

function parameterName(name: string): string {
  return KNOWN_PARAMETERS.has(name) ? name : 'a protocol parameter';
}

/**
 * Every refusal the provider makes, built here so that the wording stays in
 * one place.
 *
 * @internal
 */
export const refuse = {
  insecureTransport: () => new OAuth1ProviderError('insecure_transport', 'requests must use https'),
  malformedHeader: () =>
    new OAuth1ProviderError(
      'parameter_rejected',
      'the Authorization header is not a valid OAuth header',
    ),
  badForm: () => new OAuth1ProviderError('parameter_rejected', 'the form body is not a flat form'),
  duplicated: (name: string) =>
    new OAuth1ProviderError('parameter_rejected', `${parameterName(name)} is sent more than once`),
  splitTransport: () =>
    new OAuth1ProviderError(
      'parameter_rejected',
      'protocol parameters must be sent in one place: the Authorization header, the query or the form body',
    ),
  absent: (names: string[]) =>
    new OAuth1ProviderError('parameter_absent', `missing ${names.map(parameterName).join(', ')}`, {
      oauth_parameters_absent: names.filter((n) => KNOWN_PARAMETERS.has(n)).join('&'),
    }),
  rejected: (name: string, why: string) =>
    new OAuth1ProviderError('parameter_rejected', `${parameterName(name)} ${why}`),
  version: () =>
    new OAuth1ProviderError('version_rejected', 'oauth_version must be 1.0', {
      oauth_acceptable_versions: '1.0-1.0',
    }),
  method: () =>
    new OAuth1ProviderError(
      'signature_method_rejected',
      'this signature method is not accepted here',
    ),
  plaintextOverHttp: () =>
    new OAuth1ProviderError('signature_method_rejected', 'PLAINTEXT is accepted only over https'),
  methodWithoutKey: () =>
    new OAuth1ProviderError(
      'signature_method_rejected',
      'this client has no credentials for this signature method',
    ),
  timestamp: (now: number, window: number) =>
    new OAuth1ProviderError(
      'timestamp_refused',
      `oauth_timestamp is more than ${window} seconds away from the server clock`,
      { oauth_acceptable_timestamps: `${now - window}-${now + window}` },
    ),
  nonce: () =>
    new OAuth1ProviderError(
      'nonce_used',
      'this oauth_nonce was already used with this timestamp and these credentials',
    ),
  signature: () => new OAuth1ProviderError('signature_invalid', 'the signature does not verify'),
  client: () => new OAuth1ProviderError('consumer_key_unknown', 'unknown oauth_consumer_key'),
  token: () =>
    new OAuth1ProviderError(
      'token_rejected',
      'oauth_token is unknown, used or not for this client',
    ),
  tokenExpired: () => new OAuth1ProviderError('token_expired', 'oauth_token has expired'),
  verifier: () =>
    new OAuth1ProviderError('verifier_invalid', 'oauth_verifier does not match this request token'),
  callback: () =>
    new OAuth1ProviderError(
      'parameter_rejected',
      'oauth_callback must be oob or a callback URI registered for this client',
    ),
  realm: () =>
    new OAuth1ProviderError(
      'parameter_rejected',
      'a requested realm is not available to this client',
    ),
  permission: () =>
    new OAuth1ProviderError(
      'permission_denied',
      'the token does not cover the realms required here',
    ),
};
