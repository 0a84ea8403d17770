/**
 * Building blocks for the presets' compliance hooks: the ways providers
 * depart from RFC 6749 / 6750 that more than one of them shares. Each
 * preset file says which ones it uses, so its quirks stay visible there.
 */
import { DEFAULT_TIMEOUT, parseBody, readResponseText } from '../core/http/fetcher.js';
import type { ClientAuthFunction } from '../core/oauth2/client-auth.js';
import type { OAuth1Client } from '../core/oauth1/oauth1-client.js';
import type {
  AuthorizationUrl,
  AuthorizationUrlOptions,
  OAuth2Client,
  ProtectedRequest,
} from '../core/oauth2/oauth2-client.js';
import { describeEndpoint } from '../core/util/redact.js';
import type { OAuthComplianceTransport } from '../interfaces/oauth-client-options.interface.js';

/** A compliance fix as presets write it: the OAuth 2 client, its transport, the preset's options. */
export type OAuth2Fix<P = any> = (
  client: OAuth2Client,
  transport: OAuthComplianceTransport,
  options: P,
) => void;

/**
 * Adapts OAuth 2-only fixes to a preset's `complianceFix`, which is also
 * called with OAuth 1 clients (it then does nothing).
 */
export function oauth2Fix<P>(
  ...fixes: OAuth2Fix<P>[]
): (client: OAuth2Client | OAuth1Client, transport: OAuthComplianceTransport, options: P) => void {
  return (client, transport, options) => {
    if (!('registerComplianceHook' in client)) return;
    for (const fix of fixes) fix(client, transport ?? {}, options);
  };
}

/**
 * Rewrites every API request: `fn` gets the request (URL, headers with the
 * `Authorization: Bearer` header already set, body) and changes it in place.
 */
export function onApiRequest<P = any>(
  fn: (request: ProtectedRequest, client: OAuth2Client, options: P) => void,
): OAuth2Fix<P> {
  return (client, _transport, options) =>
    client.registerComplianceHook('protectedRequest', (request) => {
      fn(request, client, options);
      return request;
    });
}

/**
 * Sets a header on every API request (`Client-Id`, `x-api-key`,
 * `Notion-Version`, ...); a value the caller set on the request is kept.
 *
 * @param name - the header
 * @param value - its value for this client and options (`undefined`: not set)
 */
export function apiHeader<P = any>(
  name: string,
  value: (client: OAuth2Client, options: P) => string | undefined,
): OAuth2Fix<P> {
  return onApiRequest<P>((request, client, options) => {
    const v = value(client, options);
    if (v !== undefined && !request.headers.has(name)) request.headers.set(name, v);
  });
}

/**
 * Adds query parameters every API request must carry (`v` at VK, `key` and
 * `site` at Stack Exchange); a value already in the URL is kept.
 *
 * @param params - the parameters for this client's options (`undefined` values are skipped)
 */
export function apiQuery<P = any>(
  params: (options: P) => Record<string, string | undefined>,
): OAuth2Fix<P> {
  return onApiRequest<P>((request, _client, options) => {
    const url = new URL(request.url);
    for (const [key, value] of Object.entries(params(options))) {
      if (value !== undefined && !url.searchParams.has(key)) url.searchParams.set(key, value);
    }
    request.url = url.toString();
  });
}

/** The bearer token of an API request, if it carries one. */
export function bearerToken(request: ProtectedRequest): string | undefined {
  const match = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '');
  return match?.[1];
}

/**
 * The access token goes in the query (`?access_token=...` or another name)
 * instead of the `Authorization` header, for APIs that only read it there.
 *
 * @param name - the query parameter
 */
export function tokenInQuery(name = 'access_token'): OAuth2Fix {
  return onApiRequest((request) => {
    const token = bearerToken(request);
    if (!token) return;
    request.headers.delete('authorization');
    const url = new URL(request.url);
    url.searchParams.set(name, token);
    request.url = url.toString();
  });
}

/**
 * The `Authorization` header names another scheme than `Bearer`
 * (`OAuth <token>` at Yandex and Mailchimp).
 *
 * @param scheme - the scheme the provider wants
 */
export function authorizationScheme(scheme: string): OAuth2Fix {
  return onApiRequest((request) => {
    const token = bearerToken(request);
    if (token) request.headers.set('authorization', `${scheme} ${token}`);
  });
}

/**
 * Reshapes a provider's token endpoint answer (both the code exchange and
 * refreshes) into RFC 6749 §5.1 / §5.2 form before the core reads it. The
 * body is read once, within the client's timeout (and size limit) and
 * parsed as JSON or a form; anything else is passed on untouched.
 *
 * @param reshape - returns the RFC-shaped object (a new one or `data` changed in place)
 */
export function reshapeTokenResponse(
  reshape: (data: Record<string, unknown>, status: number) => Record<string, unknown>,
): OAuth2Fix {
  return (client, transport) => {
    const hook = async (response: Response): Promise<Response> => {
      const endpoint = describeEndpoint(response.url || 'http://token.invalid/');
      const context = { endpoint, timeout: transport.timeout ?? DEFAULT_TIMEOUT };
      const text = await readResponseText(response, context);
      const data = parseBody(text, response.headers.get('content-type') ?? '');
      const body = data ? JSON.stringify(reshape(data, response.status)) : text;
      const headers = new Headers(response.headers);
      if (data) headers.set('content-type', 'application/json');
      headers.delete('content-length');
      headers.delete('content-encoding');
      return new Response(body, { status: response.status, headers });
    };
    client.registerComplianceHook('accessTokenResponse', hook);
    client.registerComplianceHook('refreshTokenResponse', hook);
  };
}

/**
 * Post-processes the authorization URL the login guard redirects to
 * (parameter names of their own, a fragment the provider requires).
 *
 * @param edit - changes the URL in place
 */
export function editAuthorizationUrl(edit: (url: URL) => void): OAuth2Fix {
  return (client) => {
    const build = client.createAuthorizationUrl.bind(client);
    client.createAuthorizationUrl = (endpoint?: string, options?: AuthorizationUrlOptions) => {
      const result: AuthorizationUrl = build(endpoint, options);
      const url = new URL(result.url);
      edit(url);
      return { ...result, url: url.toString() };
    };
  };
}

/**
 * Renames a query parameter of a URL (WeChat's `appid`, TikTok's
 * `client_key`): the value moves, the old name is removed.
 */
export function renameParam(params: URLSearchParams, from: string, to: string): void {
  const value = params.get(from);
  if (value === null) return;
  params.delete(from);
  params.set(to, value);
}

/**
 * A client authentication method that also sets a header on the token
 * request (GitHub's `Accept: application/json`, Reddit's `User-Agent`).
 *
 * @param method - the authentication proper (`clientSecretBasic`, ...)
 * @param name - the header
 * @param value - its value
 */
export function withTokenHeader(
  method: ClientAuthFunction,
  name: string,
  value: string,
): ClientAuthFunction {
  return (client, httpMethod, url, headers, body) => {
    headers.set(name, value);
    return method(client, httpMethod, url, headers, body);
  };
}
