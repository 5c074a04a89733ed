/**
 * PostgreSQL connections: the bounded pool (`DATABASE_URL`, `DATABASE_POOL_SIZE`), the type
 * parsers that make its rows look like SQLite's, and the migration runner under an advisory lock.
 */
import pg from 'pg';
import { POSTGRES_MIGRATIONS_DIR } from '../paths.ts';
import {
  type AppliedMigration,
  type MigrationResult,
  migrationFailed,
  pendingMigrations,
  readMigrations,
} from './migrate.ts';

/** Type OIDs whose default `pg` parsing differs from what the repositories expect. */
const INT8 = 20;
const DATE = 1082;
const TIMESTAMPTZ = 1184;

const defaultTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, 'text');
const parsers = new Map<number, (value: string) => unknown>([
  // Ids and COUNT(*) are int8, which `pg` returns as strings; they stay far below 2^53 here.
  [INT8, Number],
  // Instants as the ISO-8601 UTC strings the SQLite store keeps (Date → the same text).
  [TIMESTAMPTZ, (value) => (defaultTimestamptz(value) as Date).toISOString()],
  // Calendar dates stay 'YYYY-MM-DD' (the default would be a Date at local midnight).
  [DATE, (value) => value],
]);

/** The parsers every Ladder pool uses, so both engines return the same shapes. */
export const LADDER_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    parsers.get(oid) ??
    pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * The `pg_dump` command that writes a consistent online copy of the database to `file`, in the
 * custom format `pg_restore` reads: the URL without its password, each part shell-quoted.
 */
export function pgDumpCommand(url: string, file: string): string {
  const u = new URL(url);
  u.password = '';
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `pg_dump --format=custom --no-owner --file=${quote(file)} ${quote(u.toString())}`;
}

export class DatabaseConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseConnectError';
  }
}

/** Host, port, database and user of a PostgreSQL URL: what messages may name (never the password). */
export function describePostgresUrl(url: string): { where: string; password: string | undefined } {
  const u = new URL(url);
  const host = u.hostname || u.searchParams.get('host') || 'localhost';
  const port = u.port || '5432';
  const user = decodeURIComponent(u.username) || 'the default user';
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username);
  return {
    where: `PostgreSQL at ${host}:${port}, database "${database}", as ${user}`,
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

/** Why PostgreSQL could not be used, naming where it was looked for and never the password. */
export function connectionProblem(url: string, err: unknown): DatabaseConnectError {
  const { where, password } = describePostgresUrl(url);
  let reason = err instanceof Error ? err.message : String(err);
  if (password) reason = reason.split(password).join('***');
  return new DatabaseConnectError(
    `could not use ${where} (DATABASE_URL): ${reason}. Check that the server is running and that ` +
      'the database, user and password in DATABASE_URL are right.',
  );
}

export function createPostgresPool(url: string, size: number, onIdleError: (err: Error) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    types: LADDER_TYPES,
    application_name: 'ladder',
    // A request waits at most this long for a connection instead of hanging on a dead server.
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its server emits here; without a listener the process would crash.
  pool.on('error', onIdleError);
  return pool;
}

/** `SELECT 1` through the pool, false on any failure or after `timeoutMs`. What /healthz asks. */
export async function isPoolHealthy(pool: pg.Pool, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = pool.query('SELECT 1 AS ok').then(
    (r) => r.rowCount === 1,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One advisory lock for every Ladder instance migrating this database. */
const MIGRATION_LOCK = 'ladder.migrations';

/**
 * Applies pending migrations in order, each in its own transaction, recording name and checksum
 * (the rules of `pendingMigrations`). Holds a session advisory lock on one dedicated connection
 * the whole time, so instances that start together migrate once: the others wait, then find
 * nothing pending. The connection is closed afterwards, which releases the lock in any case.
 */
export async function migratePostgres(
  pool: pg.Pool,
  dir: string = POSTGRES_MIGRATIONS_DIR,
): Promise<MigrationResult> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id integer PRIMARY KEY,
      name text NOT NULL UNIQUE,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL
    )`);
    const { rows } = await client.query<AppliedMigration>(
      'SELECT id, name, checksum FROM schema_migrations ORDER BY id',
    );
    const pending = pendingMigrations(readMigrations(dir), rows);
    for (const file of pending) {
      try {
        await client.query('BEGIN');
        await client.query(file.sql);
        await client.query(
          'INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES ($1, $2, $3, $4)',
          [file.id, file.name, file.checksum, new Date().toISOString()],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw migrationFailed(file, err);
      }
    }
    return { applied: pending.map((f) => f.name), alreadyApplied: rows.length };
  } finally {
    client.release(true);
  }
}
