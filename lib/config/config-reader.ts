import type { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';

/** Reads one config value (`ConfigService.get`); `undefined` when unset. */
export type ConfigReader = (key: string) => unknown;

/**
 * How the module reads `{NAME}_{KEY}` values: through `ConfigService` when it
 * is injected; else through the instance when one exists anywhere in the app
 * (a `ConfigModule.forRoot()` without `isGlobal`) — and, when `ConfigModule`
 * is imported but its service not yet built, from `process.env`, where
 * `ConfigModule` has put the environment and `.env` files. Without any
 * `ConfigModule`: nothing.
 *
 * @param config - the injected `ConfigService`, if visible to the module
 * @param moduleRef - to look for one elsewhere
 */
export function createConfigReader(
  config: ConfigService | null | undefined,
  moduleRef: ModuleRef | undefined,
): ConfigReader {
  if (config) return (key) => config.get(key);
  const none: ConfigReader = () => undefined;
  if (!moduleRef) return none;
  let found: ConfigService | undefined;
  try {
    found = moduleRef.get(ConfigService, { strict: false }) ?? undefined;
  } catch {
    return none;
  }
  return found ? (key) => found.get(key) : (key) => process.env[key];
}
