/**
 * Whether a failed query is a unique or primary key violation, on the
 * databases TypeORM drives most: PostgreSQL / CockroachDB (`23505`), SQLite
 * (`SQLITE_CONSTRAINT_PRIMARYKEY` / `_UNIQUE`), MySQL / MariaDB
 * (`ER_DUP_ENTRY`), SQL Server (2627, 2601), Oracle (`ORA-00001`).
 */
export function isUniqueViolation(err: unknown): boolean {
  const driver = (err as { driverError?: unknown })?.driverError ?? err;
  const { code, number, errorNum } = (driver ?? {}) as {
    code?: unknown;
    number?: unknown;
    errorNum?: unknown;
  };
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'ER_DUP_ENTRY' ||
    number === 2627 ||
    number === 2601 ||
    errorNum === 1
  );
}

/** A configuration mistake found at run time: a `TypeError` with a `code`. */
export function typeOrmConfigError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_OAUTH_SERVER_CONFIG' });
}
