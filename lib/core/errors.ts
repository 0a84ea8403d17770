/**
 * Errors raised by the protocol clients.
 *
 * Messages are fixed wording plus, where relevant, the endpoint's origin and
 * path: never a query string, a body, a header, a code, a token or a secret.
 * Every message is built in this file.
 */

/** Options accepted by {@link OAuthError} and its subclasses. */
export interface OAuthErrorOptions {
  /** Human-readable text from the provider (`error_description`), already redacted. */
  description?: string;
  /** `error_uri` from the provider. */
  uri?: string;
  /** The endpoint that was called, as `origin + path`. */
  endpoint?: string;
  /** HTTP status of the provider's response, when there was one. */
  status?: number;
  /** The provider's parsed response body (kept off the enumerable properties). */
  response?: unknown;
  /** The underlying error. */
  cause?: unknown;
  /** Replaces the default message (which is built from `error`, `description` and `endpoint`). */
  message?: string;
}

/**
 * A protocol error: the provider said no, or answered something that is not
 * OAuth. `error` is the RFC 6749 §5.2 code (`invalid_grant`, ...) or one of
 * this library's codes (`mismatching_state`, `invalid_response`, ...).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.2
 */
export class OAuthError extends Error {
  /** The error code. */
  readonly error: string;
  /** The provider's `error_description`, if any (redacted). */
  readonly description?: string;
  /** The provider's `error_uri`, if any. */
  readonly uri?: string;
  /** The endpoint (`origin + path`) the error came from, if any. */
  readonly endpoint?: string;
  /** The HTTP status of the provider's response, if any. */
  readonly status?: number;
  /** The provider's parsed response body, if any (non-enumerable, so it stays out of logs). */
  declare readonly response?: unknown;

  constructor(error: string, options: OAuthErrorOptions = {}) {
    super(options.message ?? buildMessage(error, options), { cause: options.cause });
    this.name = new.target.name;
    this.error = error;
    if (options.description !== undefined) this.description = options.description;
    if (options.uri !== undefined) this.uri = options.uri;
    if (options.endpoint !== undefined) this.endpoint = options.endpoint;
    if (options.status !== undefined) this.status = options.status;
    Object.defineProperty(this, 'response', {
      value: options.response,
      enumerable: false,
      writable: false,
    });
  }
}

/** The `state` returned on the authorization response is not the one that was sent (CSRF). */
export class MismatchingStateError extends OAuthError {
  constructor(options: OAuthErrorOptions = {}) {
    super('mismatching_state', {
      message: 'CSRF warning: the state in the authorization response does not match the request',
      ...options,
    });
  }
}

/** No token is available for a protected request, or a token response had no `access_token`. */
export class MissingTokenError extends OAuthError {
  constructor(options: OAuthErrorOptions = {}) {
    super('missing_token', { message: 'no access token is available', ...options });
  }
}

/** A token (an ID token, a signed userinfo response) failed validation. */
export class InvalidTokenError extends OAuthError {
  /** The claim or check that failed (`aud`, `iss`, `exp`, `nonce`, `signature`, ...). */
  readonly claim?: string;

  constructor(claim: string | undefined, detail: string, options: OAuthErrorOptions = {}) {
    super('invalid_token', {
      message: claim ? `invalid ID token: ${claim}: ${detail}` : `invalid token: ${detail}`,
      ...options,
    });
    if (claim !== undefined) this.claim = claim;
  }
}

/** The access token has expired and there is no refresh token or token endpoint to renew it. */
export class TokenExpiredError extends OAuthError {
  constructor(options: OAuthErrorOptions = {}) {
    super('token_expired', {
      message: 'the access token has expired and cannot be refreshed',
      ...options,
    });
  }
}

/** The endpoint could not be reached (DNS, connection refused, reset, TLS). */
export class OAuthNetworkError extends OAuthError {
  constructor(endpoint: string, options: OAuthErrorOptions = {}, error = 'network_error') {
    super(error, {
      message: `request to ${endpoint} failed: ${networkReason(options.cause)}`,
      endpoint,
      ...options,
    });
  }
}

/** The endpoint did not answer within the timeout. */
export class OAuthTimeoutError extends OAuthNetworkError {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeout: number;

  constructor(endpoint: string, timeout: number, options: OAuthErrorOptions = {}) {
    super(
      endpoint,
      { message: `request to ${endpoint} timed out after ${timeout} ms`, ...options },
      'timeout',
    );
    this.timeout = timeout;
  }
}

/** The endpoint answered with something that is not a valid response (HTML, bad JSON, a 5xx page). */
export class InvalidResponseError extends OAuthError {
  constructor(endpoint: string, reason: string, options: OAuthErrorOptions = {}) {
    super('invalid_response', {
      message: `invalid response from ${endpoint}: ${reason}`,
      endpoint,
      ...options,
    });
  }
}

/**
 * The endpoint's body grew past the client's `maxResponseBytes` (1 MiB by
 * default, counted after decompression): the read was aborted, so a
 * streaming or gzip-bomb answer cannot exhaust the app's memory.
 */
export class ResponseTooLargeError extends InvalidResponseError {
  /** The cap that was exceeded, in bytes. */
  readonly limit: number;

  constructor(endpoint: string, limit: number, options: OAuthErrorOptions = {}) {
    super(endpoint, `the body is larger than ${limit} bytes (maxResponseBytes)`, options);
    this.limit = limit;
  }
}

function buildMessage(error: string, options: OAuthErrorOptions): string {
  let message = error;
  if (options.description) message += `: ${options.description}`;
  if (options.endpoint) message += ` (from ${options.endpoint})`;
  return message;
}

function networkReason(cause: unknown): string {
  // undici wraps the socket error: report its code (ECONNREFUSED, ...) only, never a URL with a query.
  const inner = (cause as { cause?: { code?: unknown } } | undefined)?.cause;
  const code =
    (inner as { code?: unknown } | undefined)?.code ?? (cause as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'network error';
}
