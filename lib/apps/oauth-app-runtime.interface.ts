import type { FetchLike, OAuth2Token } from '../core/index.js';
import type { OAuthTokenUpdatedEvent } from '../events/oauth.events.js';
import type { OAuthTokenUpdateContext } from '../interfaces/oauth-client-options.interface.js';

/**
 * What the module shares with every injected client: the module-level
 * callbacks and transport, and the event publisher.
 */
export interface OAuthAppRuntime {
  /** Module-level `fetchToken`. */
  fetchToken?: (name: string, request: any) => unknown;
  /** Module-level `updateToken`. */
  updateToken?: (
    name: string,
    token: OAuth2Token,
    context: OAuthTokenUpdateContext,
    request?: any,
  ) => void | Promise<void>;
  /** Publishes `oauth.token.updated` (a no-op without `EventEmitterModule`). */
  publishTokenUpdated?: (event: OAuthTokenUpdatedEvent) => void;
  /** Module-level `fetch`. */
  fetch?: FetchLike;
  /** Module-level timeout (ms). */
  timeout?: number;
}
