import type { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { createConfigReader } from '../config/config-reader.js';
import { OAuthConfigError } from '../errors/oauth-config.error.js';
import { AuthorizationServer } from '../server/oauth2/index.js';
import { resolveOAuth2ServerOptions } from './config/resolve-oauth2-server-options.js';
import { resolveStorage } from './config/resolve-storage.js';
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

/**
 * Builds the authorization server at start-up: options resolved (code, then
 * `ConfigService`), storage resolved through Nest's injector, settings and
 * keys checked by the core.
 *
 * @param input - the options and where to read config and find the storage
 * @returns the registry
 * @throws {OAuthConfigError} naming the key to fix
 * @internal
 */
export async function createOAuth2ServerRegistry(
  input: CreateOAuth2ServerRegistryInput,
): Promise<OAuth2ServerRegistry> {
  const { moduleRef } = input;
  const hasConfig = !!(input.config ?? findConfigService(moduleRef));
  const read = hasConfig ? createConfigReader(input.config, moduleRef) : undefined;
  const resolved = resolveOAuth2ServerOptions(
    input.options,
    read,
    hasConfig ? (input.environment ?? process.env) : {},
  );
  const storage = await resolveStorage(resolved.storage, moduleRef);
  let server: AuthorizationServer;
  try {
    server = new AuthorizationServer({ ...resolved.server, storage });
  } catch (err) {
    throw coreConfigError(err, resolved.sources);
  }
  return new OAuth2ServerRegistry(server, resolved);
}

function findConfigService(moduleRef: ModuleRef): ConfigService | undefined {
  try {
    return moduleRef.get(ConfigService, { strict: false }) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The core's start-up error (`ERR_OAUTH_SERVER_CONFIG`, `ERR_OAUTH_INVALID_KEY`)
 * as an `OAuthConfigError` naming the setting as the user wrote it.
 */
function coreConfigError(err: unknown, sources: Readonly<Record<string, string>>): unknown {
  const code = (err as { code?: unknown })?.code;
  if (code !== 'ERR_OAUTH_SERVER_CONFIG' && code !== 'ERR_OAUTH_INVALID_KEY') return err;
  const message = String((err as Error).message).replace(/^OAuth2 server: /, '');
  const key =
    code === 'ERR_OAUTH_INVALID_KEY'
      ? 'keys'
      : (['issuer', 'storage', 'grantCache', ...Object.keys(sources)].find((k) =>
          message.startsWith(k),
        ) ?? (message.includes('storage') ? 'storage' : undefined));
  const named = key ? (sources[key] ?? key) : undefined;
  const fix =
    code === 'ERR_OAUTH_INVALID_KEY'
      ? `${named} holds a key that cannot sign ID tokens (${message}): give private keys (PEM: PKCS#8, PKCS#1 or SEC1; or private JWKs) of RSA, EC or Ed25519`
      : message;
  return new OAuthConfigError(`OAuth2ServerModule: ${fix}`, named);
}
