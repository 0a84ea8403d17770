import { Global, Module, type FactoryProvider, type InjectionToken } from '@nestjs/common';
import type { FetchLike } from '../core/index.js';
import { OAuthResourceService } from './oauth-resource.service.js';

/**
 * Holds the one {@link OAuthResourceService} of an app, whichever modules
 * configure resource protection (`OAuthModule`'s `resource`,
 * `OAuthResourceModule`): a static module, so Nest builds it once, and global,
 * so `@RequireOAuth()` works in every module. Each configuring module adds a
 * source provider ({@link resourceSourceProvider}); a second configured
 * source fails at start-up.
 *
 * @internal
 */
@Global()
@Module({ providers: [OAuthResourceService], exports: [OAuthResourceService] })
export class OAuthResourceCoreModule {}

/**
 * A provider that hands a module's resource options to the service when Nest
 * builds it.
 *
 * @param where - how the user names the options (`resource`, `OAuthResourceModule`)
 * @param inject - what `pick` needs
 * @param pick - the options (`undefined`: none given in code) and the module's `fetch` / `timeout`
 * @internal
 */
export function resourceSourceProvider(
  where: string,
  inject: InjectionToken[],
  pick: (...deps: any[]) => {
    code: unknown;
    defaults?: { fetch?: FetchLike; timeout?: number };
  },
): FactoryProvider {
  return {
    provide: `OAuthResourceSource(${where})`,
    useFactory: (service: OAuthResourceService, ...deps: unknown[]) => {
      const { code, defaults } = pick(...deps);
      service.addSource(where, code, defaults);
      return where;
    },
    inject: [OAuthResourceService, ...inject],
  };
}
