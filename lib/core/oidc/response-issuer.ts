import { OAuthError } from '../errors.js';
import { describeEndpoint } from '../util/redact.js';
import type { AuthorizationServerMetadata } from './discovery.js';

/**
 * RFC 9207 check of the `iss` parameter of an authorization response: when
 * the server advertises `authorization_response_iss_parameter_supported`,
 * `iss` must be present (unless the response carries an ID token, whose own
 * `iss` is then validated); when present, it must equal the issuer the
 * request was sent to. Defeats mix-up attacks between several providers.
 *
 * @param params - the authorization response's parameters (query or fragment)
 * @param metadata - the metadata of the server the request was sent to
 * @throws {OAuthError} (`invalid_issuer`) when `iss` is missing although advertised, repeated, or another issuer
 * @example
 * ```ts
 * validateAuthorizationResponseIssuer(new URL(callbackUrl).searchParams, metadata);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9207.html#section-2.4
 */
export function validateAuthorizationResponseIssuer(
  params: URLSearchParams,
  metadata: AuthorizationServerMetadata,
): void {
  const values = params.getAll('iss');
  const issuer = describeEndpoint(metadata.issuer);
  if (values.length === 0) {
    // A response carrying an ID token may omit `iss`: the token's own `iss` is validated instead (RFC 9207 §2.4).
    if (
      metadata.authorization_response_iss_parameter_supported === true &&
      !params.has('id_token')
    ) {
      throw new OAuthError('invalid_issuer', {
        message: `the authorization response has no "iss" although ${issuer} advertises it (RFC 9207)`,
      });
    }
    return;
  }
  if (values.length > 1 || values[0] !== metadata.issuer) {
    throw new OAuthError('invalid_issuer', {
      message: `the authorization response does not come from ${issuer} (possible mix-up attack, RFC 9207)`,
    });
  }
}
