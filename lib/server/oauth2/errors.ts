import { OAuthError } from '../../core/errors.js';

/**
 * The error codes the authorization server answers with: RFC 6749 §4.1.2.1 /
 * §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1 and OpenID Connect Core §3.1.2.6.
 */
export type OAuth2ServerErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'unsupported_token_type'
  | 'interaction_required'
  | 'login_required'
  | 'account_selection_required'
  | 'consent_required'
  | 'request_not_supported'
  | 'request_uri_not_supported';

/** Options of {@link OAuth2ServerError}. */
export interface OAuth2ServerErrorOptions {
  /** The HTTP status of the error response (default after the code: 400, 401, 403, 500 or 503). */
  status?: number;
  /** Extra response headers (`WWW-Authenticate`, `Allow`). */
  headers?: Record<string, string>;
  /** The underlying error (never serialized). */
  cause?: unknown;
}

/**
 * An error the authorization server answers with. `error` is the RFC code,
 * `description` a fixed English sentence that never contains a request value
 * (no client secret, token, code, assertion or redirect URI), so it is safe to
 * send and to log.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.2
 */
export class OAuth2ServerError extends OAuthError {
  /** The HTTP status of the error response. */
  declare readonly status: number;
  /** Extra response headers (`WWW-Authenticate` for `invalid_client` and `invalid_token`). */
  readonly headers: Record<string, string>;

  /**
   * @param error - the RFC error code
   * @param description - fixed wording; never a value taken from the request
   * @param options - status, headers, cause
   */
  constructor(
    error: OAuth2ServerErrorCode,
    description: string,
    options: OAuth2ServerErrorOptions = {},
  ) {
    super(error, {
      description,
      status: options.status ?? defaultStatus(error),
      cause: options.cause,
    });
    this.headers = options.headers ?? {};
  }
}

function defaultStatus(error: OAuth2ServerErrorCode): number {
  switch (error) {
    case 'invalid_client':
    case 'invalid_token':
      return 401;
    case 'insufficient_scope':
      return 403;
    case 'server_error':
      return 500;
    case 'temporarily_unavailable':
      return 503;
    default:
      return 400;
  }
}

/** `invalid_request` with a fixed description. */
export const invalidRequest = (description: string): OAuth2ServerError =>
  new OAuth2ServerError('invalid_request', description);

/** `invalid_grant` with a fixed description. */
export const invalidGrant = (description: string): OAuth2ServerError =>
  new OAuth2ServerError('invalid_grant', description);

/** `invalid_scope` with a fixed description. */
export const invalidScope = (description: string): OAuth2ServerError =>
  new OAuth2ServerError('invalid_scope', description);

/**
 * `invalid_client` (401). The same description for an unknown client and a
 * wrong credential, so client ids cannot be enumerated; `Basic` adds the
 * `WWW-Authenticate` challenge RFC 6749 §5.2 asks for when the client tried
 * HTTP Basic.
 */
export const invalidClient = (
  description = 'client authentication failed',
  basic = false,
): OAuth2ServerError =>
  new OAuth2ServerError('invalid_client', description, {
    headers: basic ? { 'WWW-Authenticate': 'Basic realm="oauth2"' } : {},
  });
