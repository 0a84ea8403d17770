import type { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { createConfigReader } from '../config/config-reader.js';
import { AuthorizationServer, type OAuth2ServerStorage } from '../server/oauth2/index.js';
import { coreConfigError } from './config/core-config-error.js';
import { resolveOAuth2ServerOptions } from './config/resolve-oauth2-server-options.js';
import { OAuth2ServerRegistry } from './oauth2-server.registry.js';

/** What {@link createOAuth2ServerRegistry} needs. @internal */
export interface CreateOAuth2ServerRegistryInput {
  /** The options (from `forRoot`, or the `forRootAsync` factory). */
  options: unknown;
  /** The injected `ConfigService`, when visible to the module. */
  config?: ConfigService | null;
  /** To find `ConfigService` and the storage elsewhere in the app. */
  moduleRef: ModuleRef;
  /** Where unknown `OAUTH2_PROVIDER_*` names are looked for (default `process.env`). */
  environment?: Readonly<Record<string, unknown>>;
}

/** Stands in for the storage while the settings and keys are checked (it is never called). */
const NO_STORAGE: OAuth2ServerStorage = {
  getClient: () => undefined,
  saveGrant: () => undefined,
  getGrant: () => undefined,
  deleteGrant: () => false,
  saveToken: () => undefined,
  getToken: () => undefined,
  revokeToken: () => false,
};

/**
 * Resolves the options at start-up (code, then `ConfigService`) and has the
 * core check every setting and key; the server itself is built once the
 * app's providers exist (`OAuth2ServerRegistry.onModuleInit`).
 *
 * @param input - the options and where to read config
 * @returns the registry
 * @throws {OAuthConfigError} naming the key to fix
 * @internal
 */
export function createOAuth2ServerRegistry(
  input: CreateOAuth2ServerRegistryInput,
): OAuth2ServerRegistry {
  const { moduleRef } = input;
  const hasConfig = !!input.config || hasConfigModule(moduleRef);
  const read = hasConfig ? createConfigReader(input.config, moduleRef) : undefined;
  const resolved = resolveOAuth2ServerOptions(
    input.options,
    read,
    hasConfig ? (input.environment ?? process.env) : {},
  );
  let checked: AuthorizationServer;
  try {
    checked = new AuthorizationServer({
      ...resolved.server,
      storage: NO_STORAGE,
      grantCache: undefined,
    });
  } catch (err) {
    throw coreConfigError(err, resolved.sources);
  }
  return new OAuth2ServerRegistry(resolved, checked.endpoints, moduleRef);
}

/** Whether the app has a `ConfigModule` (its service may not be built yet: then the reader uses `process.env`). */
function hasConfigModule(moduleRef: ModuleRef): boolean {
  try {
    moduleRef.get(ConfigService, { strict: false });
    return true;
  } catch {
    return false;
  }
}
