import type { Logger } from '@nestjs/common';
import type { OAuthApp } from './apps/oauth-app.type.js';
import type { ResolvedModuleSettings } from './config/resolve-module-settings.js';
import type { OAuthEventPublisher } from './events/oauth-event-publisher.js';
import type { OAuthModuleOptions } from './interfaces/oauth-module-options.interface.js';
import type { OAuthStateStore } from './state/state-store.interface.js';
import type { ModuleStore } from './store/module-store.js';

/**
 * What the module builds at start-up (see `createOAuthRegistry`): the
 * injected clients, the module settings, the state store and the event
 * publisher. Internal: users see `OAuthService`.
 *
 * @internal
 */
export class OAuthRegistry {
  /**
   * @param apps - the injected clients, by name
   * @param settings - the resolved module settings
   * @param stateStore - where login flows keep their state
   * @param events - publishes `oauth.login` and `oauth.token.updated`
   * @param logger - the module's logger
   * @param options - the module options (for the hooks the guards call)
   * @param shared - what the instances share (the `cache` / Redis store), closed on shutdown
   */
  constructor(
    readonly apps: ReadonlyMap<string, OAuthApp>,
    readonly settings: ResolvedModuleSettings,
    readonly stateStore: OAuthStateStore,
    readonly events: OAuthEventPublisher,
    readonly logger: Logger,
    readonly options: OAuthModuleOptions,
    readonly shared?: ModuleStore,
  ) {}

  /** Closes the module's Redis store (see `OAuthModule.onApplicationShutdown`). */
  close(): Promise<void> {
    return this.shared?.close() ?? Promise.resolve();
  }

  /** The app registered as `name`, if any. */
  get(name: string): OAuthApp | undefined {
    return typeof name === 'string' ? this.apps.get(name) : undefined;
  }
}
