import type { InjectionToken, Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { OAuthConfigError } from '../../errors/oauth-config.error.js';
import type { OAuth2ServerStorage } from '../../server/oauth2/index.js';
import type { OAuth2ServerStorageOption } from '../interfaces/oauth2-server-module-options.interface.js';

/** The methods every storage has (the grant methods may be replaced by `grantCache`). */
const REQUIRED_METHODS = ['getClient', 'saveToken', 'getToken', 'revokeToken'] as const;

/**
 * The storage instance of the `storage` option: the instance itself, the
 * app's provider of a class (else one Nest builds), or the provider of a
 * `useExisting` token. It must have the methods of `OAuth2ServerStorage`.
 *
 * @param option - the `storage` option
 * @param moduleRef - Nest's module reference
 * @throws {OAuthConfigError} naming `storage` and the fix
 * @internal
 */
export async function resolveStorage(
  option: OAuth2ServerStorageOption,
  moduleRef: ModuleRef,
): Promise<OAuth2ServerStorage> {
  let storage: unknown;
  if (typeof option === 'function') {
    storage = find(moduleRef, option) ?? (await build(moduleRef, option));
  } else if (isUseExisting(option)) {
    storage = find(moduleRef, option.useExisting);
    if (storage === undefined) {
      throw new OAuthConfigError(
        `OAuth2ServerModule: storage.useExisting names no provider (${tokenName(option.useExisting)}): register it in a module of the app`,
        'storage',
      );
    }
  } else {
    storage = option;
  }
  const missing = REQUIRED_METHODS.filter(
    (m) => typeof (storage as Record<string, unknown> | null)?.[m] !== 'function',
  );
  if (missing.length > 0) {
    throw new OAuthConfigError(
      `OAuth2ServerModule: storage is not an OAuth2ServerStorage (no ${missing.join(', ')}): implement the interface, or use MemoryOAuth2ServerStorage`,
      'storage',
    );
  }
  return storage as OAuth2ServerStorage;
}

function isUseExisting(option: unknown): option is { useExisting: InjectionToken } {
  return !!option && typeof option === 'object' && 'useExisting' in option;
}

function find(moduleRef: ModuleRef, token: InjectionToken): unknown {
  try {
    return moduleRef.get(token, { strict: false }) ?? undefined;
  } catch {
    return undefined;
  }
}

async function build(moduleRef: ModuleRef, type: Type<OAuth2ServerStorage>): Promise<unknown> {
  try {
    return await moduleRef.create(type);
  } catch (err) {
    throw new OAuthConfigError(
      `OAuth2ServerModule: storage ${type.name} could not be built (${(err as Error)?.message ?? err}): ` +
        'provide it in a module of the app (its dependencies are resolved there), or pass an instance',
      'storage',
    );
  }
}

function tokenName(token: InjectionToken): string {
  return typeof token === 'function' ? token.name : String(token);
}
