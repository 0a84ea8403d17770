import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { ConfigService } from '@nestjs/config';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { OAuthAppRuntime } from './apps/oauth-app-runtime.interface.js';
import type { OAuthApp } from './apps/oauth-app.type.js';
import { OAuth1App } from './apps/oauth1-app.js';
import { OAuth2App } from './apps/oauth2-app.js';
import { createConfigReader } from './config/config-reader.js';
import { normalizeModuleKeys } from './config/option-keys.js';
import { resolveClientOptions } from './config/resolve-client-options.js';
import { resolveModuleSettings } from './config/resolve-module-settings.js';
import { OAuthConfigError } from './errors/oauth-config.error.js';
import { OAuthEventPublisher } from './events/oauth-event-publisher.js';
import { OAUTH_TOKEN_UPDATED_EVENT } from './events/oauth.events.js';
import type { OAuthModuleOptions } from './interfaces/oauth-module-options.interface.js';
import { OAUTH_LOGGER_CONTEXT } from './oauth.constants.js';
import { OAuthRegistry } from './oauth.registry.js';
import { createStateStore } from './state/create-state-store.js';
import { resolveModuleStore } from './store/module-store.js';

/** What {@link createOAuthRegistry} needs. */
export interface CreateRegistryInput {
  /** The module options (from `forRoot`, or the `forRootAsync` factory). */
  options: OAuthModuleOptions;
  /** Client names declared up front (`forRootAsync({ clients })`). */
  staticNames?: string[];
  /** The injected `ConfigService`, when visible to the module. */
  config?: ConfigService | null;
  /** The injected `EventEmitter2`, when visible to the module. */
  events?: EventEmitter2 | null;
  /** To find `ConfigService` and `EventEmitter2` elsewhere in the app. */
  moduleRef?: ModuleRef;
}

/**
 * Builds the registry at start-up: maps snake_case keys and refuses unknown
 * ones, resolves every client (code, then `ConfigService`), validates,
 * connects the shared store (`cache`, or `OAUTH_REDIS_URL`), creates one
 * injected client per name and the state store.
 *
 * @param input - the options and what to read config and publish events with
 * @returns the registry
 * @throws {OAuthConfigError} naming the client and key to fix
 * @throws {RedisConnectError} when the Redis store cannot be reached (naming `OAUTH_REDIS_URL`)
 * @internal
 */
export async function createOAuthRegistry(input: CreateRegistryInput): Promise<OAuthRegistry> {
  const { moduleRef } = input;
  if (!input.options || typeof input.options !== 'object') {
    throw new OAuthConfigError('OAuth module: the options factory returned no options object');
  }
  const options = normalizeModuleKeys(input.options);
  const read = createConfigReader(input.config, moduleRef);
  const settings = resolveModuleSettings(options, read);
  const logger = new Logger(OAUTH_LOGGER_CONTEXT);
  const events = new OAuthEventPublisher(logger, moduleRef, input.events);
  const names = [...new Set([...(input.staticNames ?? []), ...Object.keys(options.clients ?? {})])];
  const resolved = names.map((name) => resolveClientOptions(name, options.clients?.[name], read));
  // Last, once everything else is known to be right: a store left open would keep the process alive.
  const shared = await resolveModuleStore(options, read);
  try {
    const runtime: OAuthAppRuntime = {
      fetchToken: options.fetchToken,
      updateToken: options.updateToken,
      fetch: options.fetch,
      timeout: settings.timeout,
      refreshLock: shared.refreshLock,
      publishTokenUpdated: (event: unknown) => events.publish(OAUTH_TOKEN_UPDATED_EVENT, event),
    };
    const apps = new Map<string, OAuthApp>();
    for (const client of resolved) {
      apps.set(
        client.name,
        client.kind === 'oauth1' ? new OAuth1App(client, runtime) : new OAuth2App(client, runtime),
      );
    }
    const store = createStateStore(settings, shared.cache, logger);
    return new OAuthRegistry(apps, settings, store, events, logger, options, shared);
  } catch (err) {
    await shared.close();
    throw err;
  }
}
