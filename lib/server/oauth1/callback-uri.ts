/**
 * The callback of RFC 5849 §2.1 (`oauth_callback`): which values a client may
 * confirm, and the redirect back to it once the resource owner decided (§2.2).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc5849.html#section-2.2
 */
import type { OAuth1ServerClient } from './oauth1-server-storage.interface.js';

/** The out-of-band callback value (case sensitive, RFC 5849 §2.1). */
export const OOB = 'oob';

/** Scheme, host, port and path: what must match a registered callback. */
function callbackTarget(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.hash || url.username || url.password || uri.includes('#')) return undefined;
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Whether a client may use this `oauth_callback`: `oob`, or an absolute URI
 * without fragment or user info whose scheme, host, port and path are those
 * of one of its registered callbacks (`redirectUris` and
 * `defaultRedirectUri`); the query may differ. A client that registered
 * nothing may use only `oob`.
 *
 * @internal
 */
export function isAcceptableCallback(client: OAuth1ServerClient, callback: string): boolean {
  if (callback === OOB) return true;
  const target = callbackTarget(callback);
  if (target === undefined) return false;
  const registered = [...(client.redirectUris ?? [])];
  if (client.defaultRedirectUri) registered.push(client.defaultRedirectUri);
  return registered.some((uri) => callbackTarget(uri) === target);
}

/**
 * The callback URI with parameters added to its query (the existing query is
 * kept byte for byte).
 *
 * @internal
 */
export function withQueryParameters(uri: string, params: Record<string, string>): string {
  const added = new URLSearchParams(params).toString();
  if (!uri.includes('?')) return `${uri}?${added}`;
  return uri.endsWith('?') || uri.endsWith('&') ? `${uri}${added}` : `${uri}&${added}`;
}
