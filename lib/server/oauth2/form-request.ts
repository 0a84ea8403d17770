import { formParameters, type ServerRequest } from '../http/server-request.js';
import { invalidRequest, OAuth2ServerError } from './errors.js';
import { OAuthParams } from './request-params.js';

/**
 * The form body of a back-channel POST (token, revocation, introspection):
 * the method must be POST, the body `application/x-www-form-urlencoded`
 * (a framework-parsed JSON body is refused) and flat.
 *
 * @throws {OAuth2ServerError} 405 for another method, `invalid_request` for another body
 */
export function readFormRequest(request: ServerRequest): OAuthParams {
  if (request.method !== 'POST') {
    throw new OAuth2ServerError('invalid_request', 'the endpoint accepts POST only', {
      status: 405,
      headers: { Allow: 'POST' },
    });
  }
  if (
    request.contentType !== undefined &&
    request.contentType !== 'application/x-www-form-urlencoded'
  ) {
    throw invalidRequest('the body must be application/x-www-form-urlencoded');
  }
  const params = formParameters(request.body);
  if (!params) throw invalidRequest('the body is not a flat form');
  return new OAuthParams(params);
}
