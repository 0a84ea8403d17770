/**
 * What the OAuth 1 provider's guards and interceptor found for a request,
 * kept with the request object (`@Req()`) for the parameter decorators: the
 * pending authorization of the consent page and decision, the verified
 * request of a protected resource, the approval being exchanged for token
 * credentials.
 */
import type { OAuth1PendingAuthorization } from '../../server/oauth1/authorization-endpoint.js';
import type { OAuth1RequestAuthorization } from '../../server/oauth1/resource-request.js';
import type { OAuth1AccessTokenContext } from '../../server/oauth1/token-endpoints.js';

/** What one request may carry. */
interface OAuth1RequestData {
  pending?: OAuth1PendingAuthorization;
  principal?: OAuth1RequestAuthorization<any>;
  accessToken?: OAuth1AccessTokenContext<any>;
}

const data = new WeakMap<object, OAuth1RequestData>();

/** The key of a request: the framework request, whatever `@Req()` gives. */
function keyOf(request: unknown): object | undefined {
  return request !== null && typeof request === 'object' ? request : undefined;
}

/**
 * Records something found for `request`.
 *
 * @internal
 */
export function setOAuth1RequestData<K extends keyof OAuth1RequestData>(
  request: unknown,
  name: K,
  value: OAuth1RequestData[K],
): void {
  const key = keyOf(request);
  if (!key) return;
  const entry = data.get(key) ?? {};
  entry[name] = value;
  data.set(key, entry);
}

/**
 * Reads something found for `request`.
 *
 * @internal
 */
export function getOAuth1RequestData<K extends keyof OAuth1RequestData>(
  request: unknown,
  name: K,
): OAuth1RequestData[K] | undefined {
  const key = keyOf(request);
  return key ? data.get(key)?.[name] : undefined;
}

/**
 * The verified OAuth 1 request `@RequireOAuth1()` let through (the seed's
 * `request.oauth`): `{ client, user, realms, token, transport }`, or
 * `undefined` on a route it does not guard. For code that has the request
 * (an interceptor, a filter); handlers use `@OAuth1Principal()`.
 *
 * @typeParam U - the app's user type
 * @param request - the request `@Req()` gives
 * @returns the verified request, if any
 */
export function getOAuth1Principal<U = unknown>(
  request: unknown,
): OAuth1RequestAuthorization<U> | undefined {
  return getOAuth1RequestData(request, 'principal');
}
