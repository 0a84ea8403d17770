/**
 * Which keys the resource options have, so that none is ever ignored: the
 * same rules as the client options (Authlib's snake_case mapped, an unknown
 * key refused naming the nearest known one), down to the validators' own
 * options.
 */
import { normalizeKeys } from '../../config/option-keys.js';
import { OAuthConfigError } from '../../errors/oauth-config.error.js';
import type {
  IntrospectionOptions,
  JwtAccessTokenOptions,
  StorageValidatorOptions,
} from '../../server/index.js';
import type { OAuthResourceOptions } from '../interfaces/oauth-resource-options.interface.js';

/** Every resource option (exhaustive: a key added to the interface must be added here). */
const RESOURCE_KEYS: Record<keyof OAuthResourceOptions, true> = {
  realm: true,
  issuer: true,
  serverMetadataUrl: true,
  audience: true,
  jwt: true,
  introspection: true,
  storage: true,
  validators: true,
  allowFormBody: true,
  maxTokenLength: true,
  fetch: true,
  timeout: true,
};

/** Every option of the JWT validator (exhaustive over `JwtAccessTokenOptions`). */
const JWT_KEYS: Record<keyof JwtAccessTokenOptions, true> = {
  issuer: true,
  serverMetadataUrl: true,
  metadataCache: true,
  audience: true,
  audienceClaim: true,
  jwksUri: true,
  algorithms: true,
  typ: true,
  allowMissingTyp: true,
  requiredClaims: true,
  clockTolerance: true,
  keys: true,
  now: true,
  fetch: true,
  timeout: true,
  maxResponseBytes: true,
};

/** Every option of the introspection validator (exhaustive over `IntrospectionOptions`). */
const INTROSPECTION_KEYS: Record<keyof IntrospectionOptions, true> = {
  issuer: true,
  serverMetadataUrl: true,
  metadataCache: true,
  introspectionEndpoint: true,
  clientId: true,
  clientSecret: true,
  tokenEndpointAuthMethod: true,
  clientKey: true,
  clientKeyId: true,
  clientKeyAlg: true,
  assertionLifetime: true,
  client: true,
  audience: true,
  requireTokenType: true,
  cache: true,
  clockTolerance: true,
  now: true,
  fetch: true,
  timeout: true,
  maxResponseBytes: true,
};

/** Every option of the storage validator (exhaustive over `StorageValidatorOptions`). */
const STORAGE_KEYS: Record<keyof StorageValidatorOptions, true> = {
  lookup: true,
  audience: true,
  clockTolerance: true,
  now: true,
};

/** A plain object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new OAuthConfigError(`OAuth resource server: ${where} must be an object`, where);
  }
  return value;
}

/**
 * The resource options with camelCase keys, unknown keys refused, down to
 * the `jwt`, `introspection` and `storage` objects.
 *
 * @param options - the options as given in code
 * @param where - how the user names them (`resource`, `OAuthResourceModule`)
 * @throws {OAuthConfigError} naming the unknown or malformed key
 */
export function normalizeResourceKeys(options: unknown, where: string): OAuthResourceOptions {
  const out = normalizeKeys(objectAt(options, where), RESOURCE_KEYS, where);
  const { jwt, introspection, storage } = out;
  if (Array.isArray(jwt)) {
    out.jwt = jwt.map((entry, i) =>
      normalizeKeys(objectAt(entry, `${where}.jwt[${i}]`), JWT_KEYS, `${where}.jwt[${i}]`),
    );
  } else if (jwt !== undefined && jwt !== false) {
    out.jwt = normalizeKeys(objectAt(jwt, `${where}.jwt`), JWT_KEYS, `${where}.jwt`);
  }
  if (introspection !== undefined && introspection !== false) {
    out.introspection = normalizeKeys(
      objectAt(introspection, `${where}.introspection`),
      INTROSPECTION_KEYS,
      `${where}.introspection`,
    );
  }
  if (storage !== undefined && storage !== false && typeof storage !== 'function') {
    out.storage = normalizeKeys(
      objectAt(storage, `${where}.storage`),
      STORAGE_KEYS,
      `${where}.storage`,
    );
  }
  return out as OAuthResourceOptions;
}
