import type { Logger } from '@nestjs/common';
import type { OAuth1Provider } from '../server/oauth1/oauth1-provider.js';
import type { OAuth1ServerModuleOptions } from './interfaces/oauth1-server-module-options.interface.js';

/**
 * What the module builds at start-up (see `createOAuth1ServerRegistry`): the
 * provider core, the public origin and the options. Internal: users see
 * `OAuth1ServerService`.
 *
 * @internal
 */
export class OAuth1ServerRegistry<U = unknown> {
  /**
   * @param provider - the provider core, on the app's storage
   * @param options - the module options (camelCase keys)
   * @param logger - the module's logger
   * @param origin - the configured public origin, if any
   */
  constructor(
    readonly provider: OAuth1Provider<U>,
    readonly options: OAuth1ServerModuleOptions<U>,
    readonly logger: Logger,
    readonly origin?: string,
  ) {}
}
