import type { ValueTransformer } from 'typeorm';

/**
 * A number in a `bigint` column (epoch times: no year-2038 limit).
 * PostgreSQL's driver returns `bigint` as a string; this turns it back into
 * a number (exact up to 2^53).
 */
export const BIGINT_NUMBER: ValueTransformer = {
  to: (value: number | null | undefined) => value ?? null,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/**
 * A JSON value in a `text` column: the same on PostgreSQL, SQLite and the
 * rest (no `json`/`jsonb`/array types, which SQLite lacks).
 */
export const JSON_TEXT: ValueTransformer = {
  to: (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? null : (JSON.parse(value) as unknown)),
};

/** Length of the `varchar` columns holding a SHA-256, base64url (43 characters), with room to spare. */
export const HASH_LENGTH = 64;

/** Length of identifier columns (`client_id`, `sub`: at most 255 characters, OIDC Core §2). */
export const ID_LENGTH = 255;
