/**
 * The database the app runs on, whichever engine: SQLite at `DATABASE_PATH` (the default), or
 * PostgreSQL when `DATABASE_URL` is set. The composition root and the CLI open it here, migrated;
 * everything below them sees only the repositories built over `store`.
 */
import type pg from 'pg';
import { createConnectionStatus, type Db, isDatabaseHealthy } from './connection.ts';
import { MigrationError, type MigrationResult, openAndMigrate } from './migrate.ts';
import {
  connectionProblem,
  createPostgresPool,
  describePostgresUrl,
  isPoolHealthy,
  migratePostgres,
} from './postgres.ts';
import { createPostgresStore } from './postgres-store.ts';
import { createSqliteStore, type Store } from './store.ts';

export interface DatabaseSettings {
  databasePath: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
}

export interface DatabaseHandle {
  readonly engine: 'sqlite' | 'postgres';
  readonly store: Store;
  /** SQLite's connection (backup, the write-ahead log's scrub, tests); undefined on PostgreSQL. */
  readonly sqlite: Db | undefined;
  /** Where the data lives, for log lines and messages: never a password. */
  readonly where: string;
  isOpen(): boolean;
  /** `SELECT 1` answered (through the pool on PostgreSQL). */
  isHealthy(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  onMigrated?: (result: MigrationResult) => void;
  /** An idle PostgreSQL connection lost its server (the pool replaces it). */
  onConnectionError?: (err: Error) => void;
}

/** The SQLite file as a handle (also for tests and tools holding an open connection). */
export function sqliteHandle(db: Db, where = `SQLite file ${db.name}`): DatabaseHandle {
  const status = createConnectionStatus(db);
  return {
    engine: 'sqlite',
    store: createSqliteStore(db),
    sqlite: db,
    where,
    isOpen: status.isOpen,
    isHealthy: async () => isDatabaseHealthy(db),
    close: async () => {
      if (db.open) db.close();
    },
  };
}

export function postgresHandle(pool: pg.Pool, where: string): DatabaseHandle {
  let open = true;
  return {
    engine: 'postgres',
    store: createPostgresStore(pool),
    sqlite: undefined,
    where,
    isOpen: () => open,
    isHealthy: () => (open ? isPoolHealthy(pool) : Promise.resolve(false)),
    close: async () => {
      if (!open) return;
      open = false;
      await pool.end();
    },
  };
}

/**
 * Opens the configured database and applies its pending migrations; closes it again if they fail.
 * PostgreSQL that cannot be reached or refuses the URL's user or database throws a
 * DatabaseConnectError naming host, port, database and user (never the password).
 */
export async function openDatabaseFor(
  settings: DatabaseSettings,
  opts: OpenOptions = {},
): Promise<DatabaseHandle> {
  const url = settings.databaseUrl;
  if (url === undefined) {
    return sqliteHandle(openAndMigrate(settings.databasePath, opts), `SQLite file ${settings.databasePath}`);
  }
  const pool = createPostgresPool(url, settings.databasePoolSize, opts.onConnectionError ?? (() => {}));
  let result: MigrationResult;
  try {
    result = await migratePostgres(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    if (err instanceof MigrationError) throw err;
    throw connectionProblem(url, err);
  }
  opts.onMigrated?.(result);
  return postgresHandle(pool, describePostgresUrl(url).where);
}
