/**
 * Collecting the parameters of a signed request from its three sources (RFC
 * 5849 §3.4.1.3.1): the `Authorization: OAuth` header, the query and a
 * form-encoded body; checking that the protocol parameters come from one
 * place (§3.5) and none is repeated (§3.1).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.4.1.3.1
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-3.5
 */
import {
  formParameters,
  queryParameters,
  type RequestParameters,
  type ServerRequest,
} from '../http/server-request.js';
import { isOAuthAuthorization, parseOAuthAuthorization } from './authorization-header.js';
import { refuse } from './oauth1-provider-error.js';

/** Where the protocol parameters of a request were. */
export type OAuth1Transport = 'header' | 'query' | 'body';

/** The parameters of a request, collected and checked. @internal */
export interface CollectedParameters {
  /** Every parameter from every source, decoded: what the signature covers. */
  all: Array<[string, string]>;
  /** The protocol (`oauth_*`) parameters, each sent once. */
  oauth: Map<string, string>;
  /** The `realm` of the Authorization header. */
  realm?: string;
  /** Where the protocol parameters were (`undefined` when there were none). */
  transport?: OAuth1Transport;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The request URL, parsed; an adapter that built a bad one gets a 400, not a crash.
 *
 * @internal
 */
export function requestUrl(request: ServerRequest): URL {
  try {
    return new URL(request.url);
  } catch {
    throw refuse.rejected('the request URL', 'is not an absolute URL');
  }
}

/**
 * The parameters of a form-encoded body (none for another media type).
 *
 * @internal
 */
export function bodyParameters(request: ServerRequest): RequestParameters {
  if (request.contentType?.toLowerCase() !== FORM_TYPE) return new Map();
  const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : request.body;
  const params = formParameters(body);
  if (!params) throw refuse.badForm();
  return params;
}

/**
 * Reads every parameter of a signed request.
 *
 * @internal
 * @throws {OAuth1ProviderError} 400 `parameter_rejected` for a malformed or repeated
 *   Authorization header, a body that is not a flat form, protocol parameters in more
 *   than one place or a repeated protocol parameter
 */
export function collectParameters(request: ServerRequest): CollectedParameters {
  const result: CollectedParameters = { all: [], oauth: new Map() };
  const sources: Array<[OAuth1Transport, Array<[string, string]>]> = [];

  const authorization = request.headers.authorization;
  const header = Array.isArray(authorization)
    ? authorization.length === 1
      ? authorization[0]
      : authorization.some(isOAuthAuthorization)
        ? null
        : undefined
    : authorization;
  if (header === null) throw refuse.malformedHeader();
  if (header !== undefined && isOAuthAuthorization(header)) {
    const parsed = parseOAuthAuthorization(header);
    if (!parsed) throw refuse.malformedHeader();
    if (parsed.realm !== undefined) result.realm = parsed.realm;
    sources.push(['header', parsed.params]);
  }
  sources.push(['query', pairs(queryParameters(requestUrl(request).href))]);
  sources.push(['body', pairs(bodyParameters(request))]);

  for (const [transport, params] of sources) {
    let carriesProtocol = false;
    for (const [name, value] of params) {
      result.all.push([name, value]);
      if (!name.startsWith('oauth_')) continue;
      if (result.oauth.has(name)) throw refuse.duplicated(name);
      result.oauth.set(name, value);
      carriesProtocol = true;
    }
    if (carriesProtocol) {
      if (result.transport !== undefined) throw refuse.splitTransport();
      result.transport = transport;
    }
  }
  return result;
}

/**
 * The one value of a parameter of an unsigned request (the authorization
 * endpoint's `oauth_token`), from the query or a form body.
 *
 * @internal
 * @throws {OAuth1ProviderError} 400 when it is sent more than once
 */
export function singleParameter(request: ServerRequest, name: string): string | undefined {
  const values = [
    ...(queryParameters(requestUrl(request).href).get(name) ?? []),
    ...(bodyParameters(request).get(name) ?? []),
  ];
  if (values.length > 1) throw refuse.duplicated(name);
  return values[0];
}

function pairs(params: RequestParameters): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  for (const [name, values] of params) for (const value of values) list.push([name, value]);
  return list;
}
