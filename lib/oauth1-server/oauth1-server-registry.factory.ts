import { Logger, type Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { createConfigReader, type ConfigReader } from '../config/config-reader.js';
import { OAuthConfigError } from '../errors/oauth-config.error.js';
import { OAuth1Provider } from '../server/oauth1/oauth1-provider.js';
import { OAUTH1_PROVIDER_CONFIG_KEYS } from '../server/oauth1/oauth1-server-settings.js';
import type { OAuth1ServerStorage } from '../server/oauth1/oauth1-server-storage.interface.js';
import { resolveOAuth1ServerOptions } from './config/resolve-oauth1-server-options.js';
import { httpRequestOf } from './http/server-request.factory.js';
import type { OAuth1ServerModuleOptions } from './interfaces/oauth1-server-module-options.interface.js';
import { OAUTH1_SERVER_LOGGER_CONTEXT } from './oauth1-server.constants.js';
import { OAuth1ServerRegistry } from './oauth1-server.registry.js';

/** Every method of `OAuth1ServerStorage`. */
const STORAGE_METHODS: ReadonlyArray<keyof OAuth1ServerStorage> = [
  'getClient',
  'saveRequestToken',
  'getRequestToken',
  'deleteRequestToken',
  'saveVerifier',
  'getVerifier',
  'saveAccessToken',
  'getAccessToken',
  'saveNonce',
  'getNonce',
];

/** What {@link createOAuth1ServerRegistry} needs. */
export interface CreateOAuth1ServerRegistryInput {
  /** The module options (from `forRoot`, or the `forRootAsync` factory). */
  options: unknown;
  /** The storage Nest built from a class given to `forRoot`/`forRootAsync`, if any. */
  storage?: OAuth1ServerStorage<unknown> | null;
  /** The injected `ConfigService`, when visible to the module. */
  config?: ConfigService | null;
  /** To find `ConfigService` elsewhere, and to build a storage class a factory returned. */
  moduleRef?: ModuleRef;
  /** The names checked for unknown `OAUTH1_PROVIDER_*` settings (default `process.env`). */
  environment?: Readonly<Record<string, unknown>>;
}

/**
 * Builds the provider at start-up: checks the option keys, reads the
 * settings (code, then `ConfigService` as `OAUTH1_PROVIDER_*`), checks the
 * storage and the origin, and wires the hooks.
 *
 * @param input - the options and what to read config and build the storage with
 * @returns the registry
 * @throws {OAuthConfigError} naming the key to fix
 * @internal
 */
export async function createOAuth1ServerRegistry(
  input: CreateOAuth1ServerRegistryInput,
): Promise<OAuth1ServerRegistry> {
  const read = configReader(input.config, input.moduleRef);
  const { options, settings, origin } = resolveOAuth1ServerOptions<unknown>(
    input.options,
    read,
    input.environment ?? process.env,
  );
  const storage = await resolveStorage(options, input.storage ?? undefined, input.moduleRef);
  const logger = new Logger(OAUTH1_SERVER_LOGGER_CONTEXT);
  const { beforeRequest, afterRequest, invalidResponse } = options;
  const provider = new OAuth1Provider<unknown>({
    ...settings,
    storage,
    ...(options.now ? { now: options.now } : {}),
    ...(options.generateToken ? { generateToken: options.generateToken } : {}),
    ...(beforeRequest ? { beforeRequest: (r) => beforeRequest(r, httpRequestOf(r)) } : {}),
    ...(afterRequest
      ? { afterRequest: (valid, oauth, r) => afterRequest(valid, oauth, r, httpRequestOf(r)) }
      : {}),
    ...(invalidResponse
      ? { invalidResponse: (error, r) => invalidResponse(error, r, httpRequestOf(r)) }
      : {}),
  });
  if (!settings.enforceSsl) {
    logger.warn(
      `enforceSsl is off (${OAUTH1_PROVIDER_CONFIG_KEYS.enforceSsl}): OAuth 1 requests over plain http are accepted. For local development only.`,
    );
  }
  return new OAuth1ServerRegistry(provider, options, logger, origin);
}

/**
 * `ConfigService.get` when a `ConfigModule` is in the app (imported here or
 * anywhere; before its service is built, the environment it loaded), else
 * `undefined`: nothing is read.
 */
function configReader(
  config: ConfigService | null | undefined,
  moduleRef: ModuleRef | undefined,
): ConfigReader | undefined {
  if (config) return createConfigReader(config, moduleRef);
  try {
    moduleRef?.get(ConfigService, { strict: false });
  } catch {
    return undefined;
  }
  return moduleRef ? createConfigReader(undefined, moduleRef) : undefined;
}

async function resolveStorage(
  options: OAuth1ServerModuleOptions<unknown>,
  built: OAuth1ServerStorage<unknown> | undefined,
  moduleRef: ModuleRef | undefined,
): Promise<OAuth1ServerStorage<unknown>> {
  let storage: unknown = options.storage;
  if (built) {
    if (storage !== undefined && storage !== built.constructor) {
      throw new OAuthConfigError(
        'OAuth1ServerModule: storage is given twice (to forRootAsync and by its factory): keep one',
        'storage',
      );
    }
    storage = built;
  } else if (typeof storage === 'function' && moduleRef) {
    storage = await moduleRef.create(storage as Type<OAuth1ServerStorage<unknown>>);
  }
  if (!storage || typeof storage !== 'object') {
    throw new OAuthConfigError(
      'OAuth1ServerModule needs a storage: set storage to an injectable class or an instance implementing OAuth1ServerStorage',
      'storage',
    );
  }
  const missing = STORAGE_METHODS.filter(
    (name) => typeof (storage as Record<string, unknown>)[name] !== 'function',
  );
  if (missing.length > 0) {
    throw new OAuthConfigError(
      `OAuth1ServerModule: the storage does not implement OAuth1ServerStorage: it has no ${missing.join(', ')}`,
      'storage',
    );
  }
  return storage as OAuth1ServerStorage<unknown>;
}
