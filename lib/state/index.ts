export { CacheStateStore, type CacheStateStoreOptions } from './cache-state.store.js';
export { CookieStateStore, type CookieStateStoreOptions } from './cookie-state.store.js';
export {
  flowCookiePath,
  listCookieNames,
  readCookie,
  serializeCookie,
  type CookieAttributes,
} from './cookies.js';
export { InvalidStateError, type InvalidStateReason } from '../errors/invalid-state.error.js';
export { stateCookieName } from './state-cookie-name.js';
export type {
  OAuthStateData,
  OAuthStateStore,
  StateCookieIO,
  StateCookieOptions,
} from './state-store.interface.js';
