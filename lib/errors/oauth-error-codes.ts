/**
 * The error codes the browser may see: registered codes (RFC 6749, RFC 6750,
 * RFC 7009, OpenID Connect Core, RFC 8707, RFC 9449, OAuth 1 Problem
 * Reporting) and this library's own. A provider's `error` is echoed only when
 * it is one of these: anything else (a provider echoing the request, a client
 * secret in `error`) becomes `server_error`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2.1
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.2
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 * @see https://wiki.oauth.net/w/page/12238543/ProblemReporting
 */
const REGISTERED_ERROR_CODES: ReadonlySet<string> = new Set([
  // RFC 6749 §4.1.2.1 and §5.2
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'invalid_client',
  'invalid_grant',
  'unsupported_grant_type',
  // RFC 6750 §3.1, RFC 7009 §2.2.1, RFC 8707 §2, RFC 9449 §5 and §8
  'invalid_token',
  'insufficient_scope',
  'unsupported_token_type',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
  // OpenID Connect Core §3.1.2.6
  'interaction_required',
  'login_required',
  'account_selection_required',
  'consent_required',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
  // OAuth 1.0a Problem Reporting
  'version_rejected',
  'parameter_absent',
  'parameter_rejected',
  'timestamp_refused',
  'nonce_used',
  'signature_method_rejected',
  'signature_invalid',
  'consumer_key_unknown',
  'consumer_key_rejected',
  'consumer_key_refused',
  'token_used',
  'token_expired',
  'token_revoked',
  'token_rejected',
  'verifier_invalid',
  'additional_authorization_required',
  'permission_unknown',
  'permission_denied',
  'user_refused',
  // This library's own codes
  'mismatching_state',
  'invalid_issuer',
  'invalid_response',
  'missing_token',
  'callback_not_confirmed',
  'network_error',
  'timeout',
]);

/**
 * `code` when it is a registered (or this library's) error code, else
 * `server_error`: the only error text that reaches the browser.
 *
 * @param code - an error code, possibly chosen by the provider
 * @returns a code safe to show
 */
export function publicErrorCode(code: unknown): string {
  return typeof code === 'string' && REGISTERED_ERROR_CODES.has(code) ? code : 'server_error';
}
