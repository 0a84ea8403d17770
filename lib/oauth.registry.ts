import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { OAuth1App } from './apps/oauth1-app.js';
import { OAuth2App } from './apps/oauth2-app.js';
import {
  OAuthConfigError,
  resolveClientOptions,
  resolveModuleSettings,
  type ConfigReader,
  type ResolvedModuleSettings,
} from './config/resolve-client-options.js';
import { randomToken } from './core/util/random.js';
import type { OAuthModuleOptions } from './interfaces/oauth-module-options.interface.js';
import { OAUTH_LOGGER_CONTEXT } from './oauth.constants.js';
import { OAUTH_TOKEN_UPDATED_EVENT } from './events/oauth.events.js';
import { CacheStateStore } from './state/cache-state.store.js';
import { CookieStateStore } from './state/cookie-state.store.js';
import type { OAuthStateStore } from './state/state-store.interface.js';

/** An injected client: OAuth 2 / OpenID Connect or OAuth 1. */
export type OAuthApp = OAuth2App | OAuth1App;

/** A client name that is not registered. */
export class OAuthClientNotFoundError extends Error {
  /** Always `'OAUTH_UNKNOWN_CLIENT'`. */
  readonly code = 'OAUTH_UNKNOWN_CLIENT';

  constructor(
    /** The name asked for. */
    readonly clientName: string,
    registered: string[],
  ) {
    super(
      `OAuth client "${String(clientName).slice(0, 64)}" is not registered (registered: ${registered.join(', ') || 'none'})`,
    );
    this.name = new.target.name;
  }
}

/**
 * Everything the module builds at start-up: the apps, the settings, the state
 * store and the event publisher. Internal; users see {@link OAuthService}.
 *
 * @internal
 */
export class OAuthRegistry {
  readonly logger = new Logger(OAUTH_LOGGER_CONTEXT);
  private events?: EventEmitter2 | null;

  constructor(
    readonly apps: ReadonlyMap<string, OAuthApp>,
    readonly settings: ResolvedModuleSettings,
    readonly stateStore: OAuthStateStore,
    private readonly moduleRef?: ModuleRef,
    events?: EventEmitter2 | null,
  ) {
    this.events = events ?? undefined;
  }

  /** The app registered as `name`, if any. */
  get(name: string): OAuthApp | undefined {
    return typeof name === 'string' ? this.apps.get(name) : undefined;
  }

  /**
   * Publishes an event on `EventEmitter2` when `EventEmitterModule` is
   * imported; else does nothing. A listener's failure is logged, not thrown.
   */
  publish(event: string, payload: unknown): void {
    const emitter = this.emitter();
    if (!emitter) return;
    try {
      emitter.emit(event, payload);
    } catch (err) {
      this.logger.warn(`a listener of "${event}" failed: ${(err as Error)?.name ?? 'error'}`);
    }
  }

  private emitter(): EventEmitter2 | null {
    if (this.events === undefined) {
      try {
        this.events = this.moduleRef?.get(EventEmitter2, { strict: false }) ?? null;
      } catch {
        this.events = null;
      }
    }
    return this.events;
  }
}

/** What {@link createOAuthRegistry} needs. */
export interface CreateRegistryInput {
  options: OAuthModuleOptions;
  staticNames?: string[];
  config?: ConfigService | null;
  events?: EventEmitter2 | null;
  moduleRef?: ModuleRef;
}

/**
 * Builds the registry: resolves every client (code, then `ConfigService`),
 * validates, creates one app per client and the state store. Warns when no
 * secret is configured.
 *
 * @throws {OAuthConfigError} naming the client and key to fix
 */
export function createOAuthRegistry(input: CreateRegistryInput): OAuthRegistry {
  const { options, moduleRef } = input;
  if (!options || typeof options !== 'object') {
    throw new OAuthConfigError('OAuth module: the options factory returned no options object');
  }
  const read: ConfigReader = input.config
    ? (key) => input.config!.get(key)
    : findConfigReader(moduleRef);
  const settings = resolveModuleSettings(options, read);
  const names = [...new Set([...(input.staticNames ?? []), ...Object.keys(options.clients ?? {})])];
  const logger = new Logger(OAUTH_LOGGER_CONTEXT);
  // The apps publish through the registry, which is built last.
  const publisher: { registry?: OAuthRegistry } = {};
  const runtime = {
    fetchToken: options.fetchToken,
    updateToken: options.updateToken,
    fetch: options.fetch,
    timeout: settings.timeout,
    publishTokenUpdated: (event: unknown) =>
      publisher.registry?.publish(OAUTH_TOKEN_UPDATED_EVENT, event),
  };
  const apps = new Map<string, OAuthApp>();
  for (const name of names) {
    const resolved = resolveClientOptions(name, options.clients?.[name], read);
    apps.set(
      name,
      resolved.kind === 'oauth1'
        ? new OAuth1App(resolved, runtime)
        : new OAuth2App(resolved, runtime),
    );
  }

  let store: OAuthStateStore;
  const common = { ttl: settings.stateTtl, cookieName: settings.cookieName };
  if (options.cache) {
    store = new CacheStateStore({ cache: options.cache, ...common });
  } else {
    let secrets = settings.secrets;
    if (!secrets) {
      secrets = [randomToken(32)];
      logger.warn(
        'no secret is configured for the OAuth state cookie: a random one is used, so a login ' +
          'only completes on the instance that started it, and not across restarts. Set `secret` ' +
          'or OAUTH_SECRET (the same on every instance), or give a shared `cache`.',
      );
    }
    store = new CookieStateStore({ secrets, ...common });
  }
  publisher.registry = new OAuthRegistry(apps, settings, store, moduleRef, input.events);
  return publisher.registry;
}

/**
 * Reads config when `ConfigService` is not visible to this module (a
 * `ConfigModule.forRoot()` without `isGlobal`): through the instance when it
 * already exists, else from `process.env`, where `ConfigModule` has put the
 * environment and `.env` files. Without any `ConfigModule`: nothing.
 */
function findConfigReader(moduleRef: ModuleRef | undefined): ConfigReader {
  const none: ConfigReader = () => undefined;
  if (!moduleRef) return none;
  let config: ConfigService | undefined;
  try {
    config = moduleRef.get(ConfigService, { strict: false }) ?? undefined;
  } catch {
    return none;
  }
  return config ? (key) => config.get(key) : (key) => process.env[key];
}
