import { InvalidTokenError, OAuthError, OAuthTimeoutError } from '../../core/errors.js';
import type { ServerResponse } from '../http/server-request.js';
import { BearerTokenError, invalidToken } from './bearer-error.js';

/** Default protection space of the `WWW-Authenticate` challenge. */
export const DEFAULT_REALM = 'api';

/**
 * The error a failure of resource protection stands for, as RFC 6750 sees it:
 * a {@link BearerTokenError} stays as it is, the core's `InvalidTokenError`
 * becomes `invalid_token`; anything else (the authorization server or the
 * storage failing) is returned unchanged.
 *
 * @param err - what a validator threw
 */
export function toBearerError(err: unknown): unknown {
  if (err instanceof BearerTokenError) return err;
  if (err instanceof InvalidTokenError) return invalidToken(err.claim ?? 'invalid', undefined, err);
  return err;
}

/**
 * The HTTP answer to a refused request (RFC 6750 §3):
 *
 * - {@link BearerTokenError}: its status (400 / 401 / 403), `WWW-Authenticate:
 *   Bearer realm="…"` with `error`, `error_description` and, for
 *   `insufficient_scope`, `scope` (no error attributes when no token was
 *   sent), and a JSON body `{ error, error_description }` (none for a missing token);
 * - the authorization server unreachable or answering nonsense
 *   (`OAuthNetworkError`, `InvalidResponseError`, an `OAuthError` from the
 *   introspection endpoint): 502; a timeout: 504. Bodies say only that, never the
 *   endpoint's answer;
 * - anything else: 500 `server_error`.
 *
 * Every answer is `Cache-Control: no-store`. Nothing from the request (the
 * token above all) is echoed.
 *
 * @param err - what `verifyRequest` threw
 * @param realm - the protection space named in the challenge (default `api`)
 * @returns the response to send
 * @example
 * ```ts
 * try { principal = await protector.verifyRequest(request, ['read']); }
 * catch (err) { writeNodeResponse(res, bearerErrorResponse(err, 'my-api')); }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-3
 */
export function bearerErrorResponse(err: unknown, realm: string = DEFAULT_REALM): ServerResponse {
  const error = toBearerError(err);
  if (error instanceof BearerTokenError) {
    const headers: Record<string, string> = {
      'WWW-Authenticate': bearerChallenge(error, realm),
      'Cache-Control': 'no-store',
    };
    if (error.error === 'missing_token') return { status: 401, headers };
    headers['Content-Type'] = 'application/json';
    return {
      status: error.status,
      headers,
      body: JSON.stringify({ error: error.error, error_description: error.description }),
    };
  }
  if (error instanceof OAuthTimeoutError) {
    return serverError(
      504,
      'temporarily_unavailable',
      'The authorization server did not answer in time',
    );
  }
  // OAuthNetworkError, InvalidResponseError, an error answer of the introspection endpoint.
  if (error instanceof OAuthError) {
    return serverError(
      502,
      'temporarily_unavailable',
      'The authorization server could not validate the token',
    );
  }
  return serverError(500, 'server_error', 'The access token could not be validated');
}

/**
 * The `WWW-Authenticate` value for a refused request (RFC 6750 §3):
 * `Bearer realm="api", error="invalid_token", error_description="…"`, plus
 * `scope="…"` for `insufficient_scope`, and only `realm` when no token was sent.
 *
 * @param error - the refusal
 * @param realm - the protection space
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-3
 */
export function bearerChallenge(error: BearerTokenError, realm: string = DEFAULT_REALM): string {
  const parts = [`realm=${quote(realm)}`];
  if (error.error !== 'missing_token') {
    parts.push(`error=${quote(error.error)}`, `error_description=${quote(error.description)}`);
    if (error.scope?.length) parts.push(`scope=${quote(error.scope.join(' '))}`);
  }
  return `Bearer ${parts.join(', ')}`;
}

/** An RFC 7230 quoted-string: `"` and `\` escaped, control characters dropped. */
function quote(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/[\x00-\x1f\x7f]/g, '').replace(/["\\]/g, '\\$&')}"`;
}

function serverError(status: number, error: string, description: string): ServerResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ error, error_description: description }),
  };
}
