/**
 * The engines the repository contract runs on. Each test file is written against the repositories'
 * interfaces only and runs once per engine (`describe.each(ENGINES)`): SQLite in memory, and
 * PostgreSQL on a database of the file's own (created on first use, emptied between tests,
 * dropped after the file). Where no PostgreSQL server answers, its runs are skipped with one loud
 * line naming TEST_DATABASE_URL.
 */
import type pg from 'pg';
import { afterAll, afterEach } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createPostgresPool, migratePostgres } from '../../src/db/postgres.ts';
import { createPostgresStore } from '../../src/db/postgres-store.ts';
import { createSqliteStore, type Store } from '../../src/db/store.ts';
import { createTestDatabase, postgresAnswers, type TestDatabase, warnSkipped } from '../helpers/postgres.ts';

export interface Engine {
  name: string;
  /** A fresh, migrated, empty database as a store; closed after the test. */
  open(): Promise<Store>;
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const sqlite: Engine = {
  name: 'SQLite',
  async open() {
    const db = openDatabase(':memory:');
    migrate(db);
    closers.push(() => db.close());
    return createSqliteStore(db);
  },
};

/** The file's PostgreSQL database: created and migrated once, emptied before each test. */
let shared: { database: TestDatabase; pool: pg.Pool; tables: string[] } | undefined;

afterAll(async () => {
  if (!shared) return;
  const { database, pool } = shared;
  shared = undefined;
  await pool.end();
  await database.drop();
});

async function postgresDatabase() {
  if (!shared) {
    const database = await createTestDatabase('contract');
    const pool = createPostgresPool(database.url, 4, () => {});
    await migratePostgres(pool);
    const { rows } = await pool.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
    );
    shared = { database, pool, tables: rows.map((r) => r.name) };
  }
  return shared;
}

const postgres: Engine = {
  name: 'PostgreSQL',
  async open() {
    const { pool, tables } = await postgresDatabase();
    await pool.query(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY`);
    return createPostgresStore(pool);
  },
};

const onPostgres = await postgresAnswers();
if (!onPostgres) warnSkipped();

/** SQLite always; PostgreSQL where a server answers at TEST_DATABASE_URL. */
export const ENGINES: Engine[] = onPostgres ? [sqlite, postgres] : [sqlite];
