import type { RefreshLockFunction } from '../core/oauth2/refresh-lock.js';
import type { OAuthTokenUpdatedEvent } from '../events/oauth.events.js';
import type { OAuthModuleOptions } from '../interfaces/oauth-module-options.interface.js';

/**
 * What the module shares with every injected client: the module-level
 * callbacks and transport, and the event publisher.
 */
export interface OAuthAppRuntime {
  /** Module-level `fetchToken`. */
  fetchToken?: OAuthModuleOptions['fetchToken'];
  /** Module-level `updateToken`. */
  updateToken?: OAuthModuleOptions['updateToken'];
  /** Publishes `oauth.token.updated` (a no-op without `EventEmitterModule`). */
  publishTokenUpdated?: (event: OAuthTokenUpdatedEvent) => void;
  /** Module-level `fetch`. */
  fetch?: OAuthModuleOptions['fetch'];
  /** Module-level timeout (ms). */
  timeout?: number;
  /** The cross-instance refresh lock of a client, when the module's store has one (Redis). */
  refreshLock?: (clientName: string) => RefreshLockFunction;
}
