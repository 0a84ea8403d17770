import { OAuthError } from '../../core/errors.js';

/**
 * The error codes of RFC 6750 §3.1, plus `missing_token` for a request that
 * carried no token at all (answered with a challenge that has no error code).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-3.1
 */
export type BearerErrorCode =
  'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'missing_token';

const STATUS: Record<BearerErrorCode, number> = {
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  missing_token: 401,
};

/**
 * A request to a protected resource was refused, as RFC 6750 §3.1 describes:
 *
 * | `error`              | status | when                                                                  |
 * | -------------------- | -----: | --------------------------------------------------------------------- |
 * | `missing_token`      |    401 | no bearer token was sent (the challenge carries no error code)        |
 * | `invalid_request`    |    400 | a malformed `Authorization` header, or a token sent more than once    |
 * | `invalid_token`      |    401 | an unknown, expired, revoked, forged or foreign token                 |
 * | `insufficient_scope` |    403 | a valid token without every scope the resource needs (`scope` names them) |
 *
 * `description` is fixed wording safe to send to the client; it never contains
 * the token. `reason` is a finer, stable code for logs and tests
 * (`expired`, `signature`, `aud`, `revoked`, ...).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-3.1
 */
export class BearerTokenError extends OAuthError {
  /** The RFC 6750 error code (or `missing_token`). */
  declare readonly error: BearerErrorCode;
  /** The HTTP status to answer: 400, 401 or 403. */
  declare readonly status: number;
  /** The fixed, client-safe description sent as `error_description`. */
  declare readonly description: string;
  /** What failed, for logs and tests: `missing`, `malformed`, `repeated`, `expired`, `signature`, `aud`, ... */
  readonly reason: string;
  /** For `insufficient_scope`: the scopes the resource needs. */
  readonly scope?: readonly string[];

  /**
   * @param error - the RFC 6750 code (or `missing_token`)
   * @param reason - the finer cause (`expired`, `signature`, ...)
   * @param description - fixed wording safe for the client (never the token)
   * @param options - `scope` for `insufficient_scope`, and the `cause`
   */
  constructor(
    error: BearerErrorCode,
    reason: string,
    description: string,
    options: { scope?: readonly string[]; cause?: unknown } = {},
  ) {
    super(error, {
      description,
      status: STATUS[error],
      cause: options.cause,
      message: `bearer token refused: ${error} (${reason}): ${description}`,
    });
    this.reason = reason;
    if (options.scope) this.scope = options.scope;
  }
}

/** `missing_token`: the request carried no bearer token. */
export function missingToken(): BearerTokenError {
  return new BearerTokenError('missing_token', 'missing', 'No access token was sent');
}

/** `invalid_request` with a fixed description. */
export function invalidRequest(reason: string, description: string): BearerTokenError {
  return new BearerTokenError('invalid_request', reason, description);
}

/**
 * `invalid_token` with a fixed description.
 * @param reason - the check that failed (`expired`, `signature`, `aud`, `revoked`, ...)
 * @param description - client-safe wording
 * @param cause - the underlying error, if any (kept off the response)
 */
export function invalidToken(
  reason: string,
  description = 'The access token is not valid',
  cause?: unknown,
): BearerTokenError {
  return new BearerTokenError('invalid_token', reason, description, { cause });
}

/** `insufficient_scope` naming every scope the resource needs. */
export function insufficientScope(required: readonly string[]): BearerTokenError {
  return new BearerTokenError(
    'insufficient_scope',
    'scope',
    'The access token does not grant every scope this resource needs',
    { scope: required },
  );
}
