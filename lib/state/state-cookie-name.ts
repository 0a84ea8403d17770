import { hashState } from './state-crypto.js';

/**
 * The cookie of one flow: `<prefix>_<client>_<22 chars of SHA-256(state)>`,
 * so several logins (tabs) at once each have their own cookie.
 */
export function stateCookieName(prefix: string, name: string, state: string): string {
  return stateCookieNameOfHash(prefix, name, hashState(state));
}

/** {@link stateCookieName} from `hashState(state)`, for a caller that needs the hash too. */
export function stateCookieNameOfHash(prefix: string, name: string, stateHash: string): string {
  return `${stateCookiePrefix(prefix, name)}${stateHash.slice(0, 22)}`;
}

/** The prefix shared by every flow cookie of client `name`. */
export function stateCookiePrefix(prefix: string, name: string): string {
  return `${prefix}_${name}_`;
}
