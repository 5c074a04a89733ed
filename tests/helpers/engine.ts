/**
 * The engine the end-to-end suites run on: SQLite (a file of the test's own) by default, or
 * PostgreSQL (a database of the test's own on the server at TEST_DATABASE_URL) when
 * `LADDER_TEST_ENGINE=postgres`, which the vitest project 'postgres' sets. Read here, in the tests,
 * never in src: the app itself only ever sees DATABASE_PATH or DATABASE_URL.
 */
import path from 'node:path';
import { describe } from 'vitest';
import { type DatabaseHandle, openDatabaseFor } from '../../src/db/database.ts';
import { createTestDatabase, postgresAnswers, warnSkipped } from './postgres.ts';
import { tempDir } from './tmp.ts';

export type TestEngine = 'sqlite' | 'postgres';

export const TEST_ENGINE: TestEngine = process.env.LADDER_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

const engineAnswers = TEST_ENGINE === 'sqlite' || (await postgresAnswers());
if (!engineAnswers) warnSkipped();

/**
 * `describe` for a suite that runs on the test engine. On PostgreSQL with no server answering, the
 * suite is skipped (the line printed above names TEST_DATABASE_URL), never failed for lack of one.
 */
export const describeOnEngine = engineAnswers ? describe : describe.skip;

export interface TestStorage {
  engine: TestEngine;
  /** What the app and the CLI need to find the data: DATABASE_PATH, or DATABASE_URL. */
  env: { DATABASE_PATH: string } | { DATABASE_URL: string; DATABASE_POOL_SIZE: string };
  /** The SQLite file; throws on PostgreSQL, so a test that reads the file cannot pass by mistake. */
  readonly dbPath: string;
  /** Opens the storage, migrated, as the app would (the caller closes the handle). */
  open(): Promise<DatabaseHandle>;
  /** Drops the PostgreSQL database (nothing to do for a temporary SQLite file). */
  drop(): Promise<void>;
}

/**
 * Fresh, empty storage on the test engine. PostgreSQL: a small pool per app, since every test file
 * on two cores may run beside another one and the server allows 100 connections.
 */
export async function createTestStorage(label: string): Promise<TestStorage> {
  if (TEST_ENGINE === 'sqlite') {
    const file = path.join(tempDir(), 'ladder.db');
    return {
      engine: 'sqlite',
      env: { DATABASE_PATH: file },
      dbPath: file,
      open: () => openDatabaseFor({ databasePath: file, databaseUrl: undefined, databasePoolSize: 1 }),
      drop: async () => {},
    };
  }
  const database = await createTestDatabase(label);
  return {
    engine: 'postgres',
    env: { DATABASE_URL: database.url, DATABASE_POOL_SIZE: '4' },
    get dbPath(): string {
      throw new Error('This test runs on PostgreSQL: there is no SQLite file (use tests/helpers/tables.ts).');
    },
    open: () => openDatabaseFor({ databasePath: '', databaseUrl: database.url, databasePoolSize: 4 }),
    drop: () => database.drop(),
  };
}
