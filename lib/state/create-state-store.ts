import type { Logger } from '@nestjs/common';
import { randomToken } from '../core/index.js';
import type { ResolvedModuleSettings } from '../config/resolve-module-settings.js';
import type { OAuthCache } from '../interfaces/oauth-cache.interface.js';
import { CacheStateStore } from './cache-state.store.js';
import { CookieStateStore } from './cookie-state.store.js';
import type { OAuthStateStore } from './state-store.interface.js';

/**
 * The module's state store: the shared `cache` when one is given, else the
 * encrypted cookie with the configured secrets — or, with none, a random
 * secret and a warning (logins then complete only on the instance that
 * started them, and not across restarts).
 *
 * @param settings - the resolved module settings
 * @param cache - the module's `cache` option
 * @param logger - where the warning goes
 */
export function createStateStore(
  settings: ResolvedModuleSettings,
  cache: OAuthCache | undefined,
  logger: Logger,
): OAuthStateStore {
  const common = { ttl: settings.stateTtl, cookieName: settings.cookieName };
  if (cache) return new CacheStateStore({ cache, ...common });
  let secrets = settings.secrets;
  if (!secrets) {
    secrets = [randomToken(32)];
    logger.warn(
      'no secret is configured for the OAuth state cookie: a random one is used, so a login ' +
        'only completes on the instance that started it, and not across restarts. Set `secret` ' +
        'or OAUTH_SECRET (the same on every instance), or give a shared `cache`.',
    );
  }
  return new CookieStateStore({ secrets, ...common });
}
