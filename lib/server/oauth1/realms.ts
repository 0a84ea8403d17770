/**
 * Realms: what a token may be used for (Flask-OAuthlib's realms, OAuth 1's
 * scopes). A client asks for them in the `realm` of its request-token
 * request's `Authorization` header (space-separated, as oauthlib reads it);
 * the resource owner may narrow them; a protected resource names those it
 * needs.
 */
import type { OAuth1ServerClient } from './oauth1-server-storage.interface.js';
import type { ResolvedOAuth1ServerSettings } from './oauth1-server-settings.js';
import { refuse } from './oauth1-provider-error.js';

/**
 * The realms of a request-token request: those named in the header's
 * `realm`, or the client's `defaultRealms`; each must be one the client may
 * request (its own `realms`, else the provider's).
 *
 * @internal
 * @throws {OAuth1ProviderError} 400 `parameter_rejected` for a realm the client may not request
 */
export function requestedRealms(
  headerRealm: string | undefined,
  client: OAuth1ServerClient,
  settings: ResolvedOAuth1ServerSettings,
): string[] {
  const named = headerRealm?.split(' ').filter((realm) => realm !== '') ?? [];
  const realms = unique(named.length > 0 ? named : (client.defaultRealms ?? []));
  const allowed = client.realms ?? settings.realms;
  if (!realms.every((realm) => allowed.includes(realm))) throw refuse.realm();
  return realms;
}

/**
 * The realms the resource owner approved: all requested ones by default, or
 * a subset of them.
 *
 * @internal
 * @throws {OAuth1ProviderError} 400 `parameter_rejected` for a realm that was not requested
 */
export function approvedRealms(
  requested: readonly string[],
  approved: readonly string[] | undefined,
): string[] {
  if (approved === undefined) return [...requested];
  if (!Array.isArray(approved) || !approved.every((realm) => requested.includes(realm))) {
    throw refuse.realm();
  }
  return unique(approved);
}

/**
 * Whether a token's realms cover every realm a resource requires.
 *
 * @internal
 */
export function coversRealms(granted: readonly string[], required: readonly string[]): boolean {
  return required.every((realm) => granted.includes(realm));
}

function unique(realms: readonly string[]): string[] {
  return [...new Set(realms)];
}
